package fusion.store.sql;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the writer thread's CPU goes, per statement, for measuring (issue 18), kept only when the
 * server runs with {@code -Dfusion.writer.timing=true}: the thread CPU time each batched
 * statement's send, each commit and each step of the sorted indexes' upkeep took, and the rows
 * each sent. Every {@link #EVERY_NANOS} the totals since the start are logged, largest first.
 * Used by the writer's thread alone.
 */
final class WriterTiming {
    static final boolean ON = Boolean.getBoolean("fusion.writer.timing");
    private static final long EVERY_NANOS = 10_000_000_000L;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** What: its CPU nanoseconds, times, rows. */
    private final Map<String, long[]> totals = new LinkedHashMap<>();

    private long logged = System.nanoTime();

    /** The writer thread's CPU time now, to pass to {@link #add}. */
    static long now() {
        return CPU.getCurrentThreadCpuTime();
    }

    /** {@code what} (a statement's first words, or a name) ran from {@code since} ({@link #now}) and touched {@code rows}. */
    void add(String what, long since, long rows) {
        long[] t = totals.computeIfAbsent(what.length() > 60 ? what.substring(0, 60) : what, k -> new long[3]);
        t[0] += now() - since;
        t[1]++;
        t[2] += rows;
        if (System.nanoTime() - logged > EVERY_NANOS) {
            logged = System.nanoTime();
            System.getLogger(WriterTiming.class.getName()).log(System.Logger.Level.INFO, summary());
        }
    }

    String summary() {
        StringBuilder b = new StringBuilder("writer CPU by statement since the start (ms, times, rows):");
        totals.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
                .forEach(e -> b.append(String.format(
                        Locale.ROOT,
                        "%n  %9.1f ms %8d %10d  %s",
                        e.getValue()[0] / 1e6,
                        e.getValue()[1],
                        e.getValue()[2],
                        e.getKey())));
        return b.toString();
    }
}
