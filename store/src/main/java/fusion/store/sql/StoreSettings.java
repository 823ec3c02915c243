package fusion.store.sql;

/**
 * How the SQL store sizes itself: batches per group commit, read connections, and the writer's
 * caches. The server resolves them from its configuration ({@code store.*} settings,
 * docs/CONFIGURATION.md); {@link #defaults()} are what the store used before they were settings.
 *
 * @param writerGroup at most this many requests' batches share one transaction and its fsync (1 to 1024)
 * @param readPool read connections (SQLite) or the size of the read pool (PostgreSQL), 1 to 64
 * @param cachedParties parties whose relationship states the writer keeps in memory, 1,000 to 10,000,000
 * @param cachedIdentities identities, and profiles, whose links the writer keeps in memory, 1,000 to 10,000,000
 * @param indexRun entries of the log's sorted indexes per run of level 0 ({@link SortedRuns}), 2 to
 *     10,000,000: the recent table moves into a run when it holds this many
 * @param auditSync when an audit entry counts as written: flushed each, or committed and flushed
 *     within an interval ({@link AuditSync})
 * @param relationshipSnapshot SQLite: the writer writes the relationship states committed since
 *     it last did into their table once this many pairs have one (or {@link
 *     SqlStore#RELATIONSHIP_SNAPSHOT_MILLIS} have passed), 1 to 10,000,000 ({@link SnapshotOverlay})
 * @param dedupWindow SQLite: a call is a duplicate when its messageId is that of one of the log's
 *     newest this many events, 1 to {@link #MAX_DEDUP_WINDOW} ({@link MessageIdWindow});
 *     PostgreSQL's unique index covers the whole log
 */
public record StoreSettings(
        int writerGroup,
        int readPool,
        int cachedParties,
        int cachedIdentities,
        int indexRun,
        AuditSync auditSync,
        int relationshipSnapshot,
        int dedupWindow) {

    /** Pairs with a relationship state waiting in memory before the writer writes them into their table (SQLite). */
    public static final int RELATIONSHIP_SNAPSHOT = 50_000;

    /** The log's newest events whose messageIds a call is checked against (SQLite; about 25 bytes of memory each). */
    public static final int DEDUP_WINDOW = 2_000_000;

    /** The largest window: its entries keep 24 bits of an event's number ({@link MessageIdWindow}). */
    public static final int MAX_DEDUP_WINDOW = 8_000_000;

    public StoreSettings {
        check("writerGroup", writerGroup, 1, 1024);
        check("readPool", readPool, 1, 64);
        check("cachedParties", cachedParties, 1_000, 10_000_000);
        check("cachedIdentities", cachedIdentities, 1_000, 10_000_000);
        check("indexRun", indexRun, 2, 10_000_000);
        if (auditSync == null) throw new IllegalArgumentException("auditSync: expected each or interval but was null");
        check("relationshipSnapshot", relationshipSnapshot, 1, 10_000_000);
        check("dedupWindow", dedupWindow, 1, MAX_DEDUP_WINDOW);
    }

    /**
     * The settings with the sorted indexes' default run size, each audit entry flushed before its
     * read is answered, relationship states written into their table every {@link
     * #RELATIONSHIP_SNAPSHOT}, and the default window of messageIds ({@link #DEDUP_WINDOW}).
     */
    public StoreSettings(int writerGroup, int readPool, int cachedParties, int cachedIdentities) {
        this(
                writerGroup,
                readPool,
                cachedParties,
                cachedIdentities,
                SortedRuns.RUN_SIZE,
                AuditSync.each(),
                RELATIONSHIP_SNAPSHOT,
                DEDUP_WINDOW);
    }

    public static StoreSettings defaults() {
        return new StoreSettings(32, 4, 100_000, 200_000);
    }

    /** These settings with runs of {@code entries} (tests make runs and merges from a few hundred events). */
    public StoreSettings withIndexRun(int entries) {
        return new StoreSettings(
                writerGroup,
                readPool,
                cachedParties,
                cachedIdentities,
                entries,
                auditSync,
                relationshipSnapshot,
                dedupWindow);
    }

    /** These settings with audit entries made durable as {@code sync} says. */
    public StoreSettings withAuditSync(AuditSync sync) {
        return new StoreSettings(
                writerGroup,
                readPool,
                cachedParties,
                cachedIdentities,
                indexRun,
                sync,
                relationshipSnapshot,
                dedupWindow);
    }

    /** These settings with relationship states written into their table every {@code states} (tests write it often). */
    public StoreSettings withRelationshipSnapshot(int states) {
        return new StoreSettings(
                writerGroup, readPool, cachedParties, cachedIdentities, indexRun, auditSync, states, dedupWindow);
    }

    /** These settings with a call checked against the messageIds of the log's newest {@code events} (tests make it small). */
    public StoreSettings withDedupWindow(int events) {
        return new StoreSettings(
                writerGroup,
                readPool,
                cachedParties,
                cachedIdentities,
                indexRun,
                auditSync,
                relationshipSnapshot,
                events);
    }

    private static void check(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": expected " + min + " to " + max + " but was " + value);
        }
    }
}
