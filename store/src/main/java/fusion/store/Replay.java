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

    public static Report run(Store source, Store empty, PrintStream progress) {
        long start = System.nanoTime();
        long total = source.stats().events();
        List<SegmentCall> batch = new ArrayList<>(BATCH);
        long[] done = {0, 0};
        source.forEachEvent((seq, call) -> {
            batch.add(call);
            if (batch.size() == BATCH) {
                flush(empty, batch);
                done[0] += BATCH;
                if (done[0] * 10 / Math.max(1, total) > done[1]) {
                    done[1] = done[0] * 10 / Math.max(1, total);
                    progress.printf("replay: %,d / %,d events%n", done[0], total);
                }
            }
        });
        done[0] += batch.size();
        flush(empty, batch);
        StateDigest live = source.digest();
        StateDigest replayed = empty.digest();
        return new Report(done[0], live, replayed, live.differences(replayed), (System.nanoTime() - start) / 1_000_000);
    }

    private static void flush(Store target, List<SegmentCall> batch) {
        if (batch.isEmpty()) return;
        IngestResult r = target.ingest(batch);
        if (r.duplicates() > 0) {
            throw new IllegalStateException("the log holds " + r.duplicates() + " duplicate messageIds: it is corrupt");
        }
        batch.clear();
    }
}
