package fusion.server.models;

import fusion.core.model.InvalidInput;
import fusion.models.impact.ControlRegression;
import fusion.models.impact.DifferenceInDifferences;
import fusion.models.impact.PrePeriod;
import fusion.models.impact.SyntheticControl;
import fusion.store.BrandAction;
import fusion.store.BrandSummary;
import fusion.store.BrandView;
import fusion.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The effect of a declared brand action on the brand's daily series, against the other brands'
 * same series as controls (docs/MODELS.md, "Live use").
 *
 * <p>Days are UTC days. The post-period starts on the day the action starts and runs for
 * {@code days} complete days (today, incomplete, is never used). The pre-period is the
 * {@code preDays} days before it, cut to the brand's first active day. Controls are the other
 * brands whose series moves in the pre-period; the regression uses at most {@link #MAX_CONTROLS}
 * (and at most one per five pre-period days), those most correlated with the brand before the
 * action, each standardised by its pre-period mean and deviation. Estimates: {@link ControlRegression} always; {@link SyntheticControl} on every moving
 * control when there are at least two. Other brands' own actions are not excluded from the
 * controls: declare and read with that in mind.
 */
public final class ActionImpact {
    public static final int MAX_CONTROLS = 10;
    public static final int MIN_PRE_DAYS = 14;

    private final Store store;
    private final Clock clock;

    public ActionImpact(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Which daily series of the brand. */
    public enum Metric {
        /** Money of the brand's interactions per day. */
        SALES,
        /** The brand's interactions per day. */
        INTERACTIONS,
        /** Value-weighted experience across the brand's consumers at the end of each day (from the ledger). */
        EXPERIENCE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Metric parse(String field, String raw) {
            for (Metric m : values()) {
                if (m.label().equalsIgnoreCase(raw == null ? "" : raw.trim())) return m;
            }
            throw new InvalidInput(field, "expected sales, interactions or experience but was '" + raw + "'");
        }
    }

    /**
     * One day of the treated series with its counterfactuals: the regression's (fitted values
     * before the action, the posterior mean with its interval after; null if it could not be
     * fitted) and the synthetic control's (null without one).
     */
    public record Day(
            LocalDate day,
            boolean post,
            double observed,
            Double counterfactual,
            Double lower,
            Double upper,
            Double synthetic) {}

    public record Interval(double estimate, double lower, double upper) {
        static Interval of(ControlRegression.Interval i) {
            return new Interval(i.estimate(), i.lower(), i.upper());
        }
    }

    /** The regression on control series (CausalImpact's regression part). */
    public record Regression(
            boolean fitAdequate,
            boolean effectDetected,
            double preRSquared,
            double residualLag1,
            double durbinWatson,
            Map<String, Double> coefficients,
            Interval averageEffect,
            Interval cumulativeEffect,
            double tailProbability,
            double level,
            String message) {}

    /** The synthetic control with its placebo-in-space test. */
    public record Synthetic(
            Map<String, Double> weights,
            double preRmspe,
            double postRmspe,
            double ratio,
            double pValue,
            double averageEffect,
            boolean converged,
            String message) {}

    /**
     * Difference-in-differences on the daily series: the brand against every moving control
     * brand, before and after the action, one observation per brand and day, with standard errors
     * clustered by day (brands share a day's shocks; with one treated brand, clustering by brand
     * would rest on a single treated cluster).
     *
     * @param cellMeans mean daily value: control-pre, control-post, treated-pre, treated-post
     */
    public record DiD(
            double effect,
            double lower,
            double upper,
            double seClustered,
            double pValue,
            double level,
            Map<String, Double> cellMeans,
            int observations,
            int clusters,
            List<String> controls,
            boolean effectDetected,
            String message) {}

    public record Result(
            String brand,
            BrandAction action,
            String metric,
            LocalDate preFrom,
            LocalDate interventionDay,
            LocalDate postTo,
            int preDays,
            int postDays,
            List<String> controls,
            Regression regression,
            Synthetic synthetic,
            DiD differenceInDifferences,
            String message,
            List<Day> series) {}

    public Result estimate(BrandAction action, Metric metric, int days, int preDays) {
        LocalDate start = LocalDate.ofInstant(action.starts(), ZoneOffset.UTC);
        LocalDate lastComplete =
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        if (start.isAfter(lastComplete)) {
            throw new InvalidInput(
                    "starts", "the action starts on " + start + "; there is no complete day after it yet to measure");
        }
        LocalDate postTo = start.plusDays(days - 1L);
        if (postTo.isAfter(lastComplete)) postTo = lastComplete;
        LocalDate from = start.minusDays(preDays);
        Map<String, double[]> series = series(metric, from, postTo);
        double[] y = series.remove(action.brand());
        int first = y == null
                ? -1
                : IntStream.range(0, y.length)
                        .filter(i -> y[i] != 0)
                        .findFirst()
                        .orElse(-1);
        int t0 = (int) ChronoUnit.DAYS.between(from, start);
        if (first < 0 || t0 - first < MIN_PRE_DAYS) {
            throw new InvalidInput(
                    "pre",
                    "brand '" + action.brand() + "' has " + (first < 0 ? 0 : Math.max(0, t0 - first))
                            + " days of " + metric.label() + " before the action within the " + preDays
                            + " days looked at; at least " + MIN_PRE_DAYS + " are needed");
        }
        LocalDate preFrom = from.plusDays(first);
        double[] treated = java.util.Arrays.copyOfRange(y, first, y.length);
        int pre = t0 - first;
        Map<String, double[]> moving = new TreeMap<>();
        series.forEach((brand, s) -> {
            double[] cut = java.util.Arrays.copyOfRange(s, first, s.length);
            if (variance(cut, pre) > 0) moving.put(brand, cut);
        });
        List<String> chosen = choose(treated, moving, pre);
        Fitted fitted = regression(treated, moving, chosen, pre);
        SyntheticControl.Result sc = null;
        Synthetic synthetic = null;
        String syntheticNote;
        if (moving.size() >= 2) {
            try {
                sc = synthetic(action.brand(), treated, moving, pre);
                synthetic = describe(sc, pre);
                syntheticNote = " Synthetic control: " + synthetic.message();
            } catch (RuntimeException e) {
                syntheticNote = " Synthetic control: could not be fitted (" + e.getMessage() + ").";
            }
        } else {
            syntheticNote = " Synthetic control: needs at least 2 control brands whose series moves; there "
                    + (moving.size() == 1 ? "is 1." : "are " + moving.size() + ".");
        }
        DiD did = null;
        String didNote;
        if (moving.isEmpty()) {
            didNote = " Difference-in-differences: needs a control brand whose series moves; there is none.";
        } else {
            try {
                did = differenceInDifferences(treated, moving, pre, preFrom);
                didNote = " Difference-in-differences: " + did.message();
            } catch (RuntimeException e) {
                didNote = " Difference-in-differences: could not be estimated (" + e.getMessage() + ").";
            }
        }
        String message = (fitted.regression == null
                        ? "The regression on control series could not be fitted (" + fitted.failure + ")."
                        : fitted.regression.message())
                + syntheticNote
                + didNote;
        List<Day> out = new ArrayList<>(treated.length);
        for (int t = 0; t < treated.length; t++) {
            out.add(new Day(
                    preFrom.plusDays(t),
                    t >= pre,
                    treated[t],
                    fitted.counterfactual(t, pre),
                    fitted.bound(t, pre, true),
                    fitted.bound(t, pre, false),
                    sc == null ? null : sc.synthetic()[t]));
        }
        return new Result(
                action.brand(),
                action,
                metric.label(),
                preFrom,
                start,
                postTo,
                pre,
                treated.length - pre,
                chosen,
                fitted.regression,
                synthetic,
                did,
                message,
                out);
    }

    static final double DID_LEVEL = 0.95;

    /** A number for people: whole above 100, else three significant digits, no trailing zeros. */
    static String plain(double v) {
        if (!Double.isFinite(v)) return String.valueOf(v);
        if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (v == 0) return "0";
        return new java.math.BigDecimal(v)
                .round(new java.math.MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
    }

    private static DiD differenceInDifferences(
            double[] treated, Map<String, double[]> controls, int pre, LocalDate preFrom) {
        List<DifferenceInDifferences.Observation> data = new ArrayList<>();
        for (int t = 0; t < treated.length; t++) {
            String day = preFrom.plusDays(t).toString();
            data.add(new DifferenceInDifferences.Observation(day, true, t >= pre, treated[t]));
            for (double[] c : controls.values()) {
                data.add(new DifferenceInDifferences.Observation(day, false, t >= pre, c[t]));
            }
        }
        DifferenceInDifferences.Result r = DifferenceInDifferences.estimate(data, DID_LEVEL);
        double[] m = r.cellMeans();
        Map<String, Double> cells = new LinkedHashMap<>();
        cells.put("controlPre", m[0]);
        cells.put("controlPost", m[1]);
        cells.put("treatedPre", m[2]);
        cells.put("treatedPost", m[3]);
        boolean detected = r.pValue() < 1 - DID_LEVEL;
        String msg = "the brand moved by " + plain(m[3] - m[2]) + " a day (" + plain(m[2]) + " before, "
                + plain(m[3]) + " after) and the " + controls.size() + " control "
                + (controls.size() == 1 ? "brand" : "brands") + " by " + plain(m[1] - m[0]) + " (" + plain(m[0])
                + " before, " + plain(m[1]) + " after), so the action's effect is " + plain(r.effect())
                + " a day, 95% interval [" + plain(r.lower()) + ", " + plain(r.upper()) + "] (p = "
                + String.format(Locale.ROOT, "%.2g", r.pValue()) + "): "
                + (detected ? "an effect distinguishable from zero." : "it cannot be told apart from no effect.");
        return new DiD(
                r.effect(),
                r.lower(),
                r.upper(),
                r.seClustered(),
                r.pValue(),
                DID_LEVEL,
                cells,
                r.observations(),
                r.clusters(),
                List.copyOf(controls.keySet()),
                detected,
                msg);
    }

    /** The regression's summary and its counterfactual path, or why it could not be fitted. */
    private record Fitted(Regression regression, ControlRegression.Result result, double[] fitted, String failure) {
        /** Fitted values before the action, the posterior mean after it; null without a fit. */
        Double counterfactual(int t, int pre) {
            if (result == null) return null;
            return t < pre ? fitted[t] : result.points().get(t - pre).counterfactual();
        }

        Double bound(int t, int pre, boolean lower) {
            if (result == null || t < pre) return null;
            var p = result.points().get(t - pre);
            return lower ? p.lower() : p.upper();
        }
    }

    private static Fitted regression(double[] y, Map<String, double[]> moving, List<String> chosen, int pre) {
        try {
            double[][] x = standardised(chosen.stream().map(moving::get).toList(), y.length, pre);
            ControlRegression.Options options = ControlRegression.Options.defaults();
            ControlRegression.Result r = ControlRegression.analyse(y, x, pre, options);
            double[] beta = r.coefficients();
            Map<String, Double> coefficients = new LinkedHashMap<>();
            coefficients.put("intercept", beta[0]);
            for (int j = 0; j < chosen.size(); j++) coefficients.put(chosen.get(j), beta[j + 1]);
            double[] fitted = new double[y.length];
            for (int t = 0; t < y.length; t++) {
                fitted[t] = beta[0];
                for (int j = 0; j < chosen.size(); j++) fitted[t] += beta[j + 1] * x[t][j];
            }
            Regression summary = new Regression(
                    r.fitAdequate(),
                    r.effectDetected(),
                    r.preRSquared(),
                    r.residualLag1(),
                    r.durbinWatson(),
                    coefficients,
                    Interval.of(r.averageEffect()),
                    Interval.of(r.cumulativeEffect()),
                    r.tailProbability(),
                    options.level(),
                    r.message());
            return new Fitted(summary, r, fitted, null);
        } catch (RuntimeException e) {
            return new Fitted(null, null, null, e.getMessage());
        }
    }

    /** Every brand's daily series over [from, to]. */
    private Map<String, double[]> series(Metric metric, LocalDate from, LocalDate to) {
        int n = (int) ChronoUnit.DAYS.between(from, to) + 1;
        Map<String, double[]> out = new TreeMap<>();
        if (metric == Metric.EXPERIENCE) {
            Instant end =
                    to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1);
            for (BrandSummary b : store.brands(end)) {
                BrandView v = store.brand(b.id(), end, n).orElseThrow();
                double[] s = new double[n];
                for (BrandView.Point p : v.series()) {
                    int d = (int) ChronoUnit.DAYS.between(from, p.day());
                    if (d >= 0 && d < n) s[d] = p.consumers() == 0 ? 0 : p.experience();
                }
                out.put(b.id(), s);
            }
            return out;
        }
        store.forEachInteraction(i -> {
            long d = ChronoUnit.DAYS.between(from, LocalDate.ofInstant(i.time(), ZoneOffset.UTC));
            if (d < 0 || d >= n) return;
            double[] s = out.computeIfAbsent(i.brand().id(), b -> new double[n]);
            s[(int) d] += metric == Metric.SALES ? i.outcome().money() : 1;
        });
        return out;
    }

    /** The controls most correlated with the brand before the action, few enough for the pre-period. */
    private static List<String> choose(double[] y, Map<String, double[]> controls, int pre) {
        int cap = Math.max(1, Math.min(MAX_CONTROLS, pre / 5));
        return controls.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) ->
                                -Math.abs(PrePeriod.correlation(y, e.getValue(), pre)))
                        .thenComparing(Map.Entry::getKey))
                .limit(cap)
                .map(Map.Entry::getKey)
                .toList();
    }

    private static SyntheticControl.Result synthetic(
            String brand, double[] y, Map<String, double[]> controls, int pre) {
        List<String> units = new ArrayList<>();
        units.add(brand);
        units.addAll(controls.keySet());
        double[][] values = new double[units.size()][];
        values[0] = y;
        for (int u = 1; u < units.size(); u++) values[u] = controls.get(units.get(u));
        int[] times = IntStream.range(0, y.length).toArray();
        return SyntheticControl.estimate(
                new SyntheticControl.Panel(units, times, values), new SyntheticControl.Spec(brand, pre, 0, pre - 1));
    }

    private static Synthetic describe(SyntheticControl.Result sc, int pre) {
        double gap = sc.averagePostGap(pre);
        var fit = sc.fit();
        int units = sc.placebos().size() + 1;
        long atLeast = Math.round(sc.pValue() * units);
        String test;
        if (sc.pValue() <= 0.1) {
            test = String.format(
                    Locale.ROOT, "placebo p = %.2f: few brands without an action show such a gap", sc.pValue());
        } else if (atLeast == 1) {
            test = String.format(
                    Locale.ROOT,
                    "its ratio is the largest of the %d brands, but with %d brands the "
                            + "placebo test cannot go below p = %.2f",
                    units,
                    units,
                    sc.pValue());
        } else {
            test = String.format(
                    Locale.ROOT,
                    "%d of %d brands have a ratio at least as large (p = %.2f), so the gap "
                            + "cannot be told apart from what brands without an action show",
                    atLeast,
                    units,
                    sc.pValue());
        }
        String msg = String.format(
                Locale.ROOT,
                "average gap %.3g per day after the action; pre-period RMSPE %.3g, " + "post %.3g (ratio %.2f); %s.",
                gap,
                fit.preRmspe(),
                fit.postRmspe(),
                fit.ratio(),
                test);
        return new Synthetic(
                fit.weights(), fit.preRmspe(), fit.postRmspe(), fit.ratio(), sc.pValue(), gap, fit.converged(), msg);
    }

    /** Controls as {@code [t][j]}, standardised over the pre-period (see {@link PrePeriod#standardised}). */
    private static double[][] standardised(List<double[]> controls, int n, int pre) {
        double[][] x = new double[n][controls.size()];
        for (int j = 0; j < controls.size(); j++) {
            for (int t = 0; t < n; t++) x[t][j] = controls.get(j)[t];
        }
        return PrePeriod.standardised(x, pre);
    }

    private static double variance(double[] s, int n) {
        double mean = 0;
        for (int t = 0; t < n; t++) mean += s[t] / n;
        double v = 0;
        for (int t = 0; t < n; t++) v += (s[t] - mean) * (s[t] - mean);
        return v / n;
    }
}
