package fusion.models.special;

import org.apache.commons.math3.special.Gamma;

/**
 * The upper incomplete gamma function {@code Γ(a, z) = ∫_z^∞ t^{a−1} e^{−t} dt} for any real
 * {@code a} and {@code z > 0}. commons-math3 covers {@code a > 0} (as a regularised ratio); for
 * {@code a ≤ 0}, which the Pareto/NBD discounted residual transactions need when {@code s ≥ 1},
 * the recurrence {@code Γ(a, z) = (Γ(a+1, z) − z^a e^{−z}) / a} (A&S 6.5.22) steps down from a
 * positive order. At {@code a = 0} exactly the recurrence is singular; the exponential integral
 * {@code E1(z)} is then taken as the mean of the neighbours at {@code ±1e-7}.
 */
public final class IncompleteGamma {
    private IncompleteGamma() {}

    /** {@code ln Γ(a, z)} for {@code z > 0}. */
    public static double logUpper(double a, double z) {
        if (!(z > 0)) {
            throw new IllegalArgumentException("z: must be positive but was " + z);
        }
        if (a > 0) {
            return Gamma.logGamma(a) + Math.log(Gamma.regularizedGammaQ(a, z));
        }
        if (a == Math.rint(a)) {
            return Math.log((Math.exp(logUpper(a - 1e-7, z)) + Math.exp(logUpper(a + 1e-7, z))) / 2);
        }
        int steps = (int) Math.ceil(-a);
        if (a + steps == 0) {
            steps++;
        }
        double value = Math.exp(logUpper(a + steps, z));
        for (double order = a + steps - 1; order >= a - 1e-12; order--) {
            value = (value - Math.exp(order * Math.log(z) - z)) / order;
        }
        return Math.log(value);
    }
}
