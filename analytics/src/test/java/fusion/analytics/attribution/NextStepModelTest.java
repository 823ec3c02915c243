package fusion.analytics.attribution;

import static fusion.analytics.attribution.Paths.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class NextStepModelTest {

    private final NextStepModel model = NextStepModel.fit(
            List.of(path("a > b > c", 2, "2", 1), path("x > b > d", 0, "0", 3), path("a", 1, "1", 0)), 2);

    @Test
    void theSecondOrderContextDecidesTheNextChannelWhenItWasSeen() {
        NextStepModel.NextStep afterAb = model.predict(List.of("a", "b"));
        NextStepModel.NextStep afterXb = model.predict(List.of("x", "x", "b"));

        assertThat(afterAb.orderUsed()).isEqualTo(2);
        assertThat(afterAb.nextChannel()).containsExactlyEntriesOf(java.util.Map.of("c", 1.0));
        assertThat(afterXb.mostLikelyChannel()).isEqualTo("d");
    }

    @Test
    void anUnseenContextBacksOffToTheFirstOrderChain() {
        NextStepModel.NextStep afterCb = model.predict(List.of("c", "b"));

        assertThat(afterCb.orderUsed()).isEqualTo(1);
        assertThat(afterCb.nextChannel().get("c")).isCloseTo(0.5, within(1e-15));
        assertThat(afterCb.nextChannel().get("d")).isCloseTo(0.5, within(1e-15));
    }

    @Test
    void anUnseenChannelBacksOffToOverallFrequencies() {
        NextStepModel.NextStep afterNew = model.predict(List.of("never-seen"));

        assertThat(afterNew.orderUsed()).isZero();
        double total = afterNew.nextChannel().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum()
                + afterNew.conversion()
                + afterNew.dropOut();
        assertThat(total).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void theEndOfATrajectoryGivesConversionDropOutAndEventualConversion() {
        NextStepModel.NextStep afterA = model.predict(List.of("a"));

        // a: 3 journeys went on to b, 1 converted right away
        assertThat(afterA.conversion()).isCloseTo(0.25, within(1e-15));
        assertThat(afterA.dropOut()).isZero();
        // from a: 1/4 now, 3/4 via b; after a>b, c then converts 2 of 3
        assertThat(afterA.eventualConversion()).isCloseTo(0.25 + 0.75 * 2.0 / 3, within(1e-15));
        assertThat(model.predict(List.of()).eventualConversion()).isCloseTo(3.0 / 7, within(1e-15));
    }
}
