package fusion.models.impact;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Two-group, two-period difference-in-differences as the regression
 * y = a + b treated + c post + d (treated x post) + e, where d is the effect (Angrist &amp; Pischke,
 * Mostly Harmless Econometrics, sec. 5.2). Three standard errors for d: classical (iid errors),
 * heteroskedasticity-robust HC1 (White 1980 with the n/(n-k) correction), and cluster-robust CR1
 * with clusters given per observation (Liang &amp; Zeger 1986; small-sample factor
 * G/(G-1) (n-1)/(n-k), as Stata's {@code vce(cluster)}). Clustering by unit allows a store's two
 * waves to be correlated. The interval and p-value use the clustered error with a t distribution
 * on G-1 degrees of freedom.
 */
public final class DifferenceInDifferences {

    private DifferenceInDifferences() {}

    /**
     * One observation of a unit in a period.
     *
     * @param cluster unit (or other cluster) identifier, for clustered errors
     * @param treated whether the unit belongs to the treated group
     * @param post    whether the observation is after the intervention
     * @param outcome the outcome
     */
    public record Observation(String cluster, boolean treated, boolean post, double outcome) {}

    /**
     * The estimate.
     *
     * @param effect        difference-in-differences estimate
     * @param seClassical   iid standard error
     * @param seRobust      HC1 heteroskedasticity-robust standard error
     * @param seClustered   CR1 cluster-robust standard error
     * @param lower         lower bound of the interval (clustered)
     * @param upper         upper bound of the interval (clustered)
     * @param pValue        two-sided p-value for no effect (clustered)
     * @param cellMeans     mean outcome by cell: control-pre, control-post, treated-pre,
     *                      treated-post
     * @param observations  rows used
     * @param clusters      number of clusters
     * @param message       one plain sentence
     */
    public record Result(
            double effect,
            double seClassical,
            double seRobust,
            double seClustered,
            double lower,
            double upper,
            double pValue,
            double[] cellMeans,
            int observations,
            int clusters,
            String message) {
        public Result {
            cellMeans = cellMeans.clone();
        }

        @Override
        public double[] cellMeans() {
            return cellMeans.clone();
        }
    }

    /** Estimates the effect with a {@code level} (e.g. 0.95) interval. */
    public static Result estimate(List<Observation> data, double level) {
        int n = data.size();
        double[][] x = new double[n][];
        double[] y = new double[n];
        double[] sums = new double[4];
        int[] counts = new int[4];
        for (int i = 0; i < n; i++) {
            Observation o = data.get(i);
            if (!Double.isFinite(o.outcome())) {
                throw new IllegalArgumentException(
                        "outcome: expected a number but was " + o.outcome() + " at observation " + i);
            }
            double tr = o.treated() ? 1 : 0;
            double po = o.post() ? 1 : 0;
            x[i] = new double[] {1, tr, po, tr * po};
            y[i] = o.outcome();
            int cell = (o.treated() ? 2 : 0) + (o.post() ? 1 : 0);
            sums[cell] += y[i];
            counts[cell]++;
        }
        for (int c = 0; c < 4; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("data: the " + cellName(c) + " cell is empty");
            }
            sums[c] /= counts[c];
        }
        LeastSquares ls = LeastSquares.fit(x, y);
        int k = 4;
        double[][] inv = ls.xtxInverse();
        double seClassical = Math.sqrt(ls.rss() / (n - k) * inv[3][3]);
        double[][] meat = new double[k][k];
        for (int i = 0; i < n; i++) {
            addOuter(meat, x[i], ls.residuals()[i]);
        }
        double seRobust = Math.sqrt(sandwich(inv, meat)[3][3] * n / (n - k));
        Map<String, double[]> scores = new HashMap<>();
        for (int i = 0; i < n; i++) {
            double[] s = scores.computeIfAbsent(data.get(i).cluster(), c -> new double[k]);
            for (int j = 0; j < k; j++) {
                s[j] += x[i][j] * ls.residuals()[i];
            }
        }
        double[][] clusterMeat = new double[k][k];
        for (double[] s : scores.values()) {
            addOuter(clusterMeat, s, 1);
        }
        int g = scores.size();
        double factor = (double) g / (g - 1) * (n - 1.0) / (n - k);
        double seClustered = Math.sqrt(sandwich(inv, clusterMeat)[3][3] * factor);
        TDistribution t = new TDistribution(g - 1);
        double crit = t.inverseCumulativeProbability(1 - (1 - level) / 2);
        double d = ls.beta()[3];
        double p = 2 * (1 - t.cumulativeProbability(Math.abs(d / seClustered)));
        String message = String.format(
                Locale.ROOT,
                "Difference-in-differences %.3f (%.0f%% " + "interval [%.3f, %.3f], clustered SE %.3f, p = %.3g): %s",
                d,
                100 * level,
                d - crit * seClustered,
                d + crit * seClustered,
                seClustered,
                p,
                p < 1 - level
                        ? "an effect distinguishable from zero."
                        : "the data cannot tell this apart from no effect.");
        return new Result(
                d,
                seClassical,
                seRobust,
                seClustered,
                d - crit * seClustered,
                d + crit * seClustered,
                p,
                sums,
                n,
                g,
                message);
    }

    private static String cellName(int c) {
        return (c >= 2 ? "treated" : "control") + "-" + (c % 2 == 1 ? "post" : "pre");
    }

    private static void addOuter(double[][] m, double[] v, double scale) {
        for (int a = 0; a < v.length; a++) {
            for (int b = 0; b < v.length; b++) {
                m[a][b] += v[a] * v[b] * scale * scale;
            }
        }
    }

    private static double[][] sandwich(double[][] bread, double[][] meat) {
        int k = bread.length;
        double[][] tmp = new double[k][k];
        double[][] out = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                for (int l = 0; l < k; l++) {
                    tmp[i][j] += bread[i][l] * meat[l][j];
                }
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                for (int l = 0; l < k; l++) {
                    out[i][j] += tmp[i][l] * bread[l][j];
                }
            }
        }
        return out;
    }
}
