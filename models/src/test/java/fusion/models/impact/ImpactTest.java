package fusion.models.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.models.data.DataFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImpactTest {

    @Test
    void controlRegressionRecoversTheSimulatedEffectOfTenWithAnIntervalCoveringIt() {
        ControlRegression.Result r = ImpactReports.simulatedResult();
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
        ControlRegression.Result r = ControlRegression.analyse(y, x, 70,
                new ControlRegression.Options(1000, 0.95, 1));
        assertThat(r.fitAdequate()).isFalse();
        assertThat(r.effectDetected()).isFalse();
        assertThat(r.message()).startsWith("The pre-period fit is too poor to conclude");
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
        ControlRegression.Result r = ControlRegression.analyse(y, x, 70,
                new ControlRegression.Options(1000, 0.95, 1));
        assertThat(r.residualLag1()).isGreaterThan(ControlRegression.MAX_AUTOCORRELATION);
        assertThat(r.fitAdequate()).isFalse();
    }

    @Test
    void syntheticControlReproducesTheBasqueWeightsOfAbadieAndGardeazabal() {
        SyntheticControl.Result r = ImpactReports.basqueResult(ImpactReports.BASQUE_SPEC);
        assertThat(r.fit().converged()).isTrue();
        assertThat(r.fit().weights().get("Cataluna")).isCloseTo(0.85, within(0.02));
        assertThat(r.fit().weights().get("Madrid (Comunidad De)")).isCloseTo(0.15, within(0.02));
        double others = r.fit().weights().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("Cataluna") && !e.getKey().startsWith("Madrid"))
                .mapToDouble(java.util.Map.Entry::getValue).sum();
        assertThat(others).isLessThan(0.01);
        assertThat(r.fit().weights().values().stream().mapToDouble(Double::doubleValue).sum())
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
                List.of("a", "b", "c", "treated"), new int[] {1, 2, 3, 4, 5, 6},
                new double[][] {donors[0], donors[1], donors[2], treated});
        SyntheticControl.Result r = SyntheticControl.estimate(panel,
                new SyntheticControl.Spec("treated", 5, 1, 4));
        assertThat(r.fit().weights().get("a")).isCloseTo(0.2, within(1e-5));
        assertThat(r.fit().weights().get("c")).isCloseTo(0.8, within(1e-5));
        assertThat(r.averagePostGap(5)).isCloseTo(3, within(1e-4));
    }

    @Test
    void differenceInDifferencesOnCardKruegerMatchesThePublishedFteEffect() {
        DifferenceInDifferences.Result r = ImpactReports.cardKruegerResult();
        assertThat(r.effect()).isCloseTo(2.75, within(0.02));
        assertThat(r.effect()).isCloseTo(2.76, within(0.05));
        assertThat(r.clusters()).isEqualTo(410);
        assertThat(r.seClassical()).isBetween(1.0, 2.0);
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
            data.add(new DifferenceInDifferences.Observation("u" + unit, treated, false,
                    level + random.nextGaussian()));
            data.add(new DifferenceInDifferences.Observation("u" + unit, treated, true,
                    level + 1 + (treated ? 4 : 0) + random.nextGaussian()));
        }
        DifferenceInDifferences.Result r = DifferenceInDifferences.estimate(data, 0.95);
        double[] m = r.cellMeans();
        assertThat(r.effect()).isCloseTo((m[3] - m[2]) - (m[1] - m[0]), within(1e-9));
        assertThat(r.lower()).isLessThan(4);
        assertThat(r.upper()).isGreaterThan(4);
    }
}
