package fusion.models.btyd;

import static fusion.models.special.LogSpace.logBeta;
import static fusion.models.special.LogSpace.logGamma;
import static fusion.models.special.LogSpace.logSumExp;

import java.util.ArrayList;
import java.util.List;

/**
 * The beta-geometric/beta-Bernoulli model (Fader, Hardie & Shang 2010, "Customer-base analysis in a
 * discrete-time noncontractual setting", Marketing Science 29(6)), for discrete transaction
 * opportunities: a yearly donation, a conference, a renewal window. While alive, a customer
 * transacts at each opportunity with probability {@code p ~ Beta(α, β)}; before each opportunity an
 * alive customer dies with probability {@code θ ~ Beta(γ, δ)}.
 *
 * @param alpha first shape of the transaction-probability beta
 * @param beta second shape of the transaction-probability beta
 * @param gamma first shape of the dropout-probability beta
 * @param delta second shape of the dropout-probability beta
 */
public record BgBb(double alpha, double beta, double gamma, double delta) {
    public BgBb {
        Parameters.requirePositive("BG/BB", "alpha", alpha, "beta", beta, "gamma", gamma, "delta", delta);
    }

    /**
     * Customers sharing one history over {@code n} opportunities.
     *
     * @param frequency {@code x}: transactions in the {@code n} opportunities
     * @param recency {@code t_x}: the opportunity of the last transaction (0 if none)
     * @param periods {@code n}: opportunities observed
     * @param customers how many customers have this history
     */
    public record Pattern(int frequency, int recency, int periods, long customers) {
        public Pattern {
            if (frequency < 0
                    || recency < frequency
                    || recency > periods
                    || (frequency == 0) != (recency == 0)
                    || customers < 0) {
                throw new IllegalArgumentException("BG/BB pattern: expected 0 <= x <= t_x <= n, t_x = 0 iff"
                        + " x = 0, customers >= 0 but was x=" + frequency + ", t_x=" + recency + ", n="
                        + periods + ", customers=" + customers);
            }
        }
    }

    /** Maximum-likelihood estimates from counted histories. */
    public static Fitted<BgBb> fit(Iterable<Pattern> patterns) {
        List<Pattern> list = new ArrayList<>();
        patterns.forEach(list::add);
        MaximumLikelihood.Optimum best = MaximumLikelihood.maximise(
                th -> {
                    BgBb m = new BgBb(th[0], th[1], th[2], th[3]);
                    double sum = 0;
                    for (Pattern p : list) {
                        sum += p.customers() * m.logLikelihood(p.frequency(), p.recency(), p.periods());
                    }
                    return sum;
                },
                new double[] {1, 1, 1, 1},
                new double[] {0.5, 2, 0.5, 2},
                new double[] {2, 0.5, 2, 5});
        double[] th = best.parameters();
        long n = list.stream().mapToLong(Pattern::customers).sum();
        return new Fitted<>(new BgBb(th[0], th[1], th[2], th[3]), best.logLikelihood(), n);
    }

    /** FHS 2010 eq. (5): alive throughout, or died after one of the opportunities t_x..n−1. */
    public double logLikelihood(int x, int tx, int n) {
        double[] terms = new double[n - tx + 1];
        terms[0] = logAliveThroughout(x, n);
        for (int i = 0; i < n - tx; i++) {
            terms[i + 1] = logBeta(alpha + x, beta + tx - x + i)
                    - logBeta(alpha, beta)
                    + logBeta(gamma + 1, delta + tx + i)
                    - logBeta(gamma, delta);
        }
        return logSumExp(terms);
    }

    private double logAliveThroughout(int x, int n) {
        return logBeta(alpha + x, beta + n - x)
                - logBeta(alpha, beta)
                + logBeta(gamma, delta + n)
                - logBeta(gamma, delta);
    }

    /** FHS 2010 eq. (11): P(alive at opportunity n + 1 | x, t_x, n). */
    public double probabilityAlive(int x, int tx, int n) {
        double alive = logBeta(alpha + x, beta + n - x)
                - logBeta(alpha, beta)
                + logBeta(gamma, delta + n + 1)
                - logBeta(gamma, delta);
        return Math.exp(alive - logLikelihood(x, tx, n));
    }

    /** FHS 2010 eq. (7): E[X(n)], expected transactions of a new customer in n opportunities. */
    public double expectedTransactions(int n) {
        double ratio = Math.exp(
                logGamma(gamma + delta) + logGamma(1 + delta + n) - logGamma(gamma + delta + n) - logGamma(1 + delta));
        return alpha / (alpha + beta) * delta / (gamma - 1) * (1 - ratio);
    }

    /** FHS 2010 eq. (13): expected transactions in opportunities n+1..n+m given the history. */
    public double conditionalExpectedTransactions(int x, int tx, int n, int m) {
        double lead = Math.exp(logBeta(alpha + x + 1, beta + n - x)
                - logBeta(alpha, beta)
                + logGamma(gamma + delta)
                - logGamma(1 + delta)
                - logLikelihood(x, tx, n));
        double bracket = Math.exp(logGamma(1 + delta + n) - logGamma(gamma + delta + n))
                - Math.exp(logGamma(1 + delta + n + m) - logGamma(gamma + delta + n + m));
        return lead * delta / (gamma - 1) * bracket;
    }
}
