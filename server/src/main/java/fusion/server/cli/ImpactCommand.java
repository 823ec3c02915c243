package fusion.server.cli;

import fusion.core.model.InvalidInput;
import fusion.models.impact.ControlRegression;
import fusion.models.impact.DifferenceInDifferences;
import fusion.models.impact.ImpactData;
import fusion.models.impact.PrePeriod;
import fusion.models.impact.SyntheticControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "impact",
        mixinStandardHelpOptions = true,
        description = {
            "Estimate the effect of an intervention from a CSV file (docs/MODELS-CAUSAL.md) and print the "
                    + "effect, its 95%% interval and a plain verdict.",
            "Formats, told apart by their header:",
            "  series  t,y,x1 (simulated_intervention.csv): outcome y, control x1; --intervention is the first "
                    + "post-period t; methods: regression (default).",
            "  panel   regionname,year,gdpcap,... (basque.csv): one unit per region; --intervention is the first "
                    + "post-period year; methods: synthetic (default), regression (the most correlated other units as "
                    + "controls, one per 5 pre-period years), "
                    + "did (treated against all other units).",
            "  stores  nj,d,fte,... (card_krueger.csv): two waves; method: did (--intervention is not used).",
            "Posterior draws are seeded (4,000 draws, seed 2015), so a rerun prints the same figures."
        })
final class ImpactCommand implements Callable<Integer> {
    @Option(names = "--file", required = true, paramLabel = "CSV", description = "the data file")
    Path file;

    @Option(names = "--intervention", paramLabel = "T", description = "first time label after the intervention")
    Integer intervention;

    @Option(
            names = "--method",
            paramLabel = "METHOD",
            description = "regression, synthetic or did (default: by format)")
    String method;

    @Option(
            names = "--treated",
            paramLabel = "UNIT",
            description = "panel: the treated unit (default: " + ImpactData.BASQUE + ")")
    String treated = ImpactData.BASQUE;

    @Option(
            names = "--match-from",
            paramLabel = "T",
            description = "panel, synthetic: first time label of the "
                    + "matching window (default: the first in the file; 1956 reproduces the published Basque weights)")
    Integer matchFrom;

    private static final ControlRegression.Options DRAWS = new ControlRegression.Options(4000, 0.95, 2015L);

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) throw new InvalidInput("--file", "no such file: " + file);
        String header = Files.newBufferedReader(file).readLine();
        header = header == null ? "" : header.replace("\"", "");
        List<String> columns = List.of(header.split(","));
        try {
            if (columns.contains("y") && columns.contains("x1")) return series();
            if (columns.contains("regionname") && columns.contains("gdpcap")) return panel();
            if (columns.contains("nj") && columns.contains("fte")) return stores();
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("--file", e.getMessage());
        }
        throw new InvalidInput(
                "--file",
                "unknown format: expected a header with t,y,x1 or regionname,year,gdpcap " + "or nj,d,fte but was '"
                        + header + "'");
    }

    private String method(String fallback, String... allowed) {
        String m = method == null ? fallback : method.trim().toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(m)) {
            throw new InvalidInput(
                    "--method", "expected " + String.join(" or ", allowed) + " for this file but was '" + method + "'");
        }
        return m;
    }

    private int intervention() {
        if (intervention == null) throw new InvalidInput("--intervention", "is required for this file");
        return intervention;
    }

    private int series() {
        method("regression", "regression");
        ImpactData.Series s = ImpactData.simulated(file);
        int index = IntStream.range(0, s.t().length)
                .filter(i -> s.t()[i] == intervention())
                .findFirst()
                .orElseThrow(() -> new InvalidInput("--intervention", "no t = " + intervention + " in the file"));
        return regression(s.y(), s.controls(), index, "t = " + intervention);
    }

    private int panel() {
        SyntheticControl.Panel panel = ImpactData.basque(file);
        String m = method("synthetic", "synthetic", "regression", "did");
        int u = panel.units().indexOf(treated);
        if (u < 0) throw new InvalidInput("--treated", "no unit '" + treated + "' in the file");
        int[] times = panel.times();
        int t0 = IntStream.range(0, times.length)
                .filter(i -> times[i] == intervention())
                .findFirst()
                .orElseThrow(() -> new InvalidInput("--intervention", "no time " + intervention + " in the file"));
        switch (m) {
            case "synthetic" -> {
                int from = matchFrom == null ? times[0] : matchFrom;
                var r = SyntheticControl.estimate(
                        panel, new SyntheticControl.Spec(treated, intervention, from, times[t0 - 1]));
                System.out.printf(
                        Locale.ROOT,
                        "synthetic control for %s, matching %d-%d, intervention %d%n",
                        treated,
                        from,
                        times[t0 - 1],
                        intervention);
                r.fit().weights().forEach((k, w) -> {
                    if (w >= 0.001) System.out.printf(Locale.ROOT, "  weight %-40s %.3f%n", k, w);
                });
                System.out.printf(
                        Locale.ROOT, "average gap after the intervention %.4f%n", r.averagePostGap(intervention));
                System.out.printf(
                        Locale.ROOT,
                        "pre RMSPE %.4f, post RMSPE %.4f, ratio %.2f; placebo p-value %.2f " + "(%d units)%n",
                        r.fit().preRmspe(),
                        r.fit().postRmspe(),
                        r.fit().ratio(),
                        r.pValue(),
                        r.placebos().size() + 1);
                System.out.println(
                        r.pValue() <= 0.1
                                ? "The gap is larger than almost every placebo's: an effect."
                                : "The gap cannot be told apart from the placebos' gaps: no conclusion from the ratio test.");
                return 0;
            }
            case "regression" -> {
                double[] y = panel.values()[u];
                List<Integer> chosen = mostCorrelated(panel.values(), u, t0, Math.max(1, Math.min(10, t0 / 5)));
                double[][] x = new double[times.length][chosen.size()];
                for (int t = 0; t < times.length; t++) {
                    for (int j = 0; j < chosen.size(); j++) x[t][j] = panel.values()[chosen.get(j)][t];
                }
                System.out.println("controls (most correlated before " + intervention + ", one per 5 pre-period "
                        + "points): " + chosen.stream().map(panel.units()::get).toList());
                return regression(y, PrePeriod.standardised(x, t0), t0, treated + ", from " + intervention);
            }
            default -> {
                List<DifferenceInDifferences.Observation> obs = new ArrayList<>();
                for (int o = 0; o < panel.units().size(); o++) {
                    for (int t = 0; t < times.length; t++) {
                        obs.add(new DifferenceInDifferences.Observation(
                                panel.units().get(o), o == u, t >= t0, panel.values()[o][t]));
                    }
                }
                return did(DifferenceInDifferences.estimate(obs, 0.95));
            }
        }
    }

    private int stores() {
        method("did", "did");
        return did(DifferenceInDifferences.estimate(ImpactData.cardKrueger(file), 0.95));
    }

    private static int regression(double[] y, double[][] controls, int index, String what) {
        ControlRegression.Result r;
        try {
            r = ControlRegression.analyse(y, controls, index, DRAWS);
        } catch (RuntimeException e) {
            System.out.println("The regression on control series could not be fitted: " + e.getMessage());
            return 1;
        }
        System.out.printf(
                Locale.ROOT,
                "regression on %d control series, intervention at %s%n",
                controls.length == 0 ? 0 : controls[0].length,
                what);
        System.out.printf(
                Locale.ROOT,
                "pre-period R^2 %.3f, residual lag-1 autocorrelation %.3f%n",
                r.preRSquared(),
                r.residualLag1());
        var a = r.averageEffect();
        var c = r.cumulativeEffect();
        System.out.printf(Locale.ROOT, "average effect    %.4f [%.4f, %.4f]%n", a.estimate(), a.lower(), a.upper());
        System.out.printf(Locale.ROOT, "cumulative effect %.4f [%.4f, %.4f]%n", c.estimate(), c.lower(), c.upper());
        System.out.printf(Locale.ROOT, "tail probability  %.5f%n", r.tailProbability());
        System.out.println(r.message());
        return 0;
    }

    /** The {@code limit} units whose pre-period values correlate most (in absolute value) with unit {@code u}. */
    private static List<Integer> mostCorrelated(double[][] values, int u, int pre, int limit) {
        return IntStream.range(0, values.length)
                .filter(o -> o != u)
                .boxed()
                .sorted(java.util.Comparator.comparingDouble(
                        o -> -Math.abs(PrePeriod.correlation(values[u], values[o], pre))))
                .limit(limit)
                .toList();
    }

    private static int did(DifferenceInDifferences.Result r) {
        System.out.printf(
                Locale.ROOT,
                "difference-in-differences on %,d observations in %,d clusters%n",
                r.observations(),
                r.clusters());
        System.out.printf(
                Locale.ROOT,
                "effect %.4f [%.4f, %.4f] (clustered SE %.4f, classical %.4f, robust %.4f), " + "p = %.4f%n",
                r.effect(),
                r.lower(),
                r.upper(),
                r.seClustered(),
                r.seClassical(),
                r.seRobust(),
                r.pValue());
        System.out.println(r.message());
        return 0;
    }
}
