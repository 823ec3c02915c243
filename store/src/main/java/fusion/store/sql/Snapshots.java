package fusion.store.sql;

import fusion.core.engine.Relationship;
import fusion.store.StoreFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer's side of the relationship and activity snapshots (SQLite, docs/STORAGE.md
 * "Relationship snapshots" and "Profile activity"): the open batch's and transaction's states,
 * their publication to readers before each commit ({@link SnapshotOverlay}), the snapshot that
 * writes them into their tables between groups, and the recovery at a start. It follows the
 * writer's transaction: batches released or rolled back, commits and rollbacks.
 */
final class Snapshots {
    /** The writer's statements: its batched rows are sent before any statement here. */
    interface Statements {
        void flush() throws SQLException;

        PreparedStatement prepared(String sql) throws SQLException;
    }

    private final Connection c;
    private final Statements sql;
    private final WriterTiming timing;

    /** Relationship states committed since the table was last written, which readers also ask. */
    private final SnapshotOverlay<Relationship> published;

    /** The profiles' activity, written in the same snapshots ({@link ProfileActivity}). */
    private final ProfileActivity activity;

    private final SnapshotOverlay<ProfileActivity.Activity> activityStates;

    /** A pair's newest state in the open batch or transaction (null: removed), and whether it can be recovered from the ledger. */
    private record Put(Relationship state, boolean recoverable) {}

    /** The open batch's states, by party and brand, folded into {@link #txPuts} when it is released. */
    private final Map<String, Map<String, Put>> batchPuts = new HashMap<>();

    private final Map<String, Map<String, Put>> txPuts = new HashMap<>();
    /** The tag of the last versions published, and of the last commit that held them. */
    private long publishedTag;

    private long committedTag;
    /** The open transaction writes the table itself and moves its mark at commit (an erasure's). */
    private boolean synchronous;
    /** When to write the published states into the table: this many pairs with a waiting state, or this long since the last time. */
    private int snapshotPairs = 50_000;

    private long snapshotNanos = 5_000_000_000L;
    private long lastSnapshot = System.nanoTime();

    Snapshots(
            Connection c,
            Statements sql,
            WriterTiming timing,
            SnapshotOverlay<Relationship> published,
            SnapshotOverlay<ProfileActivity.Activity> activityStates) {
        this.c = c;
        this.sql = sql;
        this.timing = timing;
        this.published = published;
        this.activityStates = activityStates;
        this.activity = new ProfileActivity(activityStates, c, timing);
    }

    /** Whether puts wait for a snapshot rather than being upserted at this commit (not during an erasure). */
    boolean deferring() {
        return !synchronous;
    }

    // ---- the open batch

    /** A pair's new state; recoverable once a ledger entry of this batch carries exactly this state ({@link #ledgered}). */
    void put(Relationship r) {
        batchPuts.computeIfAbsent(r.party(), k -> new HashMap<>()).put(r.brand(), new Put(r, false));
    }

    /** A pair removed (a merge's absorbed pair, deleted from the table at once). */
    void removed(String party, String brand) {
        batchPuts.computeIfAbsent(party, k -> new HashMap<>()).put(brand, new Put(null, true));
    }

    /** A ledger entry carries {@code after}: if it is the pair's newest state in the batch, a start can recover it. */
    void ledgered(String party, String brand, Relationship after) {
        Map<String, Put> puts = batchPuts.get(party);
        Put put = puts == null ? null : puts.get(brand);
        if (put != null && put.state() == after) puts.put(brand, new Put(after, true));
    }

    ProfileActivity activity() {
        return activity;
    }

    /**
     * Into a party's states just read from the table: the committed states the table does not
     * hold yet, then the open transaction's released batches'.
     */
    void newestInto(String party, Map<String, Relationship> loaded) {
        published.newest(party).forEach((brand, r) -> {
            if (r == null) loaded.remove(brand);
            else loaded.put(brand, r);
        });
        txPuts.getOrDefault(party, Map.of()).forEach((brand, put) -> {
            if (put.state() == null) loaded.remove(brand);
            else loaded.put(brand, put.state());
        });
    }

    /** The released batch's states join the transaction's (the newest per pair wins). */
    void fold() {
        activity.fold();
        for (var party : batchPuts.entrySet()) {
            txPuts.computeIfAbsent(party.getKey(), k -> new HashMap<>()).putAll(party.getValue());
        }
        batchPuts.clear();
    }

    /** The batch rolled back to its savepoint. */
    void dropBatch() {
        batchPuts.clear();
        activity.dropBatch();
    }

    // ---- the transaction

    /**
     * Before a commit: publishes the transaction's states, tagged with the commit's newest log
     * row {@code tag} (every commit that changes a state appends the event that changed it), and
     * writes the tables within the transaction when one of them cannot be recovered from the
     * ledger (an association a co-party's event made, a pair moved by a merge without an entry,
     * a merge's activity) or when an erasure asked for it ({@link #synchronousUntilCommit}).
     * Returns whether it wrote the tables, for {@link #committed}.
     */
    boolean publishAndWrite(long tag, long ledgerThrough) throws SQLException {
        fold();
        boolean write = synchronous || activity.mustWrite();
        if (activity.publish(tag)) publishedTag = tag;
        if (!txPuts.isEmpty()) {
            Map<String, Map<String, Relationship>> changes = new HashMap<>();
            for (var party : txPuts.entrySet()) {
                Map<String, Relationship> states = new HashMap<>();
                for (var pair : party.getValue().entrySet()) {
                    states.put(pair.getKey(), pair.getValue().state());
                    if (!pair.getValue().recoverable()) write = true;
                }
                changes.put(party.getKey(), states);
            }
            publishedTag = tag;
            published.publish(publishedTag, changes);
            txPuts.clear();
        }
        if (write) write(tag, ledgerThrough);
        return write;
    }

    /** The commit is done: reads may now pass over what it superseded, and what it wrote leaves memory. */
    void committed(boolean written) {
        committedTag = publishedTag;
        published.committed(committedTag);
        activityStates.committed(committedTag);
        activity.dropTx();
        if (written) {
            published.clear();
            activityStates.clear();
            lastSnapshot = System.nanoTime();
        }
        synchronous = false;
    }

    /** The transaction rolled back: what it published for a commit that did not happen is retracted. */
    void rollback() {
        synchronous = false;
        batchPuts.clear();
        txPuts.clear();
        if (publishedTag > committedTag) {
            published.retractAbove(committedTag);
            activityStates.retractAbove(committedTag);
            publishedTag = committedTag;
        }
        activity.dropTx();
    }

    /** The tables were emptied for a rebuild; an erasure wrote every published state before it began. */
    void restartEmpty() {
        batchPuts.clear();
        txPuts.clear();
        published.clear();
        activityStates.clear();
        activity.dropTx();
        publishedTag = 0;
        committedTag = 0;
    }

    /**
     * The open transaction writes states straight into the tables and moves their marks when it
     * commits (an erasure, which rebuilds or renumbers the ledger); the published states must
     * already be in the tables ({@link #snapshot}).
     */
    void synchronousUntilCommit() {
        if (!published.isEmpty() || !txPuts.isEmpty() || !batchPuts.isEmpty() || !activity.isEmpty()) {
            throw new IllegalStateException(
                    "relationship states or profiles' activity are still waiting for their tables");
        }
        synchronous = true;
    }

    // ---- the tables

    /**
     * Writes every published state into the table, in key order, moves the table's mark to the
     * ledger's row {@code ledgerThrough}, and writes the activity through the log's row {@code
     * logThrough}, in the open transaction.
     */
    private void write(long logThrough, long ledgerThrough) throws SQLException {
        sql.flush();
        long since = timing == null ? 0 : WriterTiming.now();
        List<Relationship> states = published.newestStates();
        states.sort(java.util.Comparator.comparing(Relationship::party).thenComparing(Relationship::brand));
        if (!states.isEmpty()) {
            PreparedStatement ps = sql.prepared(Writer.UPSERT_RELATIONSHIP);
            for (Relationship r : states) {
                Rows.bind(ps, r);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        // an upsert: a rebuild empties index_marks
        PreparedStatement mark = sql.prepared("INSERT INTO index_marks (name, through) VALUES ('relationships', ?) "
                + "ON CONFLICT (name) DO UPDATE SET through = excluded.through");
        mark.setLong(1, ledgerThrough);
        mark.executeUpdate();
        if (timing != null) timing.add("relationship snapshot", since, states.size());
        activity.write(logThrough);
    }

    /**
     * Between groups: writes the published states into their tables in a transaction of its own
     * when enough have gathered or enough time has passed ({@link #snapshotEvery}), or always with
     * {@code now}. Returns whether it wrote.
     */
    boolean snapshot(boolean now, long logThrough, long ledgerThrough) {
        if (published.isEmpty() && activityStates.isEmpty()) return false;
        if (!now
                && published.pairs() < snapshotPairs
                && activityStates.pairs() < snapshotPairs
                && System.nanoTime() - lastSnapshot < snapshotNanos) return false;
        try {
            write(logThrough, ledgerThrough);
            c.commit();
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException again) {
                e.addSuppressed(again);
            }
            throw new StoreFailure("writing the relationship states into their table", e);
        }
        published.clear();
        activityStates.clear();
        lastSnapshot = System.nanoTime();
        return true;
    }

    /** When {@link #snapshot} writes the tables: at {@code versions} pairs with a waiting state, or {@code millis} after the last time. */
    void snapshotEvery(int versions, long millis) {
        if (versions < 1)
            throw new IllegalArgumentException("relationshipSnapshot: expected at least 1 but was " + versions);
        snapshotPairs = versions;
        snapshotNanos = millis * 1_000_000L;
    }

    /** Whether nothing waits for a snapshot. */
    boolean isEmpty() {
        return published.isEmpty() && txPuts.isEmpty() && batchPuts.isEmpty() && activity.isEmpty();
    }

    // ---- a start

    /**
     * At a start (not a reconnect, whose published states are newer than the tables): the tables
     * catch up with the log and the ledger after their marks. The activity first: writing the
     * relationships moves the activity's mark too.
     */
    void recover(long logThrough, long ledgerThrough) throws SQLException {
        if (activityStates.isEmpty()) recoverActivity();
        if (published.isEmpty()) recoverRelationships(logThrough, ledgerThrough);
    }

    /** The log's rows after the activity's mark go into the profiles' table ({@link ProfileActivity#recover}). */
    private void recoverActivity() throws SQLException {
        long since = System.nanoTime();
        long rows = ProfileActivity.recover(c);
        c.commit();
        if (rows > 0) {
            System.getLogger(Writer.class.getName())
                    .log(
                            System.Logger.Level.INFO,
                            String.format(
                                    "profiles' activity: %,d log rows after the last snapshot added in %,d ms",
                                    rows, (System.nanoTime() - since) / 1_000_000));
        }
    }

    /**
     * The table holds the states as of its mark; the ledger rows after it carry every state
     * committed since (any other was written with its commit), so their newest state per pair
     * goes into the table, in one transaction that moves the mark.
     */
    private void recoverRelationships(long logThrough, long ledgerThrough) throws SQLException {
        long mark;
        try (var s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT through FROM index_marks WHERE name = 'relationships'")) {
            if (!rs.next()) throw new SQLException("index_marks has no row for relationships (schema v12)");
            mark = rs.getLong(1);
        }
        Map<String, Relationship> newest = new LinkedHashMap<>();
        long last = mark;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT seq, party, brand, time, state FROM ledger WHERE seq > ? ORDER BY seq")) {
            ps.setLong(1, mark);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    String party = rs.getString(2), brand = rs.getString(3);
                    newest.put(
                            party + '\u0000' + brand, LedgerCodec.state(party, brand, rs.getLong(4), rs.getBytes(5)));
                }
            }
        }
        if (last == mark) {
            c.commit();
            return;
        }
        published.publish(0, group(newest.values()));
        try {
            write(logThrough, ledgerThrough);
        } finally {
            published.clear();
        }
        c.commit();
    }

    private static Map<String, Map<String, Relationship>> group(java.util.Collection<Relationship> states) {
        Map<String, Map<String, Relationship>> out = new HashMap<>();
        for (Relationship r : states)
            out.computeIfAbsent(r.party(), k -> new HashMap<>()).put(r.brand(), r);
        return out;
    }
}
