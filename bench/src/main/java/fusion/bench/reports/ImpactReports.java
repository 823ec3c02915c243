package fusion.bench.reports;

import fusion.models.data.DataFiles;
import fusion.models.impact.ControlRegression;
import fusion.models.impact.DifferenceInDifferences;
import fusion.models.impact.ImpactData;
import fusion.models.impact.SyntheticControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code docs/reports/impact-simulated.md}, {@code impact-basque.md} and
 * {@code impact-card-krueger.md} from the reference data. Run from the project root:
 * {@code java -cp bench/target/benchmarks.jar fusion.bench.reports.ImpactReports [outDir]}.
 */
public final class ImpactReports {

    /** The specification that reproduces Abadie &amp; Gardeazabal's weights (see the report). */
    public static final SyntheticControl.Spec BASQUE_SPEC =
            new SyntheticControl.Spec(ImpactData.BASQUE, 1975, 1956, 1974);
    /** Index of t = 71 in the simulated series (0-based). */
    public static final int SIMULATED_INTERVENTION = 70;

    static final long SEED = 2015L;

    private ImpactReports() {}

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : DataFiles.projectRoot().resolve("docs/reports");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("impact-simulated.md"), simulated());
        Files.writeString(dir.resolve("impact-basque.md"), basque());
        Files.writeString(dir.resolve("impact-card-krueger.md"), cardKrueger());
        System.out.println("wrote impact reports to " + dir);
    }

    static ControlRegression.Result simulatedResult() {
        ImpactData.Series s = ImpactData.simulated(DataFiles.resolve("impact/simulated_intervention.csv"));
        return ControlRegression.analyse(
                s.y(), s.controls(), SIMULATED_INTERVENTION, new ControlRegression.Options(4000, 0.95, SEED));
    }

    static String simulated() {
        ControlRegression.Result r = simulatedResult();
        ImpactData.Series s = ImpactData.simulated(DataFiles.resolve("impact/simulated_intervention.csv"));
        ControlRegression.Result flat = ControlRegression.analyse(
                s.y(),
                new double[s.y().length][0],
                SIMULATED_INTERVENTION,
                new ControlRegression.Options(4000, 0.95, SEED));
        StringBuilder md = new StringBuilder(header("Impact: simulated intervention " + "(CausalImpact example)"));
        md.append("Outcome `y`, one control `x1`, 100 points; +10 added to `y` from t = 71. Model: "
                + "Bayesian linear regression of y on x1 over t = 1..70, 4,000 posterior draws, "
                + "seed " + SEED + ".\n\n");
        md.append("| measure | value | truth / threshold |\n| --- | --- | --- |\n");
        md.append(f("| pre-period R^2 | %.3f | >= %.2f |%n", r.preRSquared(), ControlRegression.MIN_R_SQUARED));
        md.append(f(
                "| residual lag-1 autocorrelation | %.3f | abs <= %.2f |%n",
                r.residualLag1(), ControlRegression.MAX_AUTOCORRELATION));
        md.append(f("| Durbin-Watson | %.3f | about 2 |%n", r.durbinWatson()));
        md.append(f(
                "| average effect per point | %.3f [%.3f, %.3f] | 10 |%n",
                r.averageEffect().estimate(),
                r.averageEffect().lower(),
                r.averageEffect().upper()));
        md.append(f(
                "| cumulative effect t = 71..100 | %.1f [%.1f, %.1f] | 300 |%n",
                r.cumulativeEffect().estimate(),
                r.cumulativeEffect().lower(),
                r.cumulativeEffect().upper()));
        md.append(f("| tail probability | %.5f | |%n", r.tailProbability()));
        md.append(f("| interval covers 10 | %s | yes |%n%n", r.averageEffect().covers(10)));
        md.append("Verdict: ").append(r.message()).append("\n\n");
        md.append("Without the control series the same call says: ")
                .append(flat.message())
                .append("\n\n## First post-period points\n\n");
        md.append("| t | observed | counterfactual [95%] | effect [95%] |\n" + "| --- | --- | --- | --- |\n");
        for (ControlRegression.Point p : r.points().subList(0, 10)) {
            md.append(f(
                    "| %d | %.2f | %.2f [%.2f, %.2f] | %.2f [%.2f, %.2f] |%n",
                    s.t()[p.index()],
                    p.observed(),
                    p.counterfactual(),
                    p.lower(),
                    p.upper(),
                    p.effect(),
                    p.effectLower(),
                    p.effectUpper()));
        }
        return md.toString();
    }

    static SyntheticControl.Result basqueResult(SyntheticControl.Spec spec) {
        return SyntheticControl.estimate(ImpactData.basque(DataFiles.resolve("impact/basque.csv")), spec);
    }

    static String basque() {
        SyntheticControl.Result r = basqueResult(BASQUE_SPEC);
        StringBuilder md = new StringBuilder(header("Impact: synthetic control for the Basque " + "Country"));
        md.append("Data: GDP per capita of 17 Spanish regions 1955-1997 (Abadie & Gardeazabal "
                + "2003); the Spain-wide aggregate is not a donor. Treated: Basque Country, "
                + "intervention 1975. Weights: non-negative, summing to 1, minimising the squared "
                + "distance between the Basque GDP per capita and the weighted donors' in each "
                + "year of the matching window, years weighted equally (V = I); solved by "
                + "accelerated projected gradient on the simplex with a duality-gap stopping "
                + "test.\n\n");
        md.append(f("Reproducing specification: **matching window 1956-1974**, intervention "
                + "1975. Published: Cataluna 0.8508, Madrid 0.1492, others 0.%n%n"));
        md.append("| donor | weight |\n| --- | --- |\n");
        r.fit().weights().entrySet().stream()
                .filter(e -> e.getValue() > 1e-4)
                .forEach(e -> md.append(f("| %s | %.4f |%n", e.getKey(), e.getValue())));
        md.append(f(
                "%nAll other donors below 1e-4. Solver: %d iterations, duality gap %.2e, " + "converged %s.%n%n",
                r.iterations(), r.gap(), r.fit().converged()));
        md.append(f(
                "| measure | value |%n| --- | --- |%n| pre-period RMSPE (1955-1974) | %.4f |%n"
                        + "| post-period RMSPE (1975-1997) | %.4f |%n| post/pre RMSPE ratio | %.2f |%n"
                        + "| average gap 1975-1997 (actual - synthetic) | %.3f |%n"
                        + "| placebo-in-space p-value (%d units) | %.3f |%n%n",
                r.fit().preRmspe(),
                r.fit().postRmspe(),
                r.fit().ratio(),
                r.averagePostGap(1975),
                r.placebos().size() + 1,
                r.pValue()));
        long largerGap = r.placebos().stream()
                .filter(p -> p.postRmspe() >= r.fit().postRmspe())
                .count();
        md.append(f(
                "Reading: the synthetic Basque Country tracks the real one before 1975 and "
                        + "the real one falls below it afterwards; its post-period RMSPE is exceeded by "
                        + "only %d of %d placebos. But the post/pre ratio does not single it out: many "
                        + "middle-income regions are matched almost exactly before 1975 (pre RMSPE "
                        + "0.015-0.04, against 0.085 for the Basque Country, one of the richest regions "
                        + "and so hard to build as a convex combination), so modest later gaps give them "
                        + "larger ratios. On GDP alone the permutation test cannot tell the Basque gap "
                        + "apart from placebo gaps at conventional levels.%n%n",
                largerGap, r.placebos().size()));
        md.append("## Sensitivity to the matching window\n\n| window | intervention | top weights "
                + "| pre RMSPE | p-value |\n| --- | --- | --- | --- | --- |\n");
        int[][] windows = {{1955, 1974}, {1956, 1974}, {1960, 1974}, {1955, 1969}, {1960, 1969}};
        for (int[] w : windows) {
            SyntheticControl.Result s = basqueResult(new SyntheticControl.Spec(ImpactData.BASQUE, 1975, w[0], w[1]));
            md.append(f(
                    "| %d-%d | 1975 | %s | %.4f | %.3f |%n",
                    w[0], w[1], top(s.fit().weights()), s.fit().preRmspe(), s.pValue()));
        }
        md.append("\nMatching only up to 1969 picks Madrid, Baleares and La Rioja instead: "
                + "Cataluna's match relies on the early-1970s years. The published weights came "
                + "from matching on covariates (sector shares, schooling, investment, density) "
                + "with a data-driven V; on GDP alone the window 1956-1974 reproduces them to "
                + "within 0.002, and the full window 1955-1974 gives Cataluna 0.83 / Madrid 0.17."
                + "\n\n## Placebo ratios\n\n| unit | post/pre RMSPE |\n| --- | --- |\n");
        md.append(f("| **%s** | **%.2f** |%n", r.fit().unit(), r.fit().ratio()));
        r.placebos().stream()
                .sorted((a, b) -> Double.compare(b.ratio(), a.ratio()))
                .forEach(p -> md.append(f("| %s | %.2f |%n", p.unit(), p.ratio())));
        return md.toString();
    }

    static DifferenceInDifferences.Result cardKruegerResult() {
        return DifferenceInDifferences.estimate(
                ImpactData.cardKrueger(DataFiles.resolve("impact/card_krueger.csv")), 0.95);
    }

    static String cardKrueger() {
        DifferenceInDifferences.Result r = cardKruegerResult();
        double[] m = r.cellMeans();
        StringBuilder md =
                new StringBuilder(header("Impact: Card & Krueger minimum wage, " + "difference-in-differences"));
        md.append(f(
                "Data: %d store-waves with a full-time-equivalent count (rows with fte NA "
                        + "dropped), %d stores. Treated = New Jersey, post = wave 2.%n%n",
                r.observations(), r.clusters()));
        md.append("| mean FTE | before | after | change |\n| --- | --- | --- | --- |\n");
        md.append(f("| Pennsylvania | %.2f | %.2f | %+.2f |%n", m[0], m[1], m[1] - m[0]));
        md.append(f("| New Jersey | %.2f | %.2f | %+.2f |%n%n", m[2], m[3], m[3] - m[2]));
        md.append("| measure | value | published |\n| --- | --- | --- |\n");
        md.append(f("| DiD on FTE | %.3f | 2.76 (Card & Krueger 1994, Table 3) |%n", r.effect()));
        md.append(f("| SE classical | %.3f | 1.36 (paper, from group means) |%n", r.seClassical()));
        md.append(f("| SE robust (HC1) | %.3f | |%n", r.seRobust()));
        md.append(f("| SE clustered by store (CR1) | %.3f | |%n", r.seClustered()));
        md.append(f("| 95%% interval (clustered) | [%.3f, %.3f] | |%n", r.lower(), r.upper()));
        md.append(f("| p-value (clustered, t on G-1 df) | %.4f | |%n%n", r.pValue()));
        md.append("Verdict: ")
                .append(r.message())
                .append("\n\nThe paper's 2.76 (Table 3) is "
                        + "the same contrast of cell-mean changes (NJ +0.59, PA -2.16 there); the "
                        + "remaining difference is rounding and small differences in the public file. "
                        + "Its standard error (1.36) comes from differences of group means rather than "
                        + "this regression. Clustering by store matters: a store's two waves are "
                        + "positively correlated, so the clustered error is smaller than the iid one, "
                        + "which ignores that the comparison is partly within store.\n");
        return md.toString();
    }

    private static String top(Map<String, Double> weights) {
        return String.join(
                ", ",
                weights.entrySet().stream()
                        .filter(e -> e.getValue() > 0.01)
                        .map(e -> f("%s %.3f", e.getKey().replaceAll(" \\(.*", ""), e.getValue()))
                        .toList());
    }

    private static String header(String title) {
        return "# " + title + "\n\nGenerated by `fusion.bench.reports.ImpactReports`; do not edit " + "by hand.\n\n";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
