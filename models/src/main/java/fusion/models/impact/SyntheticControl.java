package fusion.models.impact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Synthetic control (Abadie &amp; Gardeazabal 2003, AER 93(1); Abadie, Diamond &amp; Hainmueller
 * 2010, JASA 105(490)). The treated unit's counterfactual is a weighted average of untreated donor
 * units, with non-negative weights summing to one chosen so the synthetic unit tracks the treated
 * one on the outcome over a pre-intervention matching window. Matching here is on the outcome
 * values themselves, each year weighted equally (the predictor-weight matrix V is the identity);
 * the convex-combination constraint prevents extrapolation, and the weights are read as "which
 * donors resemble the treated unit".
 *
 * <p>Inference is by placebos in space (Abadie et al. 2010, sec. 4): every donor in turn is
 * treated as if it had received the intervention and given its own synthetic control from the
 * other donors; the p-value is the share of units, the real one included, whose post/pre RMSPE
 * ratio is at least the treated unit's.
 */
public final class SyntheticControl {

    /** Duality-gap tolerance relative to |b|^2 / 2, the objective of the all-zero fit. */
    private static final double RELATIVE_TOLERANCE = 1e-9;

    private static final int MAX_ITERATIONS = 200_000;

    private SyntheticControl() {}

    /**
     * A balanced panel of one outcome.
     *
     * @param units  unit names
     * @param times  time labels (e.g. years), ascending
     * @param values {@code values[unit][time]}
     */
    public record Panel(List<String> units, int[] times, double[][] values) {
        public Panel {
            units = List.copyOf(units);
            times = times.clone();
            values = java.util.Arrays.stream(values).map(double[]::clone).toArray(double[][]::new);
            for (int u = 0; u < values.length; u++) {
                if (values[u].length != times.length) {
                    throw new IllegalArgumentException("values: unit '" + units.get(u) + "' has " + values[u].length
                            + " points, expected " + times.length);
                }
            }
        }

        int unit(String name) {
            int i = units.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("unit '" + name + "' not in " + units);
            }
            return i;
        }

        int time(int label) {
            for (int t = 0; t < times.length; t++) {
                if (times[t] == label) {
                    return t;
                }
            }
            throw new IllegalArgumentException("time " + label + " not in the panel");
        }
    }

    /**
     * What to estimate.
     *
     * @param treated          the unit that received the intervention
     * @param interventionTime first time label at or after which the intervention acts
     * @param matchFrom        first time label of the matching window
     * @param matchTo          last time label of the matching window (before the intervention)
     */
    public record Spec(String treated, int interventionTime, int matchFrom, int matchTo) {
        public Spec {
            if (matchFrom > matchTo || matchTo >= interventionTime) {
                throw new IllegalArgumentException("matching window [" + matchFrom + ", " + matchTo
                        + "] must end before the intervention at " + interventionTime);
            }
        }
    }

    /**
     * One unit's fit.
     *
     * @param unit      the unit treated as treated
     * @param weights   donor weights, largest first
     * @param preRmspe  root mean squared gap before the intervention
     * @param postRmspe root mean squared gap from the intervention on
     * @param converged whether the weight solver certified optimality
     */
    public record Fit(String unit, Map<String, Double> weights, double preRmspe, double postRmspe, boolean converged) {
        public Fit {
            weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        }

        /** post/pre RMSPE ratio: large when the gap opens only after the intervention. */
        public double ratio() {
            return postRmspe / preRmspe;
        }
    }

    /**
     * The estimate with its placebo test.
     *
     * @param fit        the treated unit's fit
     * @param actual     treated outcome per time
     * @param synthetic  synthetic outcome per time
     * @param times      time labels
     * @param placebos   one fit per donor treated as a placebo
     * @param pValue     share of all units whose RMSPE ratio is at least the treated one's
     * @param iterations solver iterations for the treated fit
     * @param gap        certified duality gap of the treated fit
     */
    public record Result(
            Fit fit,
            double[] actual,
            double[] synthetic,
            int[] times,
            List<Fit> placebos,
            double pValue,
            int iterations,
            double gap) {
        public Result {
            actual = actual.clone();
            synthetic = synthetic.clone();
            times = times.clone();
            placebos = List.copyOf(placebos);
        }

        @Override
        public double[] actual() {
            return actual.clone();
        }

        @Override
        public double[] synthetic() {
            return synthetic.clone();
        }

        @Override
        public int[] times() {
            return times.clone();
        }

        /** Mean gap (actual - synthetic) from the intervention on. */
        public double averagePostGap(int interventionTime) {
            return IntStream.range(0, times.length)
                    .filter(t -> times[t] >= interventionTime)
                    .mapToDouble(t -> actual[t] - synthetic[t])
                    .average()
                    .orElse(Double.NaN);
        }
    }

    /** Fits the treated unit on every other unit of the panel and runs the placebo test. */
    public static Result estimate(Panel panel, Spec spec) {
        int treated = panel.unit(spec.treated());
        List<Integer> donors = IntStream.range(0, panel.units().size())
                .filter(u -> u != treated)
                .boxed()
                .toList();
        Solved main = solve(panel, spec, treated, donors);
        List<Fit> placebos = new ArrayList<>();
        for (int d : donors) {
            List<Integer> others = donors.stream().filter(u -> u != d).toList();
            placebos.add(solve(panel, spec, d, others).fit);
        }
        double ratio = main.fit.ratio();
        long atLeast = 1 + placebos.stream().filter(f -> f.ratio() >= ratio).count();
        double p = (double) atLeast / (placebos.size() + 1);
        return new Result(
                main.fit,
                panel.values()[treated],
                main.synthetic,
                panel.times(),
                placebos,
                p,
                main.solution.iterations(),
                main.solution.gap());
    }

    private record Solved(Fit fit, double[] synthetic, SimplexLeastSquares solution) {}

    private static Solved solve(Panel panel, Spec spec, int treated, List<Integer> donors) {
        int from = panel.time(spec.matchFrom());
        int to = panel.time(spec.matchTo());
        int m = to - from + 1;
        double[][] a = new double[m][donors.size()];
        double[] b = new double[m];
        for (int t = 0; t < m; t++) {
            b[t] = panel.values()[treated][from + t];
            for (int d = 0; d < donors.size(); d++) {
                a[t][d] = panel.values()[donors.get(d)][from + t];
            }
        }
        double scale = 0;
        for (double v : b) {
            scale += v * v / 2;
        }
        SimplexLeastSquares s = SimplexLeastSquares.solve(a, b, RELATIVE_TOLERANCE * scale, MAX_ITERATIONS);
        int n = panel.times().length;
        double[] synthetic = new double[n];
        for (int t = 0; t < n; t++) {
            for (int d = 0; d < donors.size(); d++) {
                synthetic[t] += s.weights()[d] * panel.values()[donors.get(d)][t];
            }
        }
        double pre = 0;
        double post = 0;
        int nPre = 0;
        int nPost = 0;
        for (int t = 0; t < n; t++) {
            double g = panel.values()[treated][t] - synthetic[t];
            if (panel.times()[t] < spec.interventionTime()) {
                pre += g * g;
                nPre++;
            } else {
                post += g * g;
                nPost++;
            }
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        IntStream.range(0, donors.size())
                .boxed()
                .sorted(Comparator.comparingDouble(d -> -s.weights()[d]))
                .forEach(d -> weights.put(panel.units().get(donors.get(d)), s.weights()[d]));
        Fit fit = new Fit(
                panel.units().get(treated),
                weights,
                Math.sqrt(pre / nPre),
                Math.sqrt(post / Math.max(nPost, 1)),
                s.converged());
        return new Solved(fit, synthetic, s);
    }
}
