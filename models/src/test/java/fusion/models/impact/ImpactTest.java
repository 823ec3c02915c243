package fusion.models.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.models.data.DataFiles;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ImpactTest {

    @Test
    void controlRegressionRecoversTheSimulatedEffectOfTenWithAnIntervalCoveringIt() {
        // The series was simulated with +10 added to y from t = 71 (index 70): the oracle is the construction.
        ImpactData.Series s = ImpactData.simulated(DataFiles.resolve("impact/simulated_intervention.csv"));
        ControlRegression.Result r =
                ControlRegression.analyse(s.y(), s.controls(), 70, new ControlRegression.Options(4000, 0.95, 2015));
        assertThat(r.fitAdequate()).isTrue();
        assertThat(r.averageEffect().estimate()).isCloseTo(10, within(1.0));
        assertThat(r.averageEffect().covers(10)).isTrue();
        assertThat(r.cumulativeEffect().covers(300)).isTrue();
        assertThat(r.effectDetected()).isTrue();
        assertThat(r.tailProbability()).isLessThan(0.01);
        assertThat(r.points()).hasSize(30);
    }

    @Test
    void controlRegressionSaysPlainlyWhenThePreperiodFitIsTooPoor() {
        Random random = new Random(3);
        int n = 100;
        double[] y = new double[n];
        double[][] x = new double[n][1];
        for (int t = 0; t < n; t++) {
            x[t][0] = random.nextGaussian();
            y[t] = 50 + 5 * random.nextGaussian();
        }
        ControlRegression.Result r = ControlRegression.analyse(y, x, 70, new ControlRegression.Options(1000, 0.95, 1));
        assertThat(r.fitAdequate()).isFalse();
        assertThat(r.effectDetected()).isFalse();
        assertThat(r.message())
                .startsWith(String.format(
                        java.util.Locale.ROOT,
                        "No verdict: the controls explain only %.0f%% of the series' movement before the action "
                                + "(at least 50%% is needed).",
                        100 * r.preRSquared()));
    }

    @Test
    void controlRegressionFlagsAutocorrelatedResiduals() {
        Random random = new Random(4);
        int n = 100;
        double[] y = new double[n];
        double[][] x = new double[n][1];
        double drift = 0;
        for (int t = 0; t < n; t++) {
            drift = 0.95 * drift + random.nextGaussian();
            x[t][0] = 10 * random.nextGaussian();
            y[t] = 2 * x[t][0] + 3 * drift;
        }
        ControlRegression.Result r = ControlRegression.analyse(y, x, 70, new ControlRegression.Options(1000, 0.95, 1));
        assertThat(r.residualLag1()).isGreaterThan(ControlRegression.MAX_AUTOCORRELATION);
        assertThat(r.fitAdequate()).isFalse();
    }

    @Test
    @DisplayName(
            "issue 15 item 5: a verdict refused for streaky misses names the streaks, not a good R^2 as 'too poor'")
    void aVerdictRefusedForStreaksSaysSoInPlainWords() {
        // R^2 0.94 but misses that run in streaks: the case the dashboard showed as "too poor (R^2 0.94 ...)"
        String m = ControlRegression.message(
                false, 3, 0.94, 0.72, new ControlRegression.Interval(3751.2, -120.4, 7622.9), 0.03, 0.95);
        assertThat(m)
                .isEqualTo("No verdict: before the action the fit's misses run in streaks (day-to-day correlation "
                        + "0.72; at most 0.50 is allowed), so its interval would look surer than it is. The "
                        + "estimate, an average effect of 3,751 per period (95% interval -120 to 7,623), is not to "
                        + "be relied on.")
                .doesNotContain("R^2", "e+0", "too poor");
        assertThat(ControlRegression.message(
                        false, 2, 0.34, 0.1, new ControlRegression.Interval(12.5, -3.25, 28.125), 0.2, 0.95))
                .startsWith("No verdict: the controls explain only 34% of the series' movement before the action "
                        + "(at least 50% is needed).");
        assertThat(ControlRegression.message(
                        true, 2, 0.88, 0.1, new ControlRegression.Interval(10.459, 9.9004, 11.037), 0.00025, 0.95))
                .isEqualTo("The action had an effect: an average effect of 10.5 per period (95% interval 9.9 to "
                        + "11), which excludes zero; the controls explain 88% of the series' movement before the "
                        + "action, and only 0.025% of the simulated paths without the action come out this far.");
    }

    @Test
    void syntheticControlReproducesTheBasqueWeightsOfAbadieAndGardeazabal() {
        // Abadie & Gardeazabal's specification: treated from 1975, predictors matched over 1956..1974.
        SyntheticControl.Result r = SyntheticControl.estimate(
                ImpactData.basque(DataFiles.resolve("impact/basque.csv")),
                new SyntheticControl.Spec(ImpactData.BASQUE, 1975, 1956, 1974));
        assertThat(r.fit().converged()).isTrue();
        assertThat(r.fit().weights().get("Cataluna")).isCloseTo(0.85, within(0.02));
        assertThat(r.fit().weights().get("Madrid (Comunidad De)")).isCloseTo(0.15, within(0.02));
        double others = r.fit().weights().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("Cataluna") && !e.getKey().startsWith("Madrid"))
                .mapToDouble(java.util.Map.Entry::getValue)
                .sum();
        assertThat(others).isLessThan(0.01);
        assertThat(r.fit().weights().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum())
                .isCloseTo(1, within(1e-9));
        assertThat(r.fit().preRmspe()).isLessThan(0.1);
        assertThat(r.averagePostGap(1975)).isNegative();
        assertThat(r.placebos()).hasSize(16);
        assertThat(r.pValue()).isBetween(1.0 / 17, 1.0);
    }

    @Test
    void simplexProjectionGivesNonNegativeWeightsSummingToOne() {
        double[] w = SimplexLeastSquares.project(new double[] {0.9, 0.8, -2, 0.1});
        assertThat(w[0]).isCloseTo(0.55, within(1e-12));
        assertThat(w[1]).isCloseTo(0.45, within(1e-12));
        assertThat(w[2]).isZero();
        assertThat(w[3]).isZero();
    }

    @Test
    void syntheticControlFindsAnExactConvexCombination() {
        double[][] donors = {{1, 2, 3, 4, 5, 6}, {2, 2, 2, 2, 2, 2}, {5, 1, 4, 2, 6, 0}};
        double[] treated = new double[6];
        for (int t = 0; t < 6; t++) {
            treated[t] = 0.2 * donors[0][t] + 0.8 * donors[2][t] + (t >= 4 ? 3 : 0);
        }
        SyntheticControl.Panel panel = new SyntheticControl.Panel(
                List.of("a", "b", "c", "treated"),
                new int[] {1, 2, 3, 4, 5, 6},
                new double[][] {donors[0], donors[1], donors[2], treated});
        SyntheticControl.Result r = SyntheticControl.estimate(panel, new SyntheticControl.Spec("treated", 5, 1, 4));
        assertThat(r.fit().weights().get("a")).isCloseTo(0.2, within(1e-5));
        assertThat(r.fit().weights().get("c")).isCloseTo(0.8, within(1e-5));
        assertThat(r.averagePostGap(5)).isCloseTo(3, within(1e-4));
    }

    @Test
    @DisplayName(
            "issue 13: difference-in-differences on Card & Krueger is the paper's 2.76 and the DiD of the group means worked out here")
    void differenceInDifferencesOnCardKruegerMatchesThePublishedFteEffect() throws Exception {
        // Independent oracle 1: the four group means, read here from the CSV with a plain split
        // (columns nj, d and fte; rows with fte NA left out, as the paper does).
        double[] sum = new double[4];
        int[] count = new int[4];
        List<String> lines = Files.readAllLines(DataFiles.resolve("impact/card_krueger.csv"));
        List<String> header = List.of(lines.get(0).replace("\"", "").split(","));
        int nj = header.indexOf("nj");
        int after = header.indexOf("d");
        int fte = header.indexOf("fte");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (!f[fte].equals("NA")) {
                int cell = 2 * Integer.parseInt(f[nj]) + Integer.parseInt(f[after]);
                sum[cell] += Double.parseDouble(f[fte]);
                count[cell]++;
            }
        }
        double paBefore = sum[0] / count[0];
        double paAfter = sum[1] / count[1];
        double njBefore = sum[2] / count[2];
        double njAfter = sum[3] / count[3];
        // Card & Krueger (1994), Table 3, row 1-2: mean FTE 23.33 / 21.17 (PA) and 20.44 / 21.03 (NJ).
        assertThat(paBefore).isCloseTo(23.33, within(0.005));
        assertThat(paAfter).isCloseTo(21.17, within(0.005));
        assertThat(njBefore).isCloseTo(20.44, within(0.005));
        assertThat(njAfter).isCloseTo(21.03, within(0.005));
        double handDid = (njAfter - njBefore) - (paAfter - paBefore);

        DifferenceInDifferences.Result r = DifferenceInDifferences.estimate(
                ImpactData.cardKrueger(DataFiles.resolve("impact/card_krueger.csv")), 0.95);

        assertThat(r.effect()).isCloseTo(handDid, within(1e-9));
        // Oracle 2: the published estimate, 2.76 (Table 3, row 4, standard error 1.36). The public file
        // gives 2.754: the paper's figure is within 0.01 (its own rounding of the cell means).
        assertThat(r.effect()).isCloseTo(2.76, within(0.01));
        assertThat(r.clusters()).isEqualTo(410);
        // The paper's 1.36 is the standard error of the difference in per-store changes; the pooled
        // regression's classical one is larger (it ignores the pairing), so only its range is checked.
        assertThat(r.seClassical()).isBetween(1.36, 2.0);
        assertThat(r.seClustered()).isPositive();
        assertThat(r.lower()).isLessThan(r.effect());
    }

    @Test
    void differenceInDifferencesIsTheDifferenceOfCellMeans() {
        List<DifferenceInDifferences.Observation> data = new ArrayList<>();
        Random random = new Random(9);
        for (int unit = 0; unit < 40; unit++) {
            boolean treated = unit % 2 == 0;
            double level = random.nextGaussian();
            data.add(
                    new DifferenceInDifferences.Observation("u" + unit, treated, false, level + random.nextGaussian()));
            data.add(new DifferenceInDifferences.Observation(
                    "u" + unit, treated, true, level + 1 + (treated ? 4 : 0) + random.nextGaussian()));
        }
        DifferenceInDifferences.Result r = DifferenceInDifferences.estimate(data, 0.95);
        double[] m = r.cellMeans();
        assertThat(r.effect()).isCloseTo((m[3] - m[2]) - (m[1] - m[0]), within(1e-9));
        assertThat(r.lower()).isLessThan(4);
        assertThat(r.upper()).isGreaterThan(4);
    }
}
