package fusion.decisions;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The uplift of an action on a continuous outcome (the change of a score): the mean of the people
 * who got it minus that of the people held out, with a 95% interval from Welch's t test (unequal
 * variances, Welch-Satterthwaite degrees of freedom; Welch 1947, Biometrika 34, eq. 9).
 */
public record MeanUplift(
        long treated,
        long heldOut,
        double treatedMean,
        double heldOutMean,
        double uplift,
        double low,
        double high,
        double degreesOfFreedom) {

    /** Needs at least two people in each arm (a variance needs two). */
    public static MeanUplift of(double[] treated, double[] heldOut) {
        if (treated.length < 2 || heldOut.length < 2) {
            throw new IllegalArgumentException("a mean uplift needs at least 2 people in each arm: treated "
                    + treated.length + ", held out " + heldOut.length);
        }
        double m1 = mean(treated), m0 = mean(heldOut);
        double v1 = variance(treated, m1) / treated.length, v0 = variance(heldOut, m0) / heldOut.length;
        double se = Math.sqrt(v1 + v0);
        double d = m1 - m0;
        if (se == 0) {
            return new MeanUplift(treated.length, heldOut.length, m1, m0, d, d, d, Double.POSITIVE_INFINITY);
        }
        double df = (v1 + v0) * (v1 + v0) / (v1 * v1 / (treated.length - 1) + v0 * v0 / (heldOut.length - 1));
        double t = new TDistribution(df).inverseCumulativeProbability(0.975);
        return new MeanUplift(treated.length, heldOut.length, m1, m0, d, d - t * se, d + t * se, df);
    }

    public boolean covers(double value) {
        return low <= value && value <= high;
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) s += x;
        return s / xs.length;
    }

    /** The sample variance (n - 1 in the denominator). */
    private static double variance(double[] xs, double mean) {
        double s = 0;
        for (double x : xs) s += (x - mean) * (x - mean);
        return s / (xs.length - 1);
    }
}
