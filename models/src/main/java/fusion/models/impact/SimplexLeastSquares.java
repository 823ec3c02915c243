package fusion.models.impact;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Solves min_w |A w - b|^2 / 2 subject to w &gt;= 0 and sum(w) = 1 (weights on the probability
 * simplex), the inner problem of the synthetic control method.
 *
 * <p>Method: accelerated projected gradient (FISTA, Beck &amp; Teboulle 2009, SIAM J. Imaging Sci.
 * 2(1)) with the fixed step 1/L, L the largest eigenvalue of A'A, and an adaptive restart whenever
 * the objective goes up (O'Donoghue &amp; Candes 2015). The Euclidean projection onto the simplex
 * is the sort-and-threshold rule (Held, Wolfe &amp; Crowder 1974; Duchi et al. 2008).
 *
 * <p>Convergence test: the Frank-Wolfe duality gap g'w - min_j g_j, with g the gradient, bounds
 * f(w) - f(w*) from above for any convex f on the simplex, so stopping when it is below
 * {@code tolerance} certifies the objective is within {@code tolerance} of the optimum.
 *
 * @param weights    the solution
 * @param objective  |A w - b|^2 / 2 at the solution
 * @param gap        duality gap at the solution (certified distance to the optimum objective)
 * @param iterations iterations used
 * @param converged  whether the gap fell below the tolerance
 */
record SimplexLeastSquares(double[] weights, double objective, double gap, int iterations, boolean converged) {

    static SimplexLeastSquares solve(double[][] a, double[] b, double tolerance, int maxIterations) {
        int m = a.length;
        int j = a[0].length;
        double[][] ata = new double[j][j];
        for (double[] row : a) {
            for (int p = 0; p < j; p++) {
                for (int q = 0; q < j; q++) {
                    ata[p][q] += row[p] * row[q];
                }
            }
        }
        double lipschitz = 0;
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(ata));
        for (double ev : eigen.getRealEigenvalues()) {
            lipschitz = Math.max(lipschitz, ev);
        }
        double step = 1 / Math.max(lipschitz, 1e-300);
        double[] w = new double[j];
        java.util.Arrays.fill(w, 1.0 / j);
        double[] yk = w.clone();
        double t = 1;
        double fPrev = objective(a, b, w);
        int it = 0;
        double gap = Double.POSITIVE_INFINITY;
        while (it < maxIterations) {
            it++;
            double[] g = gradient(a, b, yk, m);
            double[] next = new double[j];
            for (int p = 0; p < j; p++) {
                next[p] = yk[p] - step * g[p];
            }
            next = project(next);
            double f = objective(a, b, next);
            if (f > fPrev) {
                // restart: drop momentum and take a plain projected-gradient step from w
                t = 1;
                yk = w.clone();
                continue;
            }
            double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            for (int p = 0; p < j; p++) {
                yk[p] = next[p] + (t - 1) / tNext * (next[p] - w[p]);
            }
            t = tNext;
            w = next;
            fPrev = f;
            gap = dualityGap(gradient(a, b, w, m), w);
            if (gap <= tolerance) {
                return new SimplexLeastSquares(w, f, gap, it, true);
            }
        }
        return new SimplexLeastSquares(w, fPrev, gap, it, false);
    }

    /** Euclidean projection onto {w >= 0, sum w = 1}. */
    static double[] project(double[] v) {
        double[] u = v.clone();
        java.util.Arrays.sort(u);
        double cumulative = 0;
        double theta = 0;
        for (int k = u.length - 1, count = 1; k >= 0; k--, count++) {
            cumulative += u[k];
            double candidate = (cumulative - 1) / count;
            if (u[k] - candidate > 0) {
                theta = candidate;
            }
        }
        double[] w = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            w[i] = Math.max(v[i] - theta, 0);
        }
        return w;
    }

    private static double dualityGap(double[] g, double[] w) {
        double gw = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int p = 0; p < w.length; p++) {
            gw += g[p] * w[p];
            min = Math.min(min, g[p]);
        }
        return gw - min;
    }

    private static double[] gradient(double[][] a, double[] b, double[] w, int m) {
        double[] g = new double[w.length];
        for (int i = 0; i < m; i++) {
            double r = -b[i];
            for (int p = 0; p < w.length; p++) {
                r += a[i][p] * w[p];
            }
            for (int p = 0; p < w.length; p++) {
                g[p] += a[i][p] * r;
            }
        }
        return g;
    }

    static double objective(double[][] a, double[] b, double[] w) {
        double f = 0;
        for (int i = 0; i < a.length; i++) {
            double r = -b[i];
            for (int p = 0; p < w.length; p++) {
                r += a[i][p] * w[p];
            }
            f += r * r / 2;
        }
        return f;
    }
}
