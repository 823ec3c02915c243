package fusion.store;

import fusion.core.segment.SegmentCall;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a store from another's log: every logged call, in log order, through the same
 * {@link Pipeline} into an empty store; then compares the two stores table by table. Equal
 * digests mean the live state is exactly what the log implies.
 */
public final class Replay {
    private static final int BATCH = 1_000;

    private Replay() {}

    /** What a replay found. */
    public record Report(long events, StateDigest live, StateDigest replayed, List<String> differences, long millis) {
        public boolean identical() {
            return differences.isEmpty();
        }
    }

    /** Replays {@code source}'s whole log into {@code empty} and compares the two stores' digests. */
    public static Report run(Store source, Store empty, PrintStream progress) {
        long start = System.nanoTime();
        long events = copy(source, 0, source.stats().events(), empty, progress);
        StateDigest live = source.digest();
        StateDigest replayed = empty.digest();
        return new Report(events, live, replayed, live.differences(replayed), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Feeds the calls of {@code source} after log position {@code after} into {@code target}, in
     * log order and in batches: a target that holds the state up to {@code after} then holds the
     * state of the whole log. {@code expected} (the number of calls to copy, for progress only)
     * may be an estimate. Returns how many calls were copied.
     */
    public static long copy(EventLog source, long after, long expected, EventLog target, PrintStream progress) {
        List<SegmentCall> batch = new ArrayList<>(BATCH);
        long[] done = {0, 0};
        source.forEachEvent(after, (seq, call) -> {
            batch.add(call);
            if (batch.size() == BATCH) {
                flush(target, batch);
                done[0] += BATCH;
                if (done[0] * 10 / Math.max(1, expected) > done[1]) {
                    done[1] = done[0] * 10 / Math.max(1, expected);
                    progress.printf("replay: %,d / %,d events%n", done[0], expected);
                }
            }
        });
        done[0] += batch.size();
        flush(target, batch);
        return done[0];
    }

    private static void flush(EventLog target, List<SegmentCall> batch) {
        if (batch.isEmpty()) return;
        IngestResult r = target.ingest(batch);
        if (r.duplicates() > 0) {
            throw new IllegalStateException("the log holds " + r.duplicates() + " duplicate messageIds: it is corrupt");
        }
        batch.clear();
    }
}
