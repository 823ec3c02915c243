package fusion.store.sql;

import java.io.PrintStream;
import java.util.Locale;

/**
 * How far an erasure's rebuild has gone: it prints a line when the rebuild starts, then at every
 * tenth of the events or every {@link #EVERY_NANOS 5 s}, whichever comes first, with counts, rate
 * and time left; and it tells ingest callers turned away meanwhile when to come back.
 */
final class ErasureProgress {
    static final long EVERY_NANOS = 5_000_000_000L;
    /** Retry-After while the rebuild has no rate yet, and its ceiling. */
    static final int FIRST_RETRY_SECONDS = 5, MAX_RETRY_SECONDS = 60;

    private final PrintStream out;
    private final long started = System.nanoTime();
    private volatile long kept = -1;
    private volatile long done;
    private long printedAt = started;
    private long printedTenth;

    ErasureProgress(PrintStream out) {
        this.out = out;
    }

    void removed(long events, long identities, long kept) {
        this.kept = kept;
        out.printf(
                Locale.ROOT,
                "erase: removed %,d events and %,d identities; rebuilding from the %,d events left%n",
                events,
                identities,
                kept);
    }

    void rebuilt(long done) {
        this.done = done;
        long now = System.nanoTime();
        long tenth = kept > 0 ? done * 10 / kept : 10;
        if (tenth <= printedTenth && now - printedAt < EVERY_NANOS) return;
        printedTenth = tenth;
        printedAt = now;
        double seconds = (now - started) / 1e9;
        double rate = done / Math.max(seconds, 1e-9);
        out.printf(
                Locale.ROOT,
                "erase: rebuilt %,d / %,d events (%d%%) in %.1f s, %,.0f events/s, about %.0f s left%n",
                done,
                kept,
                kept > 0 ? done * 100 / kept : 100,
                seconds,
                rate,
                (kept - done) / Math.max(rate, 1e-9));
    }

    /** A line about the erasure that is not a count, e.g. what became of the write-ahead log. */
    void note(String line) {
        out.println(line);
    }

    /** Seconds until the rebuild is likely done, from its rate so far; 1 to {@value #MAX_RETRY_SECONDS}. */
    int retryAfterSeconds() {
        long k = kept, d = done;
        if (k < 0 || d == 0) return FIRST_RETRY_SECONDS;
        double seconds = (System.nanoTime() - started) / 1e9;
        double left = (k - d) * seconds / d;
        return (int) Math.max(1, Math.min(MAX_RETRY_SECONDS, Math.ceil(left)));
    }

    String describe() {
        long k = kept;
        return k < 0
                ? "the store is erasing a person"
                : "the store is erasing a person (rebuilt " + done + " of " + k + " events)";
    }
}
