package fusion.models.impact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.random.Well19937c;

/**
 * Effect of an intervention on an outcome series, predicted from control series that the
 * intervention did not touch: the regression idea of CausalImpact (Brodersen et al. 2015, Annals
 * of Applied Statistics 9(1)) without the local-level state component.
 *
 * <p>Model: y_t = a + b . x_t + e_t, e_t ~ N(0, s^2) iid, fitted on the pre-period. With the
 * reference prior p(a, b, s^2) proportional to 1/s^2 the posterior is s^2 | y ~ (n-p) s_hat^2 /
 * chi^2_(n-p) and (a, b) | s^2, y ~ N(beta_hat, s^2 (X'X)^-1) (Gelman et al., Bayesian Data
 * Analysis, 3rd ed., sec. 14.2). Each posterior draw gives a counterfactual path for the
 * post-period including observation noise; observed minus counterfactual is the effect, and its
 * draws give pointwise, average and cumulative intervals and the tail probability.
 *
 * <p>The interval is only as good as the iid-residual assumption and the fit. The pre-period R^2
 * and the lag-1 autocorrelation of the pre-period residuals are checked; below
 * {@link #MIN_R_SQUARED} or above {@link #MAX_AUTOCORRELATION} the result says plainly that the
 * data cannot support a conclusion. With no control series the model is a constant level, which
 * can only ever be a weak counterfactual.
 */
public final class ControlRegression {

    /** Pre-period R^2 below which the controls do not explain the outcome well enough. */
    public static final double MIN_R_SQUARED = 0.5;
    /** Lag-1 residual autocorrelation above which iid intervals are too narrow to trust. */
    public static final double MAX_AUTOCORRELATION = 0.5;

    private ControlRegression() {}

    /**
     * Tuning of the posterior simulation.
     *
     * @param draws number of posterior draws (e.g. 4000)
     * @param level interval level (e.g. 0.95)
     * @param seed  random seed; the same seed gives the same result
     */
    public record Options(int draws, double level, long seed) {
        public Options {
            if (draws < 100) {
                throw new IllegalArgumentException("draws: expected >= 100 but was " + draws);
            }
            if (!(level > 0 && level < 1)) {
                throw new IllegalArgumentException("level: expected in (0, 1) but was " + level);
            }
        }

        public static Options defaults() {
            return new Options(4000, 0.95, 42L);
        }
    }

    /**
     * One post-period time point.
     *
     * @param index          position in the series
     * @param observed       the outcome
     * @param counterfactual posterior mean prediction without the intervention
     * @param lower          lower prediction bound of the counterfactual
     * @param upper          upper prediction bound of the counterfactual
     * @param effect         observed - counterfactual
     * @param effectLower    lower bound of the effect
     * @param effectUpper    upper bound of the effect
     */
    public record Point(
            int index,
            double observed,
            double counterfactual,
            double lower,
            double upper,
            double effect,
            double effectLower,
            double effectUpper) {}

    /**
     * The estimate.
     *
     * @param preRSquared         R^2 of the pre-period fit
     * @param residualLag1        lag-1 autocorrelation of the pre-period residuals
     * @param durbinWatson        Durbin-Watson statistic of the same residuals (about 2 if iid)
     * @param fitAdequate         whether the pre-period fit passes both checks
     * @param coefficients        posterior mean of (intercept, control coefficients)
     * @param points              post-period points
     * @param averageEffect       mean effect per post-period point, with interval
     * @param cumulativeEffect    summed effect over the post-period, with interval
     * @param tailProbability     posterior probability that the cumulative effect has the
     *                            opposite sign of its estimate (small = an effect is likely)
     * @param message             one plain sentence for people
     */
    public record Result(
            double preRSquared,
            double residualLag1,
            double durbinWatson,
            boolean fitAdequate,
            double[] coefficients,
            List<Point> points,
            Interval averageEffect,
            Interval cumulativeEffect,
            double tailProbability,
            String message) {
        public Result {
            coefficients = coefficients.clone();
            points = List.copyOf(points);
        }

        @Override
        public double[] coefficients() {
            return coefficients.clone();
        }

        /** True when the fit is adequate and the cumulative interval excludes zero. */
        public boolean effectDetected() {
            return fitAdequate && (cumulativeEffect.lower() > 0 || cumulativeEffect.upper() < 0);
        }
    }

    /**
     * An estimate with an equal-tailed interval.
     *
     * @param estimate posterior mean
     * @param lower    lower bound
     * @param upper    upper bound
     */
    public record Interval(double estimate, double lower, double upper) {
        public boolean covers(double value) {
            return lower <= value && value <= upper;
        }
    }

    /**
     * Estimates the effect.
     *
     * @param y                 outcome, one value per time point
     * @param controls          control series as {@code controls[t][k]}; may have zero columns
     * @param interventionIndex first post-intervention index (0-based) in {@code y}
     * @param options           simulation settings
     */
    public static Result analyse(double[] y, double[][] controls, int interventionIndex, Options options) {
        int n = y.length;
        int k = controls.length == 0 ? 0 : controls[0].length;
        if (controls.length != n) {
            throw new IllegalArgumentException("controls: expected " + n + " rows but was " + controls.length);
        }
        if (interventionIndex < k + 3 || interventionIndex >= n) {
            throw new IllegalArgumentException(
                    "interventionIndex: expected in [" + (k + 3) + ", " + (n - 1) + "] but was " + interventionIndex);
        }
        double[][] x = new double[n][k + 1];
        for (int t = 0; t < n; t++) {
            x[t][0] = 1;
            for (int j = 0; j < k; j++) {
                x[t][j + 1] = controls[t][j];
            }
        }
        double[][] xPre = Arrays.copyOfRange(x, 0, interventionIndex);
        double[] yPre = Arrays.copyOfRange(y, 0, interventionIndex);
        LeastSquares ls = LeastSquares.fit(xPre, yPre);
        double r2 = k == 0 ? 0 : LeastSquares.rSquared(yPre, ls.rss());
        double rho = LeastSquares.lag1Autocorrelation(ls.residuals());
        double dw = durbinWatson(ls.residuals());
        return simulate(y, x, interventionIndex, ls, r2, rho, dw, k, options);
    }

    private static Result simulate(
            double[] y, double[][] x, int t0, LeastSquares ls, double r2, double rho, double dw, int k, Options o) {
        int n = y.length;
        int p = k + 1;
        int post = n - t0;
        int dof = t0 - p;
        double s2 = ls.rss() / dof;
        double[][] chol = new CholeskyDecomposition(new Array2DRowRealMatrix(ls.xtxInverse()), 1e-10, 1e-14)
                .getL()
                .getData();
        Well19937c rng = new Well19937c(o.seed());
        ChiSquaredDistribution chi2 = new ChiSquaredDistribution(rng, dof);
        Random normal = new Random(o.seed() ^ 0x5DEECE66DL);
        double[][] cf = new double[post][o.draws()];
        double[] cumulative = new double[o.draws()];
        double[] meanBeta = new double[p];
        for (int d = 0; d < o.draws(); d++) {
            double sigma2 = dof * s2 / chi2.sample();
            double sigma = Math.sqrt(sigma2);
            double[] z = new double[p];
            for (int j = 0; j < p; j++) {
                z[j] = normal.nextGaussian();
            }
            double[] beta = ls.beta().clone();
            for (int i = 0; i < p; i++) {
                for (int j = 0; j <= i; j++) {
                    beta[i] += sigma * chol[i][j] * z[j];
                }
                meanBeta[i] += beta[i] / o.draws();
            }
            for (int t = 0; t < post; t++) {
                double mu = 0;
                for (int j = 0; j < p; j++) {
                    mu += x[t0 + t][j] * beta[j];
                }
                cf[t][d] = mu + sigma * normal.nextGaussian();
                cumulative[d] += y[t0 + t] - cf[t][d];
            }
        }
        double a = (1 - o.level()) / 2;
        List<Point> points = new ArrayList<>(post);
        for (int t = 0; t < post; t++) {
            double[] s = cf[t].clone();
            Arrays.sort(s);
            double mean = Arrays.stream(s).average().orElseThrow();
            double lo = LeastSquares.quantile(s, a);
            double hi = LeastSquares.quantile(s, 1 - a);
            double obs = y[t0 + t];
            points.add(new Point(t0 + t, obs, mean, lo, hi, obs - mean, obs - hi, obs - lo));
        }
        double[] sorted = cumulative.clone();
        Arrays.sort(sorted);
        double cum = Arrays.stream(sorted).average().orElseThrow();
        Interval cumulativeEffect =
                new Interval(cum, LeastSquares.quantile(sorted, a), LeastSquares.quantile(sorted, 1 - a));
        Interval average = new Interval(cum / post, cumulativeEffect.lower() / post, cumulativeEffect.upper() / post);
        long opposite = Arrays.stream(cumulative)
                .filter(c -> cum >= 0 ? c <= 0 : c >= 0)
                .count();
        double tail = (opposite + 1.0) / (o.draws() + 1.0);
        boolean adequate = k > 0 && r2 >= MIN_R_SQUARED && Math.abs(rho) <= MAX_AUTOCORRELATION;
        String message = message(adequate, k, r2, rho, average, tail, o.level());
        return new Result(r2, rho, dw, adequate, meanBeta, points, average, cumulativeEffect, tail, message);
    }

    /**
     * The verdict in plain words, led by the number that decided it: the share of the series'
     * movement the controls explain, or how strongly the fit's errors run in streaks, when the fit
     * is not good enough to conclude; the interval when it is.
     */
    static String message(boolean adequate, int k, double r2, double rho, Interval average, double tail, double level) {
        String effect = "an average effect of " + plain(average.estimate()) + " per period ("
                + Math.round(100 * level) + "% interval " + plain(average.lower()) + " to " + plain(average.upper())
                + ")";
        if (k == 0) {
            return "No verdict: there is no control series to show what would have happened without the action, "
                    + "so " + effect + " rests on the level before it alone.";
        }
        if (!adequate) {
            String decided = r2 < MIN_R_SQUARED
                    ? String.format(
                            Locale.ROOT,
                            "the controls explain only %.0f%% of the series' movement before the action (at "
                                    + "least %.0f%% is needed)",
                            100 * r2,
                            100 * MIN_R_SQUARED)
                    : String.format(
                            Locale.ROOT,
                            "before the action the fit's misses run in streaks (day-to-day correlation %.2f; "
                                    + "at most %.2f is allowed), so its interval would look surer than it is",
                            rho,
                            MAX_AUTOCORRELATION);
            return "No verdict: " + decided + ". The estimate, " + effect + ", is not to be relied on.";
        }
        String explained = String.format(
                Locale.ROOT, "the controls explain %.0f%% of the series' movement before the action", 100 * r2);
        if (average.lower() > 0 || average.upper() < 0) {
            return "The action had an effect: " + effect + ", which excludes zero; " + explained + ", and only "
                    + plain(100 * tail) + "% of the simulated paths without the action come out this far.";
        }
        return "No effect can be told apart from noise: " + effect + " includes zero; " + explained + ".";
    }

    /** A number for people: whole from 100 up, else three significant digits, no trailing zeros. */
    static String plain(double v) {
        if (!Double.isFinite(v)) return String.valueOf(v);
        if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%,.0f", v);
        if (v == 0) return "0";
        return new java.math.BigDecimal(v)
                .round(new java.math.MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
    }

    private static double durbinWatson(double[] e) {
        double num = 0;
        double den = 0;
        for (int t = 0; t < e.length; t++) {
            den += e[t] * e[t];
            if (t > 0) {
                num += (e[t] - e[t - 1]) * (e[t] - e[t - 1]);
            }
        }
        return den > 0 ? num / den : 2;
    }
}
