package fusion.server.plan;

import fusion.core.segment.SegmentCall;
import fusion.core.segment.TrackingPlan;
import fusion.store.PlanViolationRecords;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Violations of the tracking plan, counted per source, event, kind and field, each with its last
 * {@value #SAMPLES} samples (the call's messageId, time and problem). Memory is bounded: at most
 * {@value #MAX_KEYS} distinct counters (event names come from clients); beyond that a violation is
 * counted under the event {@value #OTHER} of its source and kind.
 *
 * <p>Made by {@link #keptIn}, the counters are read from the store and what is counted afterwards
 * is written back by {@link #flush}: the increments of every counter touched since the last flush
 * and its current samples, in one transaction, however many events were counted. The server
 * flushes every {@link #FLUSH_EVERY} and when it stops, so a crash loses at most that long's counts;
 * counting itself never waits for the store. Made by the constructor (the import command's dry
 * count), nothing is kept.
 */
public final class PlanViolations {
    static final int SAMPLES = 5;
    static final int MAX_KEYS = 10_000;
    static final String OTHER = "(other events)";
    /** How often the server writes what was counted since the last write. */
    public static final Duration FLUSH_EVERY = Duration.ofSeconds(5);

    /** One counter's key; the kind as its label ({@code unknown event}, ...). */
    record Key(String source, String event, String kind, String field) {}

    /** A sampled violation. */
    public record Sample(String messageId, Instant at, String problem, boolean blocked) {}

    /** One counter, as the API shows it. */
    public record Count(
            String source, String event, String kind, String field, long count, long blocked, List<Sample> samples) {}

    private static final class Counter {
        final Instant first;
        long count;
        long blocked;
        /** Counted since the last flush. */
        long newCount;

        long newBlocked;
        final Deque<Sample> samples = new ArrayDeque<>(SAMPLES);

        Counter(Instant first) {
            this.first = first;
        }
    }

    private final Map<Key, Counter> counters = new LinkedHashMap<>();
    private final Map<Key, Counter> dirty = new LinkedHashMap<>();
    private final PlanViolationRecords records;
    private final Object flushing = new Object();
    private Instant since;

    public PlanViolations(Instant since) {
        this(since, null);
    }

    private PlanViolations(Instant since, PlanViolationRecords records) {
        this.since = since;
        this.records = records;
    }

    /** Violations kept in {@code records}: the ones kept so far are read now; {@code now} if none. */
    public static PlanViolations keptIn(PlanViolationRecords records, Instant now) {
        PlanViolations v = new PlanViolations(now, records);
        for (PlanViolationRecords.Counter k : records.counters()) {
            Counter c = new Counter(k.first());
            c.count = k.count();
            c.blocked = k.blocked();
            for (PlanViolationRecords.Sample s : k.samples())
                c.samples.addLast(new Sample(s.messageId(), s.at(), s.problem(), s.blocked()));
            while (c.samples.size() > SAMPLES) c.samples.removeFirst();
            v.counters.put(new Key(k.source(), k.event(), k.kind(), k.field()), c);
            if (k.first().isBefore(v.since)) v.since = k.first();
        }
        return v;
    }

    /**
     * Since when violations are counted: the first one's time (kept in the store, so a restart
     * does not move it); before any was counted, when this was made.
     */
    public synchronized Instant since() {
        return since;
    }

    /** Counts the violations {@code found} of a call from {@code source}; {@code blocked}: it was refused. */
    public synchronized void record(
            String source, SegmentCall call, List<TrackingPlan.Violation> found, boolean blocked) {
        for (TrackingPlan.Violation v : found) {
            Key key = new Key(source, v.event(), v.kind().label(), v.field());
            Counter c = counters.get(key);
            if (c == null) {
                if (counters.size() >= MAX_KEYS) {
                    key = new Key(
                            source,
                            OTHER,
                            v.kind().label(),
                            v.kind() == TrackingPlan.Kind.UNKNOWN_EVENT ? "event" : "");
                }
                // kept to the millisecond, as the store keeps it, so that a restart shows the same time
                Instant first = call.receivedAt().truncatedTo(ChronoUnit.MILLIS);
                if (counters.isEmpty()) since = first;
                c = counters.computeIfAbsent(key, k -> new Counter(first));
            }
            c.count++;
            c.newCount++;
            if (blocked) {
                c.blocked++;
                c.newBlocked++;
            }
            if (c.samples.size() == SAMPLES) c.samples.removeFirst();
            c.samples.addLast(new Sample(call.messageId(), call.receivedAt(), v.problem(), blocked));
            dirty.put(key, c);
        }
    }

    /**
     * Writes what was counted since the last flush to the store, in one transaction; nothing when
     * nothing was counted or nothing is kept. If the write fails, the increments wait for the next
     * flush (nothing counted is lost while the server runs) and the failure is thrown.
     */
    public void flush() {
        if (records == null) return;
        synchronized (flushing) {
            List<PlanViolationRecords.Counter> increments = new ArrayList<>();
            Map<Key, long[]> taken = new LinkedHashMap<>();
            synchronized (this) {
                if (dirty.isEmpty()) return;
                dirty.forEach((k, c) -> {
                    increments.add(new PlanViolationRecords.Counter(
                            k.source(),
                            k.event(),
                            k.kind(),
                            k.field(),
                            c.newCount,
                            c.newBlocked,
                            c.first,
                            c.samples.stream()
                                    .map(s -> new PlanViolationRecords.Sample(
                                            s.messageId(), s.at(), s.problem(), s.blocked()))
                                    .toList()));
                    taken.put(k, new long[] {c.newCount, c.newBlocked});
                    c.newCount = 0;
                    c.newBlocked = 0;
                });
                dirty.clear();
            }
            try {
                records.add(increments);
            } catch (RuntimeException e) {
                synchronized (this) {
                    taken.forEach((k, n) -> {
                        Counter c = counters.get(k);
                        c.newCount += n[0];
                        c.newBlocked += n[1];
                        dirty.put(k, c);
                    });
                }
                throw e;
            }
        }
    }

    /** Every counter, the largest first (then by source, event and field). */
    public synchronized List<Count> counts() {
        List<Count> out = new ArrayList<>(counters.size());
        counters.forEach((k, c) -> out.add(
                new Count(k.source(), k.event(), k.kind(), k.field(), c.count, c.blocked, List.copyOf(c.samples))));
        out.sort(Comparator.comparingLong(Count::count)
                .reversed()
                .thenComparing(Count::source)
                .thenComparing(Count::event)
                .thenComparing(Count::field));
        return out;
    }

    /** All violations counted. */
    public synchronized long total() {
        return counters.values().stream().mapToLong(c -> c.count).sum();
    }
}
