package fusion.models.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DiscreteModelsTest {
    static final BgBb DONORS = new BgBb(1.204, 0.750, 0.657, 2.783);

    @Test
    void bgBbLikelihoodsOfEverySequenceOverSixPeriodsSumToOne() {
        // C(t_x - 1, x - 1) binary sequences share each (x, t_x); one sequence has x = 0
        int n = 6;
        double total = Math.exp(DONORS.logLikelihood(0, 0, n));
        for (int tx = 1; tx <= n; tx++) {
            for (int x = 1; x <= tx; x++) {
                total += binomial(tx - 1, x - 1) * Math.exp(DONORS.logLikelihood(x, tx, n));
            }
        }
        assertThat(total).isCloseTo(1, within(1e-12));
    }

    @Test
    void bgBbExpectationsAgreeForANewCustomerAndPredictionsAreSensible() {
        assertThat(DONORS.conditionalExpectedTransactions(0, 0, 0, 5))
                .isCloseTo(DONORS.expectedTransactions(5), within(1e-12));
        // a donor who gave every year is likelier alive and gives more than one who stopped early
        assertThat(DONORS.probabilityAlive(6, 6, 6)).isGreaterThan(DONORS.probabilityAlive(1, 1, 6));
        assertThat(DONORS.conditionalExpectedTransactions(6, 6, 6, 5))
                .isGreaterThan(DONORS.conditionalExpectedTransactions(1, 1, 6, 5));
        assertThat(DONORS.probabilityAlive(6, 6, 6)).isBetween(0.0, 1.0);
    }

    @Test
    void sbgSurvivalIsTheProductOfRetentionRatesAndChurnSumsToLoss() {
        ShiftedBetaGeometric m = new ShiftedBetaGeometric(0.668, 3.806);
        double survival = 1;
        for (int t = 1; t <= 12; t++) {
            survival *= m.retentionRate(t);
            assertThat(m.survival(t)).isCloseTo(survival, within(1e-12));
            assertThat(m.survival(t - 1) - m.survival(t)).isCloseTo(m.churnAt(t), within(1e-12));
        }
        // FH 2007: retention rises with tenure for a heterogeneous cohort
        assertThat(m.retentionRate(8)).isGreaterThan(m.retentionRate(1));
    }

    @Test
    void sbgReproducesTheRegularCohortWithinTwoPercentOfItsSize() {
        long[] alive = {1000, 869, 743, 653, 593, 551, 517, 491};
        ShiftedBetaGeometric m = ShiftedBetaGeometric.fit(alive).model();
        double[] projected = m.projectAlive(1000, 7);
        // the largest miss is year 1: S(1) = delta / (gamma + delta) = 851 of 1000 against 869 observed
        assertThat(projected[1]).isCloseTo(1000 * m.delta() / (m.gamma() + m.delta()), within(1e-9));
        for (int t = 0; t <= 7; t++) {
            assertThat(projected[t]).isCloseTo(alive[t], within(20.0));
        }
    }

    private static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }
}
