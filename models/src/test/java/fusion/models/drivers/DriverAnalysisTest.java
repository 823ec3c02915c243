package fusion.models.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.models.data.Csv;
import fusion.models.data.DataFiles;
import fusion.models.data.Table;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DriverAnalysisTest {

    @Test
    void lmgSharesOfIndependentDriversAreTheirSquaredCorrelations() {
        Random random = new Random(11);
        int n = 50_000;
        double[] y = new double[n];
        double[][] x = new double[n][3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = random.nextGaussian();
            }
            y[i] = 3 * x[i][0] + 2 * x[i][1] + x[i][2] + random.nextGaussian();
        }
        DriverAnalysis.Result r = DriverAnalysis.analyse(y, x, List.of("a", "b", "c"), 0, 0.95, 1);
        // var(y) = 9 + 4 + 1 + 1 = 15; uncorrelated drivers each own coefficient^2 / 15
        assertThat(r.rSquared()).isCloseTo(14.0 / 15, within(0.01));
        assertThat(r.drivers().get(0).name()).isEqualTo("a");
        assertThat(r.drivers().get(0).lmg()).isCloseTo(9.0 / 15, within(0.01));
        assertThat(r.drivers().get(1).lmg()).isCloseTo(4.0 / 15, within(0.01));
        assertThat(r.drivers().get(2).lmg()).isCloseTo(1.0 / 15, within(0.01));
    }

    @Test
    @DisplayName(
            "issue 13: with two correlated drivers LMG is the closed form from the three correlations, worked out here")
    void lmgOfTwoCorrelatedDriversIsTheClosedFormFromTheCorrelations() {
        Random random = new Random(5);
        int n = 400;
        double[] y = new double[n];
        double[][] x = new double[n][2];
        for (int i = 0; i < n; i++) {
            double common = random.nextGaussian();
            x[i][0] = common + random.nextGaussian();
            x[i][1] = 0.7 * common + random.nextGaussian();
            y[i] = 2 * x[i][0] - x[i][1] + 3 * random.nextGaussian();
        }
        double r1 = correlation(column(x, 0), y);
        double r2 = correlation(column(x, 1), y);
        double r12 = correlation(column(x, 0), column(x, 1));
        // Two predictors: R^2 = (r1^2 + r2^2 - 2 r1 r2 r12) / (1 - r12^2), and the Shapley value of
        // driver 1 averages its gain over the two orders: (r1^2 + (R^2 - r2^2)) / 2.
        double full = (r1 * r1 + r2 * r2 - 2 * r1 * r2 * r12) / (1 - r12 * r12);
        double lmg1 = (r1 * r1 + full - r2 * r2) / 2;
        double lmg2 = (r2 * r2 + full - r1 * r1) / 2;

        DriverAnalysis.Result r = DriverAnalysis.analyse(y, x, List.of("a", "b"), 0, 0.95, 1);

        Map<String, DriverAnalysis.Driver> byName =
                r.drivers().stream().collect(Collectors.toMap(DriverAnalysis.Driver::name, d -> d));
        assertThat(r.rSquared()).isCloseTo(full, within(1e-10));
        assertThat(byName.get("a").lmg()).isCloseTo(lmg1, within(1e-10));
        assertThat(byName.get("b").lmg()).isCloseTo(lmg2, within(1e-10));
    }

    @Test
    @DisplayName("issue 13: bootstrap intervals of independent drivers cover their population shares of R^2")
    void bootstrapIntervalsCoverThePopulationShares() {
        Random random = new Random(23);
        int n = 2_000;
        double[] y = new double[n];
        double[][] x = new double[n][3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = random.nextGaussian();
            }
            y[i] = 3 * x[i][0] + 2 * x[i][1] + x[i][2] + random.nextGaussian();
        }
        DriverAnalysis.Result r = DriverAnalysis.analyse(y, x, List.of("a", "b", "c"), 300, 0.95, 7);
        Map<String, Double> population = Map.of("a", 9.0 / 15, "b", 4.0 / 15, "c", 1.0 / 15);
        assertThat(r.drivers()).allSatisfy(d -> {
            assertThat(d.lmgLower()).isLessThan(population.get(d.name()));
            assertThat(d.lmgUpper()).isGreaterThan(population.get(d.name()));
            assertThat(d.lmgUpper() - d.lmgLower()).isLessThan(0.1);
        });
    }

    @Test
    @DisplayName(
            "issue 13: on the generated survey the analysis recovers the generator's coefficients and ranks its two strongest drivers first")
    void surveyAnalysisRecoversTheGeneratorsDrivers() {
        // datasets/survey/customer_satisfaction.csv is written by fusion.bench.reports.SurveyGenerator
        // with q1 = 1.2 + sum beta_j q_j + N(0, 1); these are its coefficients (datasets/README.md).
        Map<String, Double> beta = Map.of(
                "q2", 0.12, "q3", 0.05, "q4", 0.35, "q5", 0.05, "q6", 0.30, "q7", 0.12, "q8", 0.03, "q9", 0.0, "q10",
                0.03);
        List<String> names = List.of("q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10");
        Table t = Csv.read(DataFiles.resolve("survey/customer_satisfaction.csv"));
        double[] y = t.numbers("q1");
        double[][] x = new double[y.length][names.size()];
        for (int j = 0; j < names.size(); j++) {
            double[] c = t.numbers(names.get(j));
            for (int i = 0; i < y.length; i++) {
                x[i][j] = c[i];
            }
        }

        DriverAnalysis.Result r = DriverAnalysis.analyse(y, x, names, 200, 0.95, 1980);

        assertThat(r.respondents()).isEqualTo(1811);
        // Rounding and clipping to 1..10 attenuate the coefficients a little; 0.05 is four standard errors.
        assertThat(r.drivers())
                .allSatisfy(d -> assertThat(d.coefficient()).as(d.name()).isCloseTo(beta.get(d.name()), within(0.05)));
        double sum =
                r.drivers().stream().mapToDouble(DriverAnalysis.Driver::lmg).sum();
        assertThat(sum).isCloseTo(r.rSquared(), within(1e-10));
        assertThat(r.drivers()).allSatisfy(d -> {
            assertThat(d.lmgLower()).isLessThanOrEqualTo(d.lmg());
            assertThat(d.lmgUpper()).isGreaterThanOrEqualTo(d.lmg());
        });
        assertThat(r.drivers().subList(0, 2))
                .extracting(DriverAnalysis.Driver::name)
                .containsExactly("q4", "q6");
        assertThat(r.drivers().get(1).lmgLower())
                .isGreaterThan(r.drivers().get(2).lmgUpper());
    }

    private static double[] column(double[][] x, int j) {
        double[] c = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i][j];
        }
        return c;
    }

    private static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
