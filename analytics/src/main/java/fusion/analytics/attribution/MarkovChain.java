package fusion.analytics.attribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted absorbing Markov chain over collapsed paths: transient states (the start and the
 * channel contexts) and two absorbing states, conversion and null. Transition probabilities are the
 * maximum-likelihood estimates, counts over the state's total outflow. Immutable.
 */
public final class MarkovChain {

    /** Label of the conversion outcome in next-step distributions. */
    public static final String CONVERSION = "(conversion)";
    /** Label of the null (drop-out) outcome in next-step distributions. */
    public static final String NULL = "(null)";

    final int order;
    final List<String> channels;
    private final Map<String, Integer> channelIds;
    private final Map<Long, Integer> stateIndex;
    final long[] stateKeys;
    final int[][] stateChannels;
    /** Transient-to-transient transitions in compressed rows. */
    final int[] rowStart;

    final int[] target;
    final double[] probability;
    final double[] toConversion;
    final double[] toNull;
    final long[] outflow;
    private final TransitionCounts shape;

    private MarkovChain(TransitionCounts counts) {
        this.order = counts.order;
        this.shape = counts;
        this.channels = List.copyOf(counts.channelNames);
        this.channelIds = Map.copyOf(counts.channelIds);
        this.stateIndex = Map.copyOf(counts.stateIndex);
        int n = counts.stateKeys.size();
        stateKeys = new long[n];
        stateChannels = new int[n][];
        rowStart = new int[n + 1];
        toConversion = new double[n];
        toNull = new double[n];
        outflow = new long[n];
        int edgeCount = 0;
        for (int s = 0; s < n; s++) {
            stateKeys[s] = counts.stateKeys.get(s);
            stateChannels[s] = counts.channelsOf(stateKeys[s]);
            edgeCount += counts.edges.get(s).size();
        }
        target = new int[edgeCount];
        probability = new double[edgeCount];
        int e = 0;
        for (int s = 0; s < n; s++) {
            rowStart[s] = e;
            long total = 0;
            for (long[] c : counts.edges.get(s).values()) {
                total += c[0];
            }
            outflow[s] = total;
            for (Map.Entry<Integer, long[]> edge : counts.edges.get(s).entrySet()) {
                double p = total == 0 ? 0 : (double) edge.getValue()[0] / total;
                switch (edge.getKey()) {
                    case TransitionCounts.CONVERSION -> toConversion[s] = p;
                    case TransitionCounts.NULL -> toNull[s] = p;
                    default -> {
                        target[e] = edge.getKey();
                        probability[e] = p;
                        e++;
                    }
                }
            }
        }
        rowStart[n] = e;
    }

    /** Fits the order-{@code order} chain to the paths. */
    public static MarkovChain fit(Iterable<ConversionPath> paths, int order) {
        TransitionCounts counts = new TransitionCounts(order);
        paths.forEach(counts::add);
        return new MarkovChain(counts);
    }

    static MarkovChain of(TransitionCounts counts) {
        return new MarkovChain(counts);
    }

    public int order() {
        return order;
    }

    /** Number of transient states, the start included. */
    public int states() {
        return stateKeys.length;
    }

    /** Channels seen, in order of first appearance. */
    public List<String> channels() {
        return channels;
    }

    /** Probability that a journey from the start ends in conversion. */
    public double conversionProbability() {
        return AbsorptionSolver.solve(this, new boolean[states()]).probabilities()[0];
    }

    /**
     * Probability of conversion from the start when every state holding {@code channel} sends its
     * journeys to null instead (the removal of Anderl et al. 2016, eq. 3).
     */
    public double conversionProbabilityWithout(String channel) {
        return AbsorptionSolver.solve(this, statesHolding(channel)).probabilities()[0];
    }

    boolean[] statesHolding(String channel) {
        boolean[] removed = new boolean[states()];
        Integer id = channelIds.get(channel);
        if (id == null) {
            return removed;
        }
        for (int s = 0; s < states(); s++) {
            for (int c : stateChannels[s]) {
                if (c == id) {
                    removed[s] = true;
                    break;
                }
            }
        }
        return removed;
    }

    /**
     * The state of a trajectory: the last {@code order} channels of the collapsed trajectory, or
     * -1 if the chain never saw that context (or a channel in it).
     */
    int stateOf(List<String> trajectory) {
        List<String> collapsed = ConversionPath.collapse(trajectory);
        long key = 0;
        for (String channel : collapsed.subList(Math.max(0, collapsed.size() - order), collapsed.size())) {
            Integer id = channelIds.get(channel);
            if (id == null) {
                return -1;
            }
            key = shape.push(key, id);
        }
        Integer s = stateIndex.get(key);
        return s == null || outflow[s] == 0 ? -1 : s;
    }

    /** Next-step distribution out of a state: next channel, {@link #CONVERSION} or {@link #NULL}. */
    Map<String, Double> nextFrom(int state) {
        Map<String, Double> next = new LinkedHashMap<>();
        for (int e = rowStart[state]; e < rowStart[state + 1]; e++) {
            int[] ids = stateChannels[target[e]];
            next.merge(channels.get(ids[ids.length - 1]), probability[e], Double::sum);
        }
        next.put(CONVERSION, toConversion[state]);
        next.put(NULL, toNull[state]);
        return next;
    }

    /** Human-readable name of a state, for reports and error messages. */
    String stateName(int state) {
        if (stateChannels[state].length == 0) {
            return "(start)";
        }
        List<String> names = new ArrayList<>();
        Arrays.stream(stateChannels[state]).forEach(id -> names.add(channels.get(id)));
        return String.join(" > ", names);
    }
}
