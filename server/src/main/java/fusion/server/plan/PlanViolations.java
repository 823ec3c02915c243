package fusion.server.plan;

import fusion.core.segment.SegmentCall;
import fusion.core.segment.TrackingPlan;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Violations of the tracking plan since the server started, counted per source, event, kind and
 * field, each with its last {@value #SAMPLES} samples (the call's messageId, time and problem).
 * Memory is bounded: at most {@value #MAX_KEYS} distinct counters (event names come from clients);
 * beyond that a violation is counted under the event {@value #OTHER} of its source and kind.
 */
public final class PlanViolations {
    static final int SAMPLES = 5;
    static final int MAX_KEYS = 10_000;
    static final String OTHER = "(other events)";

    /** One counter's key. */
    record Key(String source, String event, TrackingPlan.Kind kind, String field) {}

    /** A sampled violation. */
    public record Sample(String messageId, Instant at, String problem, boolean blocked) {}

    /** One counter, as the API shows it. */
    public record Count(
            String source, String event, String kind, String field, long count, long blocked, List<Sample> samples) {}

    private static final class Counter {
        long count;
        long blocked;
        final Deque<Sample> samples = new ArrayDeque<>(SAMPLES);
    }

    private final Map<Key, Counter> counters = new LinkedHashMap<>();
    private final Instant since;

    public PlanViolations(Instant since) {
        this.since = since;
    }

    public Instant since() {
        return since;
    }

    /** Counts the violations {@code found} of a call from {@code source}; {@code blocked}: it was refused. */
    public synchronized void record(
            String source, SegmentCall call, List<TrackingPlan.Violation> found, boolean blocked) {
        for (TrackingPlan.Violation v : found) {
            Key key = new Key(source, v.event(), v.kind(), v.field());
            Counter c = counters.get(key);
            if (c == null) {
                if (counters.size() >= MAX_KEYS) {
                    key = new Key(source, OTHER, v.kind(), v.kind() == TrackingPlan.Kind.UNKNOWN_EVENT ? "event" : "");
                }
                c = counters.computeIfAbsent(key, k -> new Counter());
            }
            c.count++;
            if (blocked) c.blocked++;
            if (c.samples.size() == SAMPLES) c.samples.removeFirst();
            c.samples.addLast(new Sample(call.messageId(), call.receivedAt(), v.problem(), blocked));
        }
    }

    /** Every counter, the largest first (then by source, event and field). */
    public synchronized List<Count> counts() {
        List<Count> out = new ArrayList<>(counters.size());
        counters.forEach((k, c) -> out.add(new Count(
                k.source(), k.event(), k.kind().label(), k.field(), c.count, c.blocked, List.copyOf(c.samples))));
        out.sort(Comparator.comparingLong(Count::count)
                .reversed()
                .thenComparing(Count::source)
                .thenComparing(Count::event)
                .thenComparing(Count::field));
        return out;
    }

    /** All violations counted, and of them the refused ones. */
    public synchronized long total() {
        return counters.values().stream().mapToLong(c -> c.count).sum();
    }
}
