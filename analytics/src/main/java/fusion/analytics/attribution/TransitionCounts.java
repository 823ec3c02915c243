package fusion.analytics.attribution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Transition counts of the order-{@code k} chain over collapsed paths, accumulated path by path.
 *
 * <p>A state is the last (at most) {@code k} channels of the collapsed path so far; the empty
 * context is the start. Each path of weight {@code w = conversions + nulls} adds {@code w} to
 * every transition along it, then its conversions to (last state -> conversion) and its nulls to
 * (last state -> null). A path shorter than {@code k} is in a state holding its whole prefix, as in
 * Anderl et al. (2016, section 3.2). States are packed into a {@code long}, 12 bits per channel, so
 * the order is at most 5 and there are at most 4094 channels; memory grows with the distinct
 * transitions seen, never with the number of paths.
 */
final class TransitionCounts {

    static final int CONVERSION = -1;
    static final int NULL = -2;
    static final int MAX_ORDER = 5;
    private static final int BITS = 12;
    private static final int MAX_CHANNELS = (1 << BITS) - 2;

    final int order;
    private final long mask;
    final Map<String, Integer> channelIds = new HashMap<>();
    final List<String> channelNames = new ArrayList<>();
    final Map<Long, Integer> stateIndex = new HashMap<>();
    final List<Long> stateKeys = new ArrayList<>();
    /** Per state: target (state index, {@link #CONVERSION} or {@link #NULL}) -> count. */
    final List<Map<Integer, long[]>> edges = new ArrayList<>();

    TransitionCounts(int order) {
        if (order < 1 || order > MAX_ORDER) {
            throw new IllegalArgumentException("order: expected 1.." + MAX_ORDER + " but was " + order);
        }
        this.order = order;
        this.mask = order * BITS == 64 ? -1L : (1L << (order * BITS)) - 1;
        state(0L);
    }

    void add(ConversionPath path) {
        long weight = path.journeys();
        if (weight == 0) {
            return;
        }
        int from = 0;
        long key = 0;
        int previous = -1;
        for (String channel : path.channels()) {
            int id = channelId(channel);
            if (id == previous) {
                continue;
            }
            previous = id;
            key = push(key, id);
            int to = state(key);
            count(from, to, weight);
            from = to;
        }
        count(from, CONVERSION, path.conversions());
        count(from, NULL, path.nulls());
    }

    long push(long key, int channelId) {
        return ((key << BITS) | (channelId + 1)) & mask;
    }

    /** The channel ids in a state, oldest first. */
    int[] channelsOf(long key) {
        int length = 0;
        for (long k = key; k != 0; k >>>= BITS) {
            length++;
        }
        int[] ids = new int[length];
        long k = key;
        for (int i = length - 1; i >= 0; i--) {
            ids[i] = (int) (k & ((1 << BITS) - 1)) - 1;
            k >>>= BITS;
        }
        return ids;
    }

    private int channelId(String channel) {
        Integer id = channelIds.get(channel);
        if (id == null) {
            if (channelNames.size() == MAX_CHANNELS) {
                throw new IllegalArgumentException(
                        "channel '" + channel + "': more than " + MAX_CHANNELS + " distinct channels");
            }
            id = channelNames.size();
            channelIds.put(channel, id);
            channelNames.add(channel);
        }
        return id;
    }

    private int state(long key) {
        Integer index = stateIndex.get(key);
        if (index == null) {
            index = stateKeys.size();
            stateIndex.put(key, index);
            stateKeys.add(key);
            edges.add(new HashMap<>(4));
        }
        return index;
    }

    private void count(int from, int to, long n) {
        if (n > 0) {
            edges.get(from).computeIfAbsent(to, k -> new long[1])[0] += n;
        }
    }
}
