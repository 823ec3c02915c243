package fusion.models.special;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * Arithmetic on logarithms. Likelihoods of count models are products of gamma-function ratios that
 * overflow a double long before the data gets interesting, so the models add and subtract their
 * terms here, as logarithms, and exponentiate only at the end.
 */
public final class LogSpace {
    private LogSpace() {}

    /** {@code ln Γ(x)} for {@code x > 0}. */
    public static double logGamma(double x) {
        return Gamma.logGamma(x);
    }

    /** {@code ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b)} for {@code a, b > 0}. */
    public static double logBeta(double a, double b) {
        return Beta.logBeta(a, b);
    }

    /** {@code ln(e^a + e^b)} without overflow; either argument may be {@code -∞}. */
    public static double logSumExp(double a, double b) {
        double max = Math.max(a, b);
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        return max + Math.log1p(Math.exp(Math.min(a, b) - max));
    }

    /** {@code ln Σ e^{x_i}} without overflow; {@code -∞} for no terms. */
    public static double logSumExp(double... xs) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : xs) {
            max = Math.max(max, x);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        double sum = 0;
        for (double x : xs) {
            sum += Math.exp(x - max);
        }
        return max + Math.log(sum);
    }

    /**
     * {@code ln(e^a − e^b)} for {@code a ≥ b}; {@code -∞} when the two are equal (or when rounding
     * put {@code b} above {@code a}: the callers' differences are non-negative by construction).
     */
    public static double logDiffExp(double a, double b) {
        if (b >= a) {
            return Double.NEGATIVE_INFINITY;
        }
        return a + log1mExp(b - a);
    }

    /** {@code ln(1 − e^x)} for {@code x ≤ 0}, accurate at both ends (Mächler 2012). */
    public static double log1mExp(double x) {
        return x > -Math.log(2) ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
    }
}
