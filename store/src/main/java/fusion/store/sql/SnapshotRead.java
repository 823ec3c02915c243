package fusion.store.sql;

import java.sql.SQLException;

/**
 * One read of the tables laid over with what waits in the writer's memory as of the read's SQL
 * snapshot (docs/STORAGE.md "Snapshot cycle"): the protocol every SQLite read that sees waiting
 * states follows, written once.
 *
 * <ol>
 *   <li>the read enters the overlay (no version it may need is dropped until it exits but by a
 *       clear or a retraction, which move the overlay's generation) and notes the generation;
 *   <li>it captures the writer's in-memory index entries, when it reads them, before its SQL
 *       snapshot begins (a move committed after it would take entries out of memory that the
 *       snapshot's tables do not hold yet);
 *   <li>its SQL reads the snapshot's newest log row (and ledger row) in the statement it keeps
 *       open while it reads, so that all its statements see one snapshot;
 *   <li>it asks the overlay what waits as of that row, then {@link #checked} that neither the
 *       generation nor the capture moved; if either did, the read starts again from 2.
 * </ol>
 *
 * A body signals nothing itself: {@link #checked} ends a stale attempt, and {@link #run} starts
 * another.
 */
final class SnapshotRead {
    /** What a read does within one attempt; it may be run more than once. */
    interface Body<T> {
        T read(SnapshotRead s) throws SQLException;
    }

    /** Ends an attempt whose waiting states or index entries were dropped since it began. */
    private static final class Stale extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stale() {
            super("a waiting state this read needs was dropped; read again", null, false, false);
        }
    }

    private static final Stale STALE = new Stale();

    private final SnapshotOverlay<?> overlay;
    private final long generation;
    private final RecentEntries.Capture memory;

    private SnapshotRead(SnapshotOverlay<?> overlay, RecentEntries.Capture memory) {
        this.overlay = overlay;
        this.generation = overlay == null ? 0 : overlay.generation();
        this.memory = memory;
    }

    /**
     * Runs {@code body} until one attempt reads a consistent snapshot, within a read of {@code
     * overlay} (null: no states wait, as on PostgreSQL or a store opened read-only); {@code
     * memory} (may be null) is captured for each attempt before its SQL.
     */
    static <T> T run(SnapshotOverlay<?> overlay, RecentEntries memory, Body<T> body) throws SQLException {
        Object token = overlay == null ? null : overlay.enter();
        try {
            while (true) {
                try {
                    return body.read(new SnapshotRead(overlay, memory == null ? null : memory.snapshot()));
                } catch (Stale again) {
                    // a state or an index entry this snapshot needs was dropped meanwhile: read again
                }
            }
        } finally {
            if (token != null) overlay.exit(token);
        }
    }

    /**
     * {@code waiting}, asked of the overlay as of this attempt's snapshot, when nothing it needs
     * was dropped since the attempt began; otherwise the attempt ends here and another begins.
     */
    <W> W checked(W waiting) {
        if (overlay != null && overlay.generation() != generation) throw STALE;
        if (memory != null && !memory.current()) throw STALE;
        return waiting;
    }

    /** The index entries captured for this attempt (when {@link #run} was given the memory). */
    RecentEntries.Capture memory() {
        if (memory == null) throw new IllegalStateException("this read captured no index entries");
        return memory;
    }
}
