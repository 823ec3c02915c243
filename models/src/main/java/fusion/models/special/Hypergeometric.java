package fusion.models.special;

/**
 * The Gauss hypergeometric function {@code 2F1(a, b; c; z)} for real arguments and {@code z < 1}.
 *
 * <p>Inside the unit disc the defining power series {@code Σ (a)_k (b)_k / ((c)_k k!) z^k}
 * converges, fast for small {@code |z|}. For negative {@code z} (where Pareto/NBD and BG/NBD
 * arguments can land under other parameterisations, and where {@code z ≤ -1} has no convergent
 * series at all) the Pfaff transformation (Abramowitz & Stegun 15.3.4) {@code 2F1(a, b; c; z) = (1
 * − z)^{−a} 2F1(a, c − b; c; z / (z − 1))} maps the argument into {@code [0, 1)}; it is applied
 * below {@code z = -1/2}, where it shortens the series. Arguments at or above 1 are rejected: the
 * BTYD likelihoods are written (via their alternative parameterisations) so they never need them.
 */
public final class Hypergeometric {
    private static final int MAX_TERMS = 2_000_000;
    private static final double EPSILON = 1e-16;

    private Hypergeometric() {}

    /** {@code 2F1(a, b; c; z)} for {@code z < 1} and {@code c} not a non-positive integer. */
    public static double f21(double a, double b, double c, double z) {
        if (!(z < 1)) {
            throw new IllegalArgumentException("2F1: z must be below 1 but was " + z);
        }
        if (c <= 0 && c == Math.rint(c)) {
            throw new IllegalArgumentException("2F1: c must not be a non-positive integer but was " + c);
        }
        if (z < -0.5) {
            double w = z / (z - 1);
            return Math.pow(1 - z, -a) * series(a, c - b, c, w);
        }
        return series(a, b, c, z);
    }

    /** {@code ln 2F1(a, b; c; z)}, for arguments where the function is positive. */
    public static double logF21(double a, double b, double c, double z) {
        if (z < -0.5) {
            double w = z / (z - 1);
            return -a * Math.log1p(-z) + Math.log(series(a, c - b, c, w));
        }
        return Math.log(f21(a, b, c, z));
    }

    private static double series(double a, double b, double c, double z) {
        double term = 1;
        double sum = 1;
        for (int k = 0; k < MAX_TERMS; k++) {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            sum += term;
            boolean shrinking = Math.abs((a + k + 1) * (b + k + 1) * z) < Math.abs((c + k + 1) * (k + 2));
            if (term == 0 || (shrinking && Math.abs(term) <= EPSILON * Math.abs(sum))) {
                return sum;
            }
        }
        throw new ArithmeticException(
                "2F1(" + a + ", " + b + "; " + c + "; " + z + "): series did not converge in " + MAX_TERMS + " terms");
    }
}
