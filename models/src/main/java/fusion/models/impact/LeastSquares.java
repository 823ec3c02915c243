package fusion.models.impact;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Ordinary least squares by QR decomposition (numerically safer than the normal equations).
 *
 * @param beta          coefficients, one per column of the design
 * @param residuals     y - X beta
 * @param xtxInverse    (X'X)^-1, for standard errors and posterior draws
 * @param rss           residual sum of squares
 */
record LeastSquares(double[] beta, double[] residuals, double[][] xtxInverse, double rss) {

    static LeastSquares fit(double[][] x, double[] y) {
        int n = x.length;
        int p = x[0].length;
        if (n <= p) {
            throw new IllegalArgumentException("design: expected more rows than the " + p + " columns but had " + n);
        }
        RealMatrix design = new Array2DRowRealMatrix(x, true);
        DecompositionSolver qr = new QRDecomposition(design, 1e-12).getSolver();
        if (!qr.isNonSingular()) {
            throw new IllegalArgumentException("design: columns are collinear, cannot fit");
        }
        double[] beta =
                qr.solve(new org.apache.commons.math3.linear.ArrayRealVector(y)).toArray();
        double[] residuals = new double[n];
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double fit = 0;
            for (int j = 0; j < p; j++) {
                fit += x[i][j] * beta[j];
            }
            residuals[i] = y[i] - fit;
            rss += residuals[i] * residuals[i];
        }
        RealMatrix xtx = design.transpose().multiply(design);
        double[][] inverse = new QRDecomposition(xtx).getSolver().getInverse().getData();
        return new LeastSquares(beta, residuals, inverse, rss);
    }

    /** 1 - RSS / TSS. */
    static double rSquared(double[] y, double rss) {
        double mean = 0;
        for (double v : y) {
            mean += v / y.length;
        }
        double tss = 0;
        for (double v : y) {
            tss += (v - mean) * (v - mean);
        }
        return tss > 0 ? 1 - rss / tss : 0;
    }

    /** Lag-1 autocorrelation of a series (mean-centred). */
    static double lag1Autocorrelation(double[] e) {
        double mean = 0;
        for (double v : e) {
            mean += v / e.length;
        }
        double num = 0;
        double den = 0;
        for (int t = 0; t < e.length; t++) {
            den += (e[t] - mean) * (e[t] - mean);
            if (t > 0) {
                num += (e[t] - mean) * (e[t - 1] - mean);
            }
        }
        return den > 0 ? num / den : 0;
    }

    /** Empirical quantile with linear interpolation (type 7) of a sorted array. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
