package fusion.store.sql;

import fusion.store.StoreFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The profiles' activity (first seen, last seen, events) on SQLite, written behind the log in the
 * writer's snapshots instead of at every commit (schema v14, docs/STORAGE.md "Profile activity").
 * The per-commit {@code UPDATE profiles} was 1.8 µs of the writer's CPU per event under the load
 * driver, and its pages went into every commit.
 *
 * <p>The writer keeps each touched profile's whole activity, not a change to it: the open batch's,
 * then the open transaction's, then the committed ones waiting in {@link SnapshotOverlay} (which
 * readers also ask), then the table's row, read once. So writing a state twice gives the same row,
 * and a reader takes the newest waiting state or the table's, never a sum of the two.
 *
 * <p>The table holds every profile's activity as of the log's row {@code index_marks.through}
 * ({@code name = 'activity'}): each snapshot writes every waiting state and moves the mark in one
 * transaction. A profile's activity is a function of the log (the earliest and latest
 * {@code event_time} of its rows, and their count, its row created with the first of them), so a
 * start adds the log's rows after the mark, grouped by profile, to the table's ({@link #recover}).
 * A merge moves the absorbed profile's activity into the survivor's and deletes its row, which the
 * log after the mark does not say, so a transaction that merges writes the snapshot with its commit
 * ({@link #mustWrite}), as an erasure does.
 */
final class ProfileActivity {
    /** A profile's activity, as {@code profiles} holds it. */
    record Activity(String profile, long first, long last, long events) {
        Activity touched(long at, int n) {
            return new Activity(profile, Math.min(first, at), Math.max(last, at), events + n);
        }

        /** This profile's activity with {@code absorbed}'s moved into it (an identity merge). */
        Activity absorbing(Activity absorbed) {
            return new Activity(
                    profile, Math.min(first, absorbed.first), Math.max(last, absorbed.last), events + absorbed.events);
        }
    }

    /** A profile has one state: the overlay's second key. */
    static final String KEY = "";

    static final String MARK = "activity";

    private final SnapshotOverlay<Activity> published;
    private final Connection c;
    private final WriterTiming timing;
    private PreparedStatement read;
    /** The open batch's states, folded into {@link #tx} when it is released, dropped when it fails. */
    private final Map<String, Activity> batch = new HashMap<>();

    private final Map<String, Activity> tx = new HashMap<>();
    /** The open transaction merged profiles: its commit writes the table and moves the mark. */
    private boolean mustWrite;

    private boolean batchMustWrite;

    ProfileActivity(SnapshotOverlay<Activity> published, Connection c, WriterTiming timing) {
        this.published = published;
        this.c = c;
        this.timing = timing;
    }

    /** A profile's row was just inserted with its first event's time and no events. */
    void created(String profile, long at) {
        batch.put(profile, new Activity(profile, at, at, 0));
    }

    void touched(String profile, long at, int events) {
        Activity a = current(profile);
        // no row, no activity: as the per-commit UPDATE did, which found no row to change
        if (a != null) batch.put(profile, a.touched(at, events));
    }

    /** {@code absorbed}'s activity moves into {@code survivor}'s; its row is about to be deleted. */
    void absorbed(String survivor, String absorbed) {
        Activity s = current(survivor);
        Activity a = current(absorbed);
        if (s != null && a != null) batch.put(survivor, s.absorbing(a));
        batch.remove(absorbed);
        batchMustWrite = true;
    }

    /** The profile's activity as the open batch sees it; null when it has no row. */
    private Activity current(String profile) {
        Activity a = batch.get(profile);
        if (a == null) a = tx.get(profile);
        if (a == null) a = published.newest(profile, KEY);
        return a != null ? a : stored(profile);
    }

    private Activity stored(String profile) {
        long since = timing == null ? 0 : WriterTiming.now();
        try {
            if (read == null)
                read = c.prepareStatement("SELECT first_seen, last_seen, events FROM profiles WHERE id = ?");
            read.setString(1, profile);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) return null;
                return new Activity(profile, rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new StoreFailure("reading the activity of " + profile, e);
        } finally {
            if (timing != null) timing.add("profile activity read", since, 1);
        }
    }

    /** The released batch's states join the transaction's. */
    void fold() {
        tx.putAll(batch);
        batch.clear();
        mustWrite |= batchMustWrite;
        batchMustWrite = false;
    }

    /** The open batch was rolled back. */
    void dropBatch() {
        batch.clear();
        batchMustWrite = false;
    }

    /** The open transaction was rolled back, or ended. */
    void dropTx() {
        dropBatch();
        tx.clear();
        mustWrite = false;
    }

    boolean mustWrite() {
        return mustWrite || batchMustWrite;
    }

    /** Whether no state waits for the table, here or in the open transaction. */
    boolean isEmpty() {
        return published.isEmpty() && tx.isEmpty() && batch.isEmpty();
    }

    /** Publishes the transaction's states tagged {@code tag}; returns whether there were any. */
    boolean publish(long tag) {
        fold();
        if (tx.isEmpty()) return false;
        Map<String, Map<String, Activity>> changes = new HashMap<>();
        for (var e : tx.entrySet()) changes.put(e.getKey(), Map.of(KEY, e.getValue()));
        published.publish(tag, changes);
        tx.clear();
        return true;
    }

    /**
     * Writes every published state into the table, in key order, and moves the mark to
     * {@code through} (the newest log row), in the open transaction.
     */
    void write(long through) throws SQLException {
        long since = timing == null ? 0 : WriterTiming.now();
        List<Activity> states = new ArrayList<>(published.newestStates());
        states.sort(java.util.Comparator.comparing(Activity::profile));
        if (!states.isEmpty()) {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE profiles SET first_seen = ?, last_seen = ?, events = ? WHERE id = ?")) {
                for (Activity a : states) {
                    ps.setLong(1, a.first());
                    ps.setLong(2, a.last());
                    ps.setLong(3, a.events());
                    ps.setString(4, a.profile());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        moveMark(c, through);
        if (timing != null) timing.add("activity snapshot", since, states.size());
    }

    private static void moveMark(Connection c, long through) throws SQLException {
        // an upsert: a rebuild empties index_marks
        try (PreparedStatement mark = c.prepareStatement("INSERT INTO index_marks (name, through) VALUES ('" + MARK
                + "', ?) ON CONFLICT (name) DO UPDATE SET through = excluded.through")) {
            mark.setLong(1, through);
            mark.executeUpdate();
        }
    }

    /**
     * At a start: the table holds every profile's activity as of the mark; the log's rows after
     * it are added, grouped by profile, in one statement, and the mark moves to the newest row.
     * The caller commits. Returns the log rows read.
     */
    static long recover(Connection c) throws SQLException {
        long mark;
        try (var s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT through FROM index_marks WHERE name = '" + MARK + "'")) {
            if (!rs.next()) throw new SQLException("index_marks has no row for " + MARK + " (schema v14)");
            mark = rs.getLong(1);
        }
        long newest, rows;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT COALESCE(MAX(seq), 0), COUNT(*) FROM events WHERE seq > ?")) {
            ps.setLong(1, mark);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                newest = rs.getLong(1);
                rows = rs.getLong(2);
            }
        }
        if (rows == 0) return 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE profiles SET first_seen = MIN(profiles.first_seen, "
                + "t.first), last_seen = MAX(profiles.last_seen, t.last), events = profiles.events + t.n "
                + "FROM (SELECT profile, MIN(event_time) AS first, MAX(event_time) AS last, COUNT(*) AS n "
                + "FROM events WHERE seq > ? GROUP BY profile) AS t WHERE profiles.id = t.profile")) {
            ps.setLong(1, mark);
            ps.executeUpdate();
        }
        moveMark(c, newest);
        return rows;
    }
}
