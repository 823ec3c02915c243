package fusion.models.btyd;

import static fusion.models.special.LogSpace.logDiffExp;
import static fusion.models.special.LogSpace.logGamma;
import static fusion.models.special.LogSpace.logSumExp;

import fusion.models.special.Hypergeometric;
import fusion.models.special.IncompleteGamma;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987). While alive a customer buys as a
 * Poisson process with rate {@code λ ~ Gamma(r, α)}; lifetimes are exponential with rate {@code μ ~
 * Gamma(s, β)}.
 *
 * <p>The likelihood follows Fader & Hardie (2005), "A note on deriving the Pareto/NBD model and
 * related expressions", eq. (22): the term for customers who died between {@code t_x} and {@code T}
 * is a difference of two Gauss hypergeometric functions, written with argument {@code (α−β)/(α+t)}
 * when {@code α ≥ β} and {@code (β−α)/(β+t)} otherwise, so the argument always lies in {@code [0,
 * 1)} where the power series converges. The difference is taken in log space.
 *
 * @param r shape of the transaction-rate gamma
 * @param alpha scale of the transaction-rate gamma
 * @param s shape of the dropout-rate gamma
 * @param beta scale of the dropout-rate gamma
 */
public record ParetoNbd(double r, double alpha, double s, double beta) implements TransactionModel {
    /** Above this hypergeometric argument the likelihood integrates numerically (see below). */
    static final double SERIES_LIMIT = 0.9;

    private static final int QUADRATURE_PANELS = 16;
    private static final double[] NODES;
    private static final double[] WEIGHTS;

    static {
        GaussIntegrator rule = new GaussIntegratorFactory().legendreHighPrecision(16);
        NODES = new double[rule.getNumberOfPoints()];
        WEIGHTS = new double[NODES.length];
        for (int i = 0; i < NODES.length; i++) {
            NODES[i] = rule.getPoint(i);
            WEIGHTS[i] = rule.getWeight(i);
        }
    }

    public ParetoNbd {
        Parameters.requirePositive("Pareto/NBD", "r", r, "alpha", alpha, "s", s, "beta", beta);
    }

    /** Maximum-likelihood estimates from the customers' calibration histories. */
    public static Fitted<ParetoNbd> fit(Iterable<Rfm> customers) {
        Patterns patterns = Patterns.of(customers);
        MaximumLikelihood.Optimum best = MaximumLikelihood.maximise(
                p -> patterns.logLikelihood(new ParetoNbd(p[0], p[1], p[2], p[3])),
                new double[] {1, 1, 1, 1},
                new double[] {0.5, 10, 0.5, 10},
                new double[] {0.2, 5, 2, 30});
        double[] p = best.parameters();
        return new Fitted<>(new ParetoNbd(p[0], p[1], p[2], p[3]), best.logLikelihood(), patterns.customers());
    }

    @Override
    public double logLikelihood(Rfm h) {
        int x = h.frequency();
        double common = logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
        return common + logSumExp(logAliveAtT(h), logDiedBeforeT(h));
    }

    /** {@code ln[(α+T)^{−(r+x)} (β+T)^{−s}]}: the customer was still alive at {@code T}. */
    private double logAliveAtT(Rfm h) {
        return -(r + h.frequency()) * Math.log(alpha + h.age()) - s * Math.log(beta + h.age());
    }

    /**
     * {@code ln[s/(r+s+x) · A0]}: the customer died in {@code (t_x, T]}. When {@code α} and
     * {@code β} are far apart and {@code t_x} is small, the hypergeometric argument approaches 1 and
     * its series needs millions of terms (with {@code c − a − b = −s} often an integer, so the usual
     * {@code 1 − z} transformation is singular too); there the same quantity is integrated
     * numerically instead.
     */
    private double logDiedBeforeT(Rfm h) {
        double z = Math.abs(alpha - beta) / (Math.max(alpha, beta) + h.recency());
        return z > SERIES_LIMIT ? logDiedBeforeTByQuadrature(h) : logDiedBeforeTBySeries(h);
    }

    /** The death term in closed form (Fader & Hardie's note, eq. 22). */
    double logDiedBeforeTBySeries(Rfm h) {
        double rsx = r + s + h.frequency();
        return Math.log(s / rsx) + logDiffExp(logA0Term(h, h.recency()), logA0Term(h, h.age()));
    }

    /**
     * The death term as the integral it came from (the note's eq. 19 before the change of
     * variable): {@code ln[s ∫_{t_x}^T (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ]}. With
     * {@code u = ln(min(α,β) + τ)} the integrand is smooth even when one scale is tiny, and
     * composite Gauss-Legendre (16 panels of 16 nodes) resolves it; terms are summed in log space.
     */
    double logDiedBeforeTByQuadrature(Rfm h) {
        if (h.recency() == h.age()) {
            return Double.NEGATIVE_INFINITY;
        }
        int x = h.frequency();
        double m = Math.min(alpha, beta);
        double lo = Math.log(m + h.recency());
        double width = (Math.log(m + h.age()) - lo) / QUADRATURE_PANELS;
        double[] terms = new double[QUADRATURE_PANELS * NODES.length];
        int k = 0;
        for (int panel = 0; panel < QUADRATURE_PANELS; panel++) {
            double centre = lo + (panel + 0.5) * width;
            for (int i = 0; i < NODES.length; i++) {
                double u = centre + 0.5 * width * NODES[i];
                double tau = Math.exp(u) - m;
                terms[k++] = Math.log(0.5 * width * WEIGHTS[i])
                        + u
                        - (r + x) * Math.log(alpha + tau)
                        - (s + 1) * Math.log(beta + tau);
            }
        }
        return Math.log(s) + logSumExp(terms);
    }

    /**
     * {@code ln[2F1(r+s+x, ·; r+s+x+1; z(t)) / (max(α,β) + t)^{r+s+x}]}, in the convergent branch.
     */
    private double logA0Term(Rfm h, double t) {
        int x = h.frequency();
        double rsx = r + s + x;
        if (alpha >= beta) {
            double z = (alpha - beta) / (alpha + t);
            return Hypergeometric.logF21(rsx, s + 1, rsx + 1, z) - rsx * Math.log(alpha + t);
        }
        double z = (beta - alpha) / (beta + t);
        return Hypergeometric.logF21(rsx, r + x, rsx + 1, z) - rsx * Math.log(beta + t);
    }

    /** Fader & Hardie (2005 note) eq. (24): P(alive at T | x, t_x, T). */
    @Override
    public double probabilityAlive(Rfm h) {
        return 1 / (1 + Math.exp(logDiedBeforeT(h) - logAliveAtT(h)));
    }

    /** Schmittlein et al. (1987) eq. (17). */
    @Override
    public double expectedTransactions(double t) {
        if (Math.abs(s - 1) < 1e-10) {
            return r * beta / alpha * Math.log1p(t / beta);
        }
        return r * beta / (alpha * (s - 1)) * (1 - Math.pow(beta / (beta + t), s - 1));
    }

    /** Fader & Hardie (2005 note) eq. (27). */
    @Override
    public double conditionalExpectedTransactions(Rfm h, double t) {
        int x = h.frequency();
        double betaT = beta + h.age();
        double rate = (r + x) * betaT / (alpha + h.age());
        double alive = Math.abs(s - 1) < 1e-10
                ? rate * Math.log1p(t / betaT)
                : rate / (s - 1) * (1 - Math.pow(betaT / (betaT + t), s - 1));
        return alive * probabilityAlive(h);
    }

    /**
     * Discounted expected residual transactions (Fader, Hardie & Lee 2005, "RFM and CLV: using
     * iso-value curves for customer base analysis", JMR 42(4), eq. 2): {@code ∫_T^∞ e^{−δ(t−T)}
     * dE[Y]} over the customer's whole remaining lifetime, with continuous discount rate {@code δ}
     * per time unit. Written with the confluent hypergeometric {@code Ψ(s, s; z) = e^z Γ(1−s, z)}:
     * {@code α^r β^s δ^{s−1} Γ(r+x+1) Ψ(s, s; δ(β+T)) / (Γ(r) (α+T)^{r+x+1} L)}.
     *
     * @param continuousRate {@code δ}, e.g. {@code ln(1.15)/52} for 15% a year in weeks
     */
    public double discountedExpectedResidualTransactions(Rfm h, double continuousRate) {
        if (!(continuousRate > 0)) {
            throw new IllegalArgumentException("continuousRate: must be positive but was " + continuousRate);
        }
        int x = h.frequency();
        double z = continuousRate * (beta + h.age());
        double logPsi = z + IncompleteGamma.logUpper(1 - s, z);
        double log = r * Math.log(alpha)
                + s * Math.log(beta)
                + (s - 1) * Math.log(continuousRate)
                + logGamma(r + x + 1)
                + logPsi
                - logGamma(r)
                - (r + x + 1) * Math.log(alpha + h.age())
                - logLikelihood(h);
        return Math.exp(log);
    }
}
