package fusion.models.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.models.data.DataFiles;
import java.util.List;
import java.util.Random;
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
        DriverAnalysis.Result r = DriverAnalysis.analyse(y, x, List.of("a", "b", "c"), 0, 0.95,
                1);
        // var(y) = 9 + 4 + 1 + 1 = 15; uncorrelated drivers each own coefficient^2 / 15
        assertThat(r.rSquared()).isCloseTo(14.0 / 15, within(0.01));
        assertThat(r.drivers().get(0).name()).isEqualTo("a");
        assertThat(r.drivers().get(0).lmg()).isCloseTo(9.0 / 15, within(0.01));
        assertThat(r.drivers().get(1).lmg()).isCloseTo(4.0 / 15, within(0.01));
        assertThat(r.drivers().get(2).lmg()).isCloseTo(1.0 / 15, within(0.01));
    }

    @Test
    void surveyLmgSharesSumToTheFullRSquaredAndTheRankingIsStable() {
        DriverAnalysis.Result r = DriverReport.survey();
        assertThat(r.respondents()).isEqualTo(1811);
        assertThat(r.drivers()).hasSize(9);
        double sum = r.drivers().stream().mapToDouble(DriverAnalysis.Driver::lmg).sum();
        assertThat(sum).isCloseTo(r.rSquared(), within(1e-10));
        assertThat(r.drivers()).allSatisfy(d -> {
            assertThat(d.lmg()).isPositive();
            assertThat(d.lmgLower()).isLessThanOrEqualTo(d.lmg());
            assertThat(d.lmgUpper()).isGreaterThanOrEqualTo(d.lmg());
        });
        assertThat(r.rankCorrelation()).isGreaterThan(0.9);
        assertThat(r.drivers()).allSatisfy(d -> assertThat(d.rankAgreement()).isGreaterThan(0.5));
        // q4 and q6 are close to a tie at the top, but both lie clearly above the rest
        assertThat(r.drivers().subList(0, 2)).extracting(DriverAnalysis.Driver::name)
                .containsExactlyInAnyOrder("q4", "q6");
        assertThat(r.drivers().get(1).lmgLower()).isGreaterThan(r.drivers().get(2).lmgUpper());
        assertThat(r.drivers().get(0).lmgLower()).isGreaterThan(r.drivers().get(8).lmgUpper());
    }

    @Test
    void theSameSeedGivesTheSameIntervals() {
        assertThat(DriverReport.survey()).isEqualTo(DriverReport.survey());
    }
}
