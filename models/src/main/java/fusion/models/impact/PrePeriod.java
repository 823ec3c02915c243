package fusion.models.impact;

/**
 * Preparing control series from their pre-period: how closely one follows another, and each
 * centred and scaled so a regression on them stays well conditioned whatever their units.
 */
public final class PrePeriod {
    private PrePeriod() {}

    /** Pearson correlation of the first {@code n} points of {@code a} and {@code b}; 0 when either is flat. */
    public static double correlation(double[] a, double[] b, int n) {
        double ma = 0;
        double mb = 0;
        for (int t = 0; t < n; t++) {
            ma += a[t] / n;
            mb += b[t] / n;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int t = 0; t < n; t++) {
            sab += (a[t] - ma) * (b[t] - mb);
            saa += (a[t] - ma) * (a[t] - ma);
            sbb += (b[t] - mb) * (b[t] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    /**
     * Controls as {@code x[t][j]}, each centred and scaled by its mean and standard deviation over
     * the first {@code pre} points (a flat control becomes 0). A regression's fit and counterfactual
     * are unchanged (the intercept absorbs the shift); its posterior covariance stays well scaled
     * for a Cholesky factor when values run to thousands; coefficients are then per standard
     * deviation of each control.
     */
    public static double[][] standardised(double[][] x, int pre) {
        int k = x.length == 0 ? 0 : x[0].length;
        double[][] z = new double[x.length][k];
        for (int j = 0; j < k; j++) {
            double mean = 0;
            for (int t = 0; t < pre; t++) mean += x[t][j] / pre;
            double ss = 0;
            for (int t = 0; t < pre; t++) ss += (x[t][j] - mean) * (x[t][j] - mean);
            double sd = Math.sqrt(ss / pre);
            for (int t = 0; t < x.length; t++) z[t][j] = sd > 0 ? (x[t][j] - mean) / sd : 0;
        }
        return z;
    }
}
