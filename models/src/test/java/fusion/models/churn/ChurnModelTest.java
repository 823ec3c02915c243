package fusion.models.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.models.data.DataFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChurnModelTest {

    @Test
    void aucCountsTiesAsOneHalf() {
        double[] s = {0.1, 0.4, 0.4, 0.8};
        int[] y = {0, 0, 1, 1};
        // pairs (pos, neg): (0.4,0.1)=1 (0.4,0.4)=0.5 (0.8,0.1)=1 (0.8,0.4)=1 -> 3.5/4
        assertThat(ChurnEvaluation.auc(s, y)).isCloseTo(0.875, within(1e-12));
    }

    @Test
    void recoversTheCoefficientsOfASimulatedLogisticModel() {
        Random r = new Random(7);
        List<double[]> x = new ArrayList<>();
        int n = 20_000;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            x.add(new double[] {a, b});
            y[i] = r.nextDouble() < ChurnModel.sigmoid(-1 + 1.5 * a - 0.5 * b) ? 1 : 0;
        }
        ChurnModel m = ChurnModel.fit(x, y, List.of("a", "b"), 0);
        // features are standard normal, so standardised coefficients are the true ones
        assertThat(m.coefficients()[0]).isCloseTo(-1, within(0.06));
        assertThat(m.standardisedCoefficient("a")).isCloseTo(1.5, within(0.06));
        assertThat(m.standardisedCoefficient("b")).isCloseTo(-0.5, within(0.06));
    }

    @Test
    void theSameSeedGivesTheSameStratifiedSplit() {
        int[] y = new int[1000];
        for (int i = 0; i < 270; i++) {
            y[i] = 1;
        }
        StratifiedSplit a = StratifiedSplit.of(y, 0.3, 5);
        StratifiedSplit b = StratifiedSplit.of(y, 0.3, 5);
        assertThat(a.test()).containsExactly(b.test());
        assertThat(StratifiedSplit.pick(y, a.test())).hasSize(300);
        assertThat(java.util.stream.IntStream.of(StratifiedSplit.pick(y, a.test()))
                        .sum())
                .isEqualTo(81);
    }

    @Test
    void telcoModelBeatsTheBaseRateOnHeldOutCustomersAndIsCalibrated() {
        ChurnStudy s = ChurnStudy.run(DataFiles.resolve("churn/telco_churn.csv"), 20240601L, ChurnStudy.DEFAULT_LAMBDA);
        ChurnEvaluation e = s.evaluation();
        assertThat(s.dataset().rows()).hasSize(7043);
        assertThat(e.customers() + s.split().train().length).isEqualTo(7043);
        assertThat(e.auc()).isGreaterThan(0.80);
        assertThat(e.logLoss()).isLessThan(e.baseLogLoss() - 0.1);
        assertThat(e.brier()).isLessThan(e.baseBrier());
        assertThat(e.worstCalibrationGap()).isLessThan(0.10);
        double meanPredicted = e.calibration().stream()
                        .mapToDouble(b -> b.predicted() * b.customers())
                        .sum()
                / e.customers();
        assertThat(meanPredicted).isCloseTo((double) e.churners() / e.customers(), within(0.03));
    }
}
