package fusion.analytics.attribution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Held-out evaluation of {@link NextStepModel}: every journey of every path row goes to the test
 * set with probability {@code testShare} (seeded), the model is fitted on the rest, and on each
 * held-out journey it predicts (a) every next channel from the prefix before it, including the first
 * from the empty prefix, and (b) at the journey's end, conversion versus drop-out. Baselines: the
 * most frequent channel in training, and the majority outcome with the training conversion rate
 * as its probability.
 */
public final class NextStepEvaluation {

    private NextStepEvaluation() {}

    /** Evaluates the model of each order 1..{@code maxOrder} on one seeded split. */
    public static List<Score> evaluate(List<ConversionPath> rows, int maxOrder, double testShare, long seed) {
        List<ConversionPath> train = new ArrayList<>();
        List<ConversionPath> test = new ArrayList<>();
        Random rng = new Random(seed);
        for (ConversionPath row : rows) {
            long[] testCounts = new long[2];
            for (long j = 0; j < row.conversions(); j++) {
                testCounts[0] += rng.nextDouble() < testShare ? 1 : 0;
            }
            for (long j = 0; j < row.nulls(); j++) {
                testCounts[1] += rng.nextDouble() < testShare ? 1 : 0;
            }
            if (testCounts[0] + testCounts[1] > 0) {
                test.add(new ConversionPath(row.channels(), testCounts[0], BigDecimal.ZERO, testCounts[1]));
            }
            if (row.journeys() - testCounts[0] - testCounts[1] > 0) {
                train.add(new ConversionPath(
                        row.channels(),
                        row.conversions() - testCounts[0],
                        BigDecimal.ZERO,
                        row.nulls() - testCounts[1]));
            }
        }
        String mostFrequent = mostFrequentChannel(train);
        long trainConversions =
                train.stream().mapToLong(ConversionPath::conversions).sum();
        long trainJourneys = train.stream().mapToLong(ConversionPath::journeys).sum();
        double baseRate = (double) trainConversions / trainJourneys;
        List<Score> scores = new ArrayList<>();
        for (int k = 1; k <= maxOrder; k++) {
            scores.add(score(NextStepModel.fit(train, k), test, mostFrequent, baseRate, trainJourneys));
        }
        return scores;
    }

    private static Score score(
            NextStepModel model, List<ConversionPath> test, String mostFrequent, double baseRate, long trainJourneys) {
        double steps = 0, hits = 0, baselineHits = 0;
        double journeys = 0, outcomeHits = 0, baselineOutcomeHits = 0, brier = 0, baselineBrier = 0;
        boolean baselineSaysConvert = baseRate > 0.5;
        for (ConversionPath row : test) {
            List<String> path = row.collapsed();
            long w = row.journeys();
            for (int i = 0; i < path.size(); i++) {
                String predicted = model.predict(path.subList(0, i)).mostLikelyChannel();
                steps += w;
                hits += predicted.equals(path.get(i)) ? w : 0;
                baselineHits += mostFrequent.equals(path.get(i)) ? w : 0;
            }
            NextStepModel.NextStep end = model.predict(path);
            double ending = end.conversion() + end.dropOut();
            double p = ending == 0 ? baseRate : end.conversion() / ending;
            journeys += w;
            outcomeHits += p > 0.5 ? row.conversions() : row.nulls();
            baselineOutcomeHits += baselineSaysConvert ? row.conversions() : row.nulls();
            brier += row.conversions() * (1 - p) * (1 - p) + row.nulls() * p * p;
            baselineBrier += row.conversions() * (1 - baseRate) * (1 - baseRate) + row.nulls() * baseRate * baseRate;
        }
        return new Score(
                model.maxOrder(),
                trainJourneys,
                (long) journeys,
                (long) steps,
                hits / steps,
                baselineHits / steps,
                outcomeHits / journeys,
                baselineOutcomeHits / journeys,
                brier / journeys,
                baselineBrier / journeys);
    }

    private static String mostFrequentChannel(List<ConversionPath> train) {
        Map<String, Long> counts = new HashMap<>();
        for (ConversionPath row : train) {
            row.collapsed().forEach(c -> counts.merge(c, row.journeys(), Long::sum));
        }
        return counts.entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse("");
    }

    /**
     * One order's held-out figures.
     *
     * @param order                      chain order (with back-off below it)
     * @param trainJourneys              journeys fitted on
     * @param testJourneys               journeys held out
     * @param nextChannelPredictions     next-channel predictions made (one per held-out touch)
     * @param nextChannelAccuracy        share of next channels predicted right
     * @param baselineNextChannelAccuracy the same for always the most frequent channel
     * @param conversionAccuracy         share of journey ends classified right (conversion if p > 0.5)
     * @param baselineConversionAccuracy the same for always the majority outcome
     * @param conversionBrier            mean squared error of the conversion probability
     * @param baselineConversionBrier    the same for the training conversion rate
     */
    public record Score(
            int order,
            long trainJourneys,
            long testJourneys,
            long nextChannelPredictions,
            double nextChannelAccuracy,
            double baselineNextChannelAccuracy,
            double conversionAccuracy,
            double baselineConversionAccuracy,
            double conversionBrier,
            double baselineConversionBrier) {}
}
