package fusion.analytics.attribution;

import static fusion.analytics.attribution.Paths.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NextStepEvaluationTest {

    @Test
    void aDeterministicSecondStepIsAlwaysPredictedAndTheSplitKeepsEveryJourney() {
        // After a comes b, after c comes d; the first touch is a or c half the time each.
        List<ConversionPath> rows = List.of(path("a > b", 40, "40", 60), path("c > d", 10, "10", 90));
        List<NextStepEvaluation.Score> scores = NextStepEvaluation.evaluate(rows, 2, 0.2, 7);

        for (NextStepEvaluation.Score s : scores) {
            assertThat(s.trainJourneys() + s.testJourneys()).isEqualTo(200);
            assertThat(s.nextChannelPredictions()).isEqualTo(2 * s.testJourneys());
            // every second step right, the first right about half the time
            assertThat(s.nextChannelAccuracy()).isBetween(0.6, 0.9);
            assertThat(s.nextChannelAccuracy()).isGreaterThan(s.baselineNextChannelAccuracy());
            // a>b converts 40%, c>d 10%: the model's probabilities beat the base rate
            assertThat(s.conversionBrier()).isLessThan(s.baselineConversionBrier());
        }
    }

    @Test
    @DisplayName(
            "issue 13: on paths whose outcome the path decides, every held-out figure follows by hand from the split")
    void everyFigureFollowsByHandFromTheSplit() {
        // a > b always converts (150 journeys), c > d never does (50). Whatever the seeded split, the
        // model has seen a first far more often than c, so it predicts a, then b after a and d after
        // c, and a certain conversion after a > b and none after c > d.
        List<ConversionPath> rows = List.of(path("a > b", 150, "150", 0), path("c > d", 0, "0", 50));
        for (long seed : new long[] {1, 2, 3}) {
            List<NextStepEvaluation.Score> scores = NextStepEvaluation.evaluate(rows, 2, 0.2, seed);
            for (NextStepEvaluation.Score s : scores) {
                double test = s.testJourneys();
                assertThat(s.trainJourneys() + s.testJourneys()).isEqualTo(200);
                assertThat(s.nextChannelPredictions()).isEqualTo(2 * s.testJourneys());
                // the majority outcome in training is conversion, so the baseline's hit rate is the
                // held-out share of a > b journeys: that recovers how many of them were held out
                double testA = s.baselineConversionAccuracy() * test;
                assertThat(testA).isCloseTo(Math.rint(testA), within(1e-9));
                double testC = test - testA;
                // every second step right, the first right exactly on the a > b journeys
                assertThat(s.nextChannelAccuracy()).isCloseTo((testA + test) / (2 * test), within(1e-12));
                // the baseline always says the most frequent channel: a and b tie, the later name (b) wins;
                // b is right only on the second step of a > b journeys
                assertThat(s.baselineNextChannelAccuracy()).isCloseTo(testA / (2 * test), within(1e-12));
                assertThat(s.conversionAccuracy()).isEqualTo(1.0);
                assertThat(s.conversionBrier()).isEqualTo(0.0);
                // the baseline predicts the training conversion rate r for everyone
                double r = (150 - testA) / (200 - test);
                assertThat(s.baselineConversionBrier())
                        .isCloseTo((testA * (1 - r) * (1 - r) + testC * r * r) / test, within(1e-12));
            }
        }
    }
}
