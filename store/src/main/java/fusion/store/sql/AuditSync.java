package fusion.store.sql;

import java.time.Duration;
import java.util.Locale;

/**
 * When an audit entry counts as written, so that the read it records may be answered
 * (docs/SECURITY.md, Audit). {@link Mode#EACH} waits for the entry to be flushed to the device;
 * {@link Mode#INTERVAL} waits for it to be committed, which a crash of Fusion cannot undo, and
 * flushes what was committed at most {@code interval} later: what it gives up is the last interval
 * of entries on a power loss or an operating-system crash (on PostgreSQL, a crash of PostgreSQL).
 *
 * @param mode     {@link Mode#EACH} (the default) or {@link Mode#INTERVAL}
 * @param interval how long a committed entry may wait for its flush in {@link Mode#INTERVAL}, 1 ms
 *     to 10 s (kept, and ignored, in {@link Mode#EACH})
 */
public record AuditSync(Mode mode, Duration interval) {
    public static final Duration MIN_INTERVAL = Duration.ofMillis(1);
    public static final Duration MAX_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    /** How an audit commit reaches the device. */
    public enum Mode {
        /** Every commit is flushed before it returns (SQLite {@code synchronous=FULL}, PostgreSQL's default). */
        EACH,
        /** A commit returns once written; a background flush follows within the interval. */
        INTERVAL;

        /** The word a setting takes: {@code each}, {@code interval}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode {@code word} names, refused with the words it may be. */
        public static Mode of(String word) {
            for (Mode m : values()) if (m.label().equals(word.trim().toLowerCase(Locale.ROOT))) return m;
            throw new IllegalArgumentException("expected each or interval but was '" + word + "'");
        }
    }

    public AuditSync {
        if (mode == null) throw new IllegalArgumentException("audit sync mode: expected each or interval but was null");
        if (interval == null || interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("audit sync interval: expected 1 ms to 10000 ms but was "
                    + (interval == null ? "null" : interval.toMillis() + " ms"));
        }
    }

    /** Each entry flushed before its read is answered: the default. */
    public static AuditSync each() {
        return new AuditSync(Mode.EACH, DEFAULT_INTERVAL);
    }

    /** Entries committed before their reads are answered, and flushed within {@code interval}. */
    public static AuditSync interval(Duration interval) {
        return new AuditSync(Mode.INTERVAL, interval);
    }

    /** What the startup line and {@code /health} show, e.g. {@code interval 100 ms}. */
    public String describe() {
        return mode == Mode.EACH ? "each" : "interval " + interval.toMillis() + " ms";
    }
}
