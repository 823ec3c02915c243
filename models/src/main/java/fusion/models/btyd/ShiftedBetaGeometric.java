package fusion.models.btyd;

import static fusion.models.special.LogSpace.logBeta;

/**
 * The shifted-beta-geometric model of contractual retention (Fader & Hardie 2007, "How to project
 * customer retention", Journal of Interactive Marketing 21(1)). Each customer renews at each period
 * end with their own probability {@code 1 − θ}, {@code θ ~ Beta(γ, δ)}; the mix is why cohort
 * retention rates rise over time even though no individual's does.
 *
 * @param gamma first shape of the churn-probability beta
 * @param delta second shape of the churn-probability beta
 */
public record ShiftedBetaGeometric(double gamma, double delta) {
    public ShiftedBetaGeometric {
        Parameters.requirePositive("sBG", "gamma", gamma, "delta", delta);
    }

    /**
     * Maximum-likelihood estimates from a cohort's survivor counts (FH 2007 eq. 5): those lost in
     * each observed period contribute P(T = t), those still active at the end S(last).
     *
     * @param alive {@code alive[0]} customers at the start, {@code alive[t]} still active after t
     *     periods; non-increasing
     */
    public static Fitted<ShiftedBetaGeometric> fit(long[] alive) {
        if (alive.length < 2) {
            throw new IllegalArgumentException("alive: need the start and at least one period");
        }
        for (int t = 1; t < alive.length; t++) {
            if (alive[t] > alive[t - 1] || alive[t] < 0) {
                throw new IllegalArgumentException("alive: must be non-increasing and >= 0 but alive[" + t + "]="
                        + alive[t] + " after " + alive[t - 1]);
            }
        }
        MaximumLikelihood.Optimum best = MaximumLikelihood.maximise(
                th -> new ShiftedBetaGeometric(th[0], th[1]).logLikelihood(alive),
                new double[] {1, 1},
                new double[] {0.5, 5});
        double[] th = best.parameters();
        return new Fitted<>(new ShiftedBetaGeometric(th[0], th[1]), best.logLikelihood(), alive[0]);
    }

    /** The cohort log-likelihood of survivor counts. */
    public double logLikelihood(long[] alive) {
        double ll = 0;
        int last = alive.length - 1;
        for (int t = 1; t <= last; t++) {
            ll += (alive[t - 1] - alive[t]) * logChurnAt(t);
        }
        return ll + alive[last] * Math.log(survival(last));
    }

    /** P(T = t): the probability a new customer's last period is {@code t} (FH 2007 eq. 3). */
    public double churnAt(int t) {
        return Math.exp(logChurnAt(t));
    }

    private double logChurnAt(int t) {
        return logBeta(gamma + 1, delta + t - 1) - logBeta(gamma, delta);
    }

    /** S(t): the share of a new cohort still active after {@code t} periods (FH 2007 eq. 4). */
    public double survival(int t) {
        return Math.exp(logBeta(gamma, delta + t) - logBeta(gamma, delta));
    }

    /** r(t) = S(t)/S(t−1) = (δ + t − 1)/(γ + δ + t − 1): the cohort's retention rate in period t. */
    public double retentionRate(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("t: periods start at 1 but was " + t);
        }
        return (delta + t - 1) / (gamma + delta + t - 1);
    }

    /** Expected survivors of a cohort of {@code size} after each of periods 0..{@code periods}. */
    public double[] projectAlive(long size, int periods) {
        double[] out = new double[periods + 1];
        for (int t = 0; t <= periods; t++) {
            out[t] = size * survival(t);
        }
        return out;
    }
}
