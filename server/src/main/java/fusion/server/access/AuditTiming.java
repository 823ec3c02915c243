package fusion.server.access;

import java.util.Arrays;

/**
 * Where a read's wait for its audit entry goes, for measuring (issue 18's read tail), kept only
 * when the server runs with {@code -Dfusion.audit.timing=true}: per entry, the time it waited in
 * the queue for the audit writer (the batch before it being written), and the time its batch
 * took to be written and made durable (the store's insert and commit, the commit being mostly
 * the fsync); per batch, its size. {@link #summary} describes and forgets what was collected.
 */
final class AuditTiming {
    static final boolean ON = Boolean.getBoolean("fusion.audit.timing");

    private long[] queued = new long[1024];
    private long[] written = new long[1024];
    private int entries;
    private int batches;
    private long[] handled = new long[1024];
    private int requests;

    /** A request that touched a person took {@code nanos} from its start to asking for its audit entry (the queries, JSON). */
    synchronized void handled(long nanos) {
        if (requests == handled.length) handled = Arrays.copyOf(handled, requests * 2);
        handled[requests++] = nanos;
    }

    /** A batch of {@code size} entries was written in {@code writeNanos}, each having waited {@code queuedNanos[i]}. */
    synchronized void batch(long[] queuedNanos, int size, long writeNanos) {
        if (entries + size > queued.length) {
            int n = Math.max(queued.length * 2, entries + size);
            queued = Arrays.copyOf(queued, n);
            written = Arrays.copyOf(written, n);
        }
        for (int i = 0; i < size; i++) {
            queued[entries] = queuedNanos[i];
            written[entries] = writeNanos;
            entries++;
        }
        batches++;
    }

    /** The requests' time before the audit call, the entries, batches, and the p50/p99/max of queue wait, write, and their sum, in ms; null when empty. */
    synchronized String summary() {
        if (entries == 0 && requests == 0) return null;
        String before = requests == 0
                ? ""
                : String.format(
                        "audit timing: %d requests, before the audit call %s | ",
                        requests, describe(Arrays.copyOf(handled, requests)));
        requests = 0;
        if (entries == 0) return before;
        long[] total = new long[entries];
        for (int i = 0; i < entries; i++) total[i] = queued[i] + written[i];
        String s = (before.isEmpty() ? "audit timing: " : before)
                + String.format(
                        "%d entries in %d batches | queue %s | write+commit %s | to durable %s",
                        entries,
                        batches,
                        describe(Arrays.copyOf(queued, entries)),
                        describe(Arrays.copyOf(written, entries)),
                        describe(total));
        entries = 0;
        batches = 0;
        return s;
    }

    /** p50, p99 and max of {@code nanos} in ms, by nearest rank. */
    static String describe(long[] nanos) {
        Arrays.sort(nanos);
        return String.format(
                "p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                rank(nanos, 50) / 1e6, rank(nanos, 99) / 1e6, nanos[nanos.length - 1] / 1e6);
    }

    /** The nearest-rank percentile of sorted {@code v}: the smallest value with at least p% of v at or below it. */
    static long rank(long[] v, int p) {
        int r = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, r - 1)];
    }
}
