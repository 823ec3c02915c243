package fusion.analytics.attribution;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Attribution of conversions and value to channels under every method at once, fed one path at a
 * time: {@code new Attribution(1, 2, 3)}, then {@link #add} each path, then {@link #result()}.
 * Memory holds per-channel sums and the distinct transitions of each chain, not the paths, so a
 * stream of any length fits. Not thread-safe; one accumulator per stream.
 */
public final class Attribution {

    private final HeuristicAttribution heuristics = new HeuristicAttribution();
    private final List<TransitionCounts> chains = new ArrayList<>();
    private long paths;
    private long conversions;
    private long nulls;
    private BigDecimal value = BigDecimal.ZERO;

    /** An accumulator fitting a Markov chain of each given order (none: heuristics only). */
    public Attribution(int... markovOrders) {
        for (int order : markovOrders) {
            chains.add(new TransitionCounts(order));
        }
    }

    /** Attribution of every path in a paths file, streamed. */
    public static AttributionResult ofFile(Path file, int... markovOrders) {
        Attribution attribution = new Attribution(markovOrders);
        PathsFile.stream(file, attribution::add);
        return attribution.result();
    }

    /** Attribution of the given paths. */
    public static AttributionResult of(Iterable<ConversionPath> paths, int... markovOrders) {
        Attribution attribution = new Attribution(markovOrders);
        paths.forEach(attribution::add);
        return attribution.result();
    }

    public void add(ConversionPath path) {
        paths++;
        conversions += path.conversions();
        nulls += path.nulls();
        value = value.add(path.value());
        heuristics.add(path);
        for (TransitionCounts chain : chains) {
            chain.add(path);
        }
    }

    /** Paths added so far. */
    public long paths() {
        return paths;
    }

    HeuristicAttribution heuristics() {
        return heuristics;
    }

    /** Solves the chains and gathers every method's credit. The accumulator stays usable. */
    public AttributionResult result() {
        List<MarkovAttribution.MarkovCredit> markov = new ArrayList<>();
        for (TransitionCounts counts : chains) {
            markov.add(MarkovAttribution.attribute(MarkovChain.of(counts), conversions, value.doubleValue()));
        }
        return new AttributionResult(
                paths, conversions + nulls, conversions, value.doubleValue(), nulls, heuristics.credits(), markov);
    }

    /**
     * Every method's credit for one set of paths.
     *
     * @param paths           distinct path rows read
     * @param journeys        journeys they stand for (conversions + nulls)
     * @param conversions     total conversions
     * @param conversionValue total conversion value
     * @param nulls           total non-converting journeys
     * @param heuristics      first, last and linear credit per channel
     * @param markov          removal-effect credit, one entry per requested order
     */
    public record AttributionResult(
            long paths,
            long journeys,
            long conversions,
            double conversionValue,
            long nulls,
            List<HeuristicAttribution.HeuristicCredit> heuristics,
            List<MarkovAttribution.MarkovCredit> markov) {

        /** Share of journeys that converted, as observed (not from the chain). */
        public double observedConversionRate() {
            return journeys == 0 ? 0 : (double) conversions / journeys;
        }
    }
}
