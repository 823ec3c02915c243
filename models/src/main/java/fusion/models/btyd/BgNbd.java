package fusion.models.btyd;

import static fusion.models.special.LogSpace.logBeta;
import static fusion.models.special.LogSpace.logGamma;
import static fusion.models.special.LogSpace.logSumExp;

import fusion.models.special.Hypergeometric;

/**
 * The beta-geometric/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way",
 * Marketing Science 24(2)). While alive a customer buys as a Poisson process with rate
 * {@code λ ~ Gamma(r, α)}; after each transaction they leave with probability
 * {@code p ~ Beta(a, b)}.
 *
 * @param r shape of the transaction-rate gamma
 * @param alpha scale of the transaction-rate gamma (in the time unit of the histories)
 * @param a first shape of the dropout-probability beta
 * @param b second shape of the dropout-probability beta
 */
public record BgNbd(double r, double alpha, double a, double b) implements TransactionModel {
    public BgNbd {
        Parameters.requirePositive("BG/NBD", "r", r, "alpha", alpha, "a", a, "b", b);
    }

    /** Maximum-likelihood estimates from the customers' calibration histories. */
    public static Fitted<BgNbd> fit(Iterable<Rfm> customers) {
        Patterns patterns = Patterns.of(customers);
        MaximumLikelihood.Optimum best = MaximumLikelihood.maximise(
                p -> new BgNbd(p[0], p[1], p[2], p[3]).logLikelihood(patterns),
                new double[] {1, 1, 1, 1},
                new double[] {0.5, 5, 0.5, 2},
                new double[] {0.2, 20, 2, 5});
        double[] p = best.parameters();
        return new Fitted<>(new BgNbd(p[0], p[1], p[2], p[3]), best.logLikelihood(), patterns.customers());
    }

    /**
     * The sample log-likelihood, with the gamma and beta functions (which depend on the history only
     * through x) evaluated once per distinct x rather than once per customer: on the full CDNOW
     * cohort this is most of the fitting time.
     */
    double logLikelihood(Patterns patterns) {
        int maxX = 0;
        for (Rfm h : patterns.histories()) {
            maxX = Math.max(maxX, h.frequency());
        }
        double[] common = new double[maxX + 1];
        double[] alive = new double[maxX + 1];
        double[] dropped = new double[maxX + 1];
        double logBetaAB = logBeta(a, b);
        double logGammaR = logGamma(r);
        double logAlpha = Math.log(alpha);
        for (int x = 0; x <= maxX; x++) {
            common[x] = logGamma(r + x) - logGammaR + r * logAlpha;
            alive[x] = logBeta(a, b + x) - logBetaAB;
            dropped[x] = x == 0 ? 0 : logBeta(a + 1, b + x - 1) - logBetaAB;
        }
        double sum = 0;
        Rfm[] histories = patterns.histories();
        double[] counts = patterns.counts();
        for (int i = 0; i < histories.length; i++) {
            Rfm h = histories[i];
            int x = h.frequency();
            double ll = alive[x] - (r + x) * Math.log(alpha + h.age());
            if (x > 0) {
                ll = logSumExp(ll, dropped[x] - (r + x) * Math.log(alpha + h.recency()));
            }
            sum += counts[i] * (common[x] + ll);
        }
        return sum;
    }

    /** FHL 2005 eq. (6), as {@code ln(A1) + ln(A2 + A3)} with each piece in log space. */
    @Override
    public double logLikelihood(Rfm h) {
        int x = h.frequency();
        double common = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
        double alive = logBeta(a, b + x) - logBeta(a, b) - (r + x) * Math.log(alpha + h.age());
        if (x == 0) {
            return common + alive;
        }
        double dropped = logBeta(a + 1, b + x - 1) - logBeta(a, b) - (r + x) * Math.log(alpha + h.recency());
        return common + logSumExp(alive, dropped);
    }

    /** FHL 2005 eq. (13); 1 for customers who never made a repeat purchase. */
    @Override
    public double probabilityAlive(Rfm h) {
        return 1 / (1 + deadOdds(h));
    }

    /** {@code δ_{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^{r+x}}: P(dropped out) / P(alive). */
    private double deadOdds(Rfm h) {
        int x = h.frequency();
        if (x == 0) {
            return 0;
        }
        return a / (b + x - 1) * Math.exp((r + x) * Math.log((alpha + h.age()) / (alpha + h.recency())));
    }

    /** FHL 2005 eq. (9). */
    @Override
    public double expectedTransactions(double t) {
        double f = Hypergeometric.f21(r, b, a + b - 1, t / (alpha + t));
        return (a + b - 1) / (a - 1) * (1 - Math.pow(alpha / (alpha + t), r) * f);
    }

    /** FHL 2005 eq. (10). */
    @Override
    public double conditionalExpectedTransactions(Rfm h, double t) {
        int x = h.frequency();
        double ageT = alpha + h.age();
        double f = Hypergeometric.f21(r + x, b + x, a + b + x - 1, t / (ageT + t));
        double numerator = (a + b + x - 1) / (a - 1) * (1 - Math.exp((r + x) * Math.log(ageT / (ageT + t))) * f);
        return numerator / (1 + deadOdds(h));
    }
}
