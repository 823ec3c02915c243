package fusion.analytics.attribution;

import static fusion.analytics.attribution.Paths.path;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
    void theSameSeedGivesTheSameFigures() {
        List<ConversionPath> rows = Paths.random(3, 400, 5);
        assertThat(NextStepEvaluation.evaluate(rows, 2, 0.2, 99)).isEqualTo(NextStepEvaluation.evaluate(rows, 2, 0.2, 99));
    }
}
