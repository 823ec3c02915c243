package fusion.models.btyd;

import static fusion.models.special.LogSpace.logGamma;

import java.util.ArrayList;
import java.util.List;

/**
 * The gamma-gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV: using
 * iso-value curves for customer base analysis", JMR 42(4); Fader & Hardie 2013, "The gamma-gamma
 * model of monetary value"). A customer's transaction values are {@code Gamma(p, ν)} around their
 * own mean {@code p/ν}, with {@code ν ~ Gamma(q, γ)} across customers; spend is assumed independent
 * of the transaction process, so it multiplies a {@link TransactionModel}'s counts.
 *
 * @param p shape of each transaction's value
 * @param q shape of the across-customer gamma on {@code ν}
 * @param gamma scale of the across-customer gamma on {@code ν}
 */
public record GammaGamma(double p, double q, double gamma) {
    public GammaGamma {
        Parameters.requirePositive("gamma-gamma", "p", p, "q", q, "gamma", gamma);
    }

    /**
     * A customer's observed spend.
     *
     * @param transactions {@code x}: the number of transactions averaged (repeat transactions, > 0)
     * @param averageValue {@code z̄}: their mean value (> 0)
     */
    public record Spend(int transactions, double averageValue) {
        public Spend {
            if (transactions <= 0) {
                throw new IllegalArgumentException("transactions: must be > 0 but was " + transactions);
            }
            if (!(averageValue > 0 && Double.isFinite(averageValue))) {
                throw new IllegalArgumentException("averageValue: must be > 0 but was " + averageValue);
            }
        }
    }

    /** Maximum-likelihood estimates from customers with at least one (repeat) transaction. */
    public static Fitted<GammaGamma> fit(Iterable<Spend> customers) {
        List<Spend> list = new ArrayList<>();
        customers.forEach(list::add);
        double mean = list.stream().mapToDouble(Spend::averageValue).average().orElseThrow();
        MaximumLikelihood.Optimum best = MaximumLikelihood.maximise(
                th -> new GammaGamma(th[0], th[1], th[2]).logLikelihood(list),
                new double[] {1, 1, 1},
                new double[] {5, 3, mean},
                new double[] {2, 10, mean / 2});
        double[] th = best.parameters();
        return new Fitted<>(new GammaGamma(th[0], th[1], th[2]), best.logLikelihood(), list.size());
    }

    /** The sample log-likelihood; the gamma functions depend only on x, so once per distinct x. */
    double logLikelihood(List<Spend> sample) {
        int maxX = sample.stream().mapToInt(Spend::transactions).max().orElse(0);
        double[] byX = new double[maxX + 1];
        double logGammaQ = logGamma(q);
        for (int x = 1; x <= maxX; x++) {
            byX[x] = logGamma(p * x + q) - logGamma(p * x) - logGammaQ + p * x * Math.log(x);
        }
        double logGammaScale = Math.log(gamma);
        double sum = 0;
        for (Spend s : sample) {
            int x = s.transactions();
            double px = p * x;
            double z = s.averageValue();
            sum += byX[x] + q * logGammaScale + (px - 1) * Math.log(z) - (px + q) * Math.log(gamma + x * z);
        }
        return sum;
    }

    /** The density of the observed mean {@code z̄ ~ Gamma(px, νx)}, with {@code ν} integrated out. */
    public double logLikelihood(Spend s) {
        double px = p * s.transactions();
        double z = s.averageValue();
        return logGamma(px + q)
                - logGamma(px)
                - logGamma(q)
                + q * Math.log(gamma)
                + (px - 1) * Math.log(z)
                + px * Math.log(s.transactions())
                - (px + q) * Math.log(gamma + s.transactions() * z);
    }

    /**
     * E[M | p, q, γ, x, z̄] (FHL 2005 eq. 5): a weighted mean of the population mean and the
     * customer's own average, the weight on the latter growing with {@code x}.
     */
    public double expectedAverageValue(Spend s) {
        return p * (gamma + s.transactions() * s.averageValue()) / (p * s.transactions() + q - 1);
    }

    /** E[M] for a customer with no repeat transactions yet: {@code pγ / (q − 1)} (needs q > 1). */
    public double populationMeanValue() {
        return q > 1 ? p * gamma / (q - 1) : Double.POSITIVE_INFINITY;
    }
}
