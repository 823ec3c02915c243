package fusion.models.drivers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Relative importance of correlated drivers.
 *
 * <p>OLS on standardised variables gives standardised coefficients, which are unstable when
 * drivers are correlated (as survey items are). LMG (Lindeman, Merenda &amp; Gold 1980; Gromping
 * 2006, J. Stat. Software 17(1)) instead gives each driver its Shapley value in the game whose
 * worth is R^2: the average, over all orders of entering the drivers, of the R^2 gained when the
 * driver enters. Summed over subsets S not holding j with weight |S|! (p-1-|S|)! / p!, it is exact;
 * the shares are non-negative and add up to the full-model R^2 (Shapley efficiency).
 *
 * <p>R^2 of every subset comes from the correlation matrix: R^2(S) = r_S' R_SS^-1 r_S, so 2^p
 * small solves and no refits (p &lt;= 15 is accepted; 2^9 = 512 here). Intervals are bootstrap
 * percentiles over resampled respondents with a fixed seed.
 */
public final class DriverAnalysis {

    private static final int MAX_DRIVERS = 15;

    private DriverAnalysis() {}

    /**
     * One driver's importance.
     *
     * @param name          driver name
     * @param coefficient   OLS coefficient in the driver's own units
     * @param standardised  OLS coefficient on standardised variables (beta weight)
     * @param lmg           R^2 attributed to the driver (the LMG shares sum to R^2)
     * @param lmgLower      bootstrap lower bound of {@code lmg}
     * @param lmgUpper      bootstrap upper bound of {@code lmg}
     * @param rank          1 = most important by {@code lmg}
     * @param rankAgreement share of bootstrap samples giving the driver the same rank
     */
    public record Driver(
            String name,
            double coefficient,
            double standardised,
            double lmg,
            double lmgLower,
            double lmgUpper,
            int rank,
            double rankAgreement) {

        /** The driver's share of the explained variance, lmg / R^2. */
        public double shareOfRSquared(double rSquared) {
            return lmg / rSquared;
        }
    }

    /**
     * The analysis.
     *
     * @param respondents number of rows
     * @param rSquared    R^2 of the full model
     * @param drivers     drivers, most important first
     * @param resamples   bootstrap resamples used
     * @param level       interval level
     * @param rankCorrelation mean Spearman correlation between the bootstrap rankings and the
     *                        point ranking (1 = every resample ranks the drivers the same)
     */
    public record Result(
            int respondents,
            double rSquared,
            List<Driver> drivers,
            int resamples,
            double level,
            double rankCorrelation) {
        public Result {
            drivers = List.copyOf(drivers);
        }
    }

    /**
     * Runs the analysis.
     *
     * @param outcome   the outcome (e.g. overall satisfaction), one per respondent
     * @param drivers   {@code drivers[i][j]}: respondent i's answer to driver j
     * @param names     driver names
     * @param resamples bootstrap resamples (0 for none)
     * @param level     interval level, e.g. 0.95
     * @param seed      bootstrap seed
     */
    public static Result analyse(
            double[] outcome, double[][] drivers, List<String> names, int resamples, double level, long seed) {
        int n = outcome.length;
        int p = names.size();
        if (p == 0 || p > MAX_DRIVERS) {
            throw new IllegalArgumentException("names: expected 1.." + MAX_DRIVERS + " drivers but was " + p);
        }
        if (drivers.length != n || n <= p + 1) {
            throw new IllegalArgumentException(
                    "drivers: expected " + n + " rows (more than " + (p + 1) + ") but was " + drivers.length);
        }
        Fit full = fit(outcome, drivers, IntStream.range(0, n).toArray(), p);
        Integer[] order = IntStream.range(0, p)
                .boxed()
                .sorted(Comparator.comparingDouble(j -> -full.lmg[j]))
                .toArray(Integer[]::new);
        int[] rank = new int[p];
        for (int r = 0; r < p; r++) {
            rank[order[r]] = r + 1;
        }
        double[][] boot = new double[p][resamples];
        int[] sameRank = new int[p];
        double spearman = 0;
        Random random = new Random(seed);
        for (int b = 0; b < resamples; b++) {
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = random.nextInt(n);
            }
            Fit f = fit(outcome, drivers, rows, p);
            Integer[] o = IntStream.range(0, p)
                    .boxed()
                    .sorted(Comparator.comparingDouble(j -> -f.lmg[j]))
                    .toArray(Integer[]::new);
            double squared = 0;
            for (int r = 0; r < p; r++) {
                if (rank[o[r]] == r + 1) {
                    sameRank[o[r]]++;
                }
                squared += Math.pow(rank[o[r]] - (r + 1), 2);
            }
            spearman += p > 1 ? (1 - 6 * squared / (p * ((double) p * p - 1))) / resamples : 0;
            for (int j = 0; j < p; j++) {
                boot[j][b] = f.lmg[j];
            }
        }
        List<Driver> out = new ArrayList<>();
        double a = (1 - level) / 2;
        for (int j : order) {
            double[] s = boot[j].clone();
            Arrays.sort(s);
            double lo = resamples > 0 ? quantile(s, a) : Double.NaN;
            double hi = resamples > 0 ? quantile(s, 1 - a) : Double.NaN;
            out.add(new Driver(
                    names.get(j),
                    full.beta[j] * full.sdY / full.sdX[j],
                    full.beta[j],
                    full.lmg[j],
                    lo,
                    hi,
                    rank[j],
                    resamples > 0 ? (double) sameRank[j] / resamples : Double.NaN));
        }
        return new Result(n, full.r2, out, resamples, level, resamples > 0 ? spearman : Double.NaN);
    }

    private record Fit(double r2, double[] beta, double[] lmg, double sdY, double[] sdX) {}

    /** Correlations, subset R^2 for all 2^p subsets, standardised betas, and LMG. */
    private static Fit fit(double[] y, double[][] x, int[] rows, int p) {
        int k = p + 1;
        double[] mean = new double[k];
        for (int i : rows) {
            mean[0] += y[i];
            for (int j = 0; j < p; j++) {
                mean[j + 1] += x[i][j];
            }
        }
        for (int j = 0; j < k; j++) {
            mean[j] /= rows.length;
        }
        double[][] cov = new double[k][k];
        double[] v = new double[k];
        for (int i : rows) {
            v[0] = y[i] - mean[0];
            for (int j = 0; j < p; j++) {
                v[j + 1] = x[i][j] - mean[j + 1];
            }
            for (int a = 0; a < k; a++) {
                for (int b = 0; b <= a; b++) {
                    cov[a][b] += v[a] * v[b];
                }
            }
        }
        double[] sd = new double[k];
        for (int a = 0; a < k; a++) {
            sd[a] = Math.sqrt(cov[a][a] / (rows.length - 1));
        }
        double[][] corr = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b <= a; b++) {
                corr[a][b] = cov[a][b] / Math.sqrt(cov[a][a] * cov[b][b]);
                corr[b][a] = corr[a][b];
            }
        }
        int subsets = 1 << p;
        double[] r2 = new double[subsets];
        for (int mask = 1; mask < subsets; mask++) {
            r2[mask] = subsetRSquared(corr, mask, p, null);
        }
        double[] beta = new double[p];
        subsetRSquared(corr, subsets - 1, p, beta);
        double[] weight = new double[p];
        for (int s = 0; s < p; s++) {
            weight[s] = 1.0 / (p * binomial(p - 1, s));
        }
        double[] lmg = new double[p];
        for (int mask = 0; mask < subsets; mask++) {
            int size = Integer.bitCount(mask);
            for (int j = 0; j < p; j++) {
                if ((mask & (1 << j)) == 0) {
                    lmg[j] += weight[size] * (r2[mask | (1 << j)] - r2[mask]);
                }
            }
        }
        return new Fit(r2[subsets - 1], beta, lmg, sd[0], Arrays.copyOfRange(sd, 1, k));
    }

    /**
     * R^2 of the drivers in {@code mask}: solves R_SS b = r_S by Cholesky; fills {@code beta}
     * (indexed by driver) when it is given.
     */
    static double subsetRSquared(double[][] corr, int mask, int p, double[] beta) {
        int[] idx = IntStream.range(0, p).filter(j -> (mask & (1 << j)) != 0).toArray();
        int m = idx.length;
        double[][] l = new double[m][m];
        for (int a = 0; a < m; a++) {
            for (int b = 0; b <= a; b++) {
                double s = corr[idx[a] + 1][idx[b] + 1];
                for (int c = 0; c < b; c++) {
                    s -= l[a][c] * l[b][c];
                }
                if (a == b) {
                    if (s <= 1e-12) {
                        throw new IllegalArgumentException(
                                "drivers: collinear set " + Arrays.toString(idx) + ", R^2 undefined");
                    }
                    l[a][a] = Math.sqrt(s);
                } else {
                    l[a][b] = s / l[b][b];
                }
            }
        }
        double[] z = new double[m];
        for (int a = 0; a < m; a++) {
            double s = corr[0][idx[a] + 1];
            for (int c = 0; c < a; c++) {
                s -= l[a][c] * z[c];
            }
            z[a] = s / l[a][a];
        }
        double r2 = 0;
        for (double zi : z) {
            r2 += zi * zi;
        }
        if (beta != null) {
            double[] b = new double[m];
            for (int a = m - 1; a >= 0; a--) {
                double s = z[a];
                for (int c = a + 1; c < m; c++) {
                    s -= l[c][a] * b[c];
                }
                b[a] = s / l[a][a];
            }
            for (int a = 0; a < m; a++) {
                beta[idx[a]] = b[a];
            }
        }
        return r2;
    }

    private static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }

    private static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
