package fusion.analytics.attribution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The likely next step of a trajectory: a distribution over the next channel, conversion and
 * drop-out (null), from chains of order 1..k fitted to the same paths. The highest order whose
 * context (the last k channels of the collapsed trajectory) was seen in training answers; an unseen
 * context backs off to the next lower order, and a trajectory with a channel never seen backs off to
 * order 0, the overall frequencies of next steps. The channels can be any tokens: contact channels,
 * or purposes (research, purchase...) when fitted to purpose paths.
 */
public final class NextStepModel {

    private final List<MarkovChain> chains;
    private final Map<String, Double> orderZero;
    private final Map<Integer, double[]> eventual = new HashMap<>();

    private NextStepModel(List<MarkovChain> chains, Map<String, Double> orderZero) {
        this.chains = chains;
        this.orderZero = orderZero;
    }

    /** Fits chains of every order from 1 to {@code maxOrder}. */
    public static NextStepModel fit(Iterable<ConversionPath> paths, int maxOrder) {
        List<TransitionCounts> counts = new ArrayList<>();
        for (int k = 1; k <= maxOrder; k++) {
            counts.add(new TransitionCounts(k));
        }
        Map<String, Long> steps = new HashMap<>();
        for (ConversionPath path : paths) {
            counts.forEach(c -> c.add(path));
            if (path.journeys() > 0) {
                path.collapsed().forEach(ch -> steps.merge(ch, path.journeys(), Long::sum));
                steps.merge(MarkovChain.CONVERSION, path.conversions(), Long::sum);
                steps.merge(MarkovChain.NULL, path.nulls(), Long::sum);
            }
        }
        long total = steps.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> orderZero = new LinkedHashMap<>();
        steps.forEach((k, v) -> orderZero.put(k, total == 0 ? 0 : (double) v / total));
        return new NextStepModel(counts.stream().map(MarkovChain::of).toList(), orderZero);
    }

    public int maxOrder() {
        return chains.size();
    }

    /** The next step after {@code trajectory} (channels in order; empty: before the first touch). */
    public NextStep predict(List<String> trajectory) {
        for (int k = chains.size(); k >= 1; k--) {
            MarkovChain chain = chains.get(k - 1);
            int state = chain.stateOf(trajectory);
            if (state >= 0) {
                double[] x = eventual.computeIfAbsent(
                        k,
                        key -> AbsorptionSolver.solve(chain, new boolean[chain.states()])
                                .probabilities());
                return NextStep.of(k, chain.nextFrom(state), x[state]);
            }
        }
        return NextStep.of(0, orderZero, Double.NaN);
    }

    /**
     * A predicted next step.
     *
     * @param orderUsed          order of the chain that answered (0: overall frequencies)
     * @param nextChannel        probability of each channel being the next touch
     * @param conversion         probability the next step is a conversion
     * @param dropOut            probability the journey ends here without converting
     * @param mostLikelyChannel  the likeliest next channel, empty if none was ever seen next
     * @param eventualConversion probability the journey converts at some later step, from the
     *                           absorbing chain ({@code NaN} at order 0)
     */
    public record NextStep(
            int orderUsed,
            Map<String, Double> nextChannel,
            double conversion,
            double dropOut,
            String mostLikelyChannel,
            double eventualConversion) {

        static NextStep of(int order, Map<String, Double> next, double eventual) {
            Map<String, Double> channels = new LinkedHashMap<>(next);
            Double conversion = channels.remove(MarkovChain.CONVERSION);
            Double dropOut = channels.remove(MarkovChain.NULL);
            String best = "";
            double bestP = -1;
            for (Map.Entry<String, Double> e : channels.entrySet()) {
                if (e.getValue() > bestP || (e.getValue() == bestP && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestP = e.getValue();
                }
            }
            return new NextStep(
                    order,
                    Map.copyOf(channels),
                    conversion == null ? 0 : conversion,
                    dropOut == null ? 0 : dropOut,
                    best,
                    eventual);
        }
    }
}
