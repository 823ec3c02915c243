package fusion.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * An index of the log kept as sorted runs instead of one randomly keyed B-tree (schema v10,
 * docs/STORAGE.md "Sorted runs"). A randomly keyed index dirties about one page per event, and
 * SQLite writes each dirty page whole to its WAL at every commit; here the newest entries wait in
 * the writer's memory ({@link RecentEntries}, schema v11) and reach the tables a run at a time, or
 * through a small {@code recent} table when a statement of the writer's must see them in SQL.
 *
 * <p>The writer keeps it in shape after its commits, one bounded step at a time ({@link #step}),
 * each in its own transaction:
 *
 * <ul>
 *   <li>when memory and the recent table hold a run's worth of entries, they move, in key order,
 *       into a new run of the large table; its key starts with the run, so a new run only appends
 *       pages;
 *   <li>when {@link #FANOUT} runs share a level, they are merged into one run of the next level,
 *       a slice of at most {@link #SLICE} entries per step (so no step holds the
 *       writer long), each slice moving entries from the merged runs to the new one in one
 *       transaction. A run of level L holds about {@code runSize * FANOUT^L} entries, so an entry
 *       is rewritten once per level, and a read seeks at most {@code FANOUT} runs per level.
 * </ul>
 *
 * Every committed state holds each entry of the rows up to the index's mark ({@code index_marks})
 * exactly once: in the recent table or in one run; the entries after the mark are rebuilt in
 * memory from the log at a start, so a crash at any point leaves a correct index. Readers ask the
 * writer's memory, then the views ({@code profile_seqs}, {@code pair_seqs}), which list the runs
 * in the same statement, so the tables' part of a read is one committed state whatever step runs
 * beside it. The merge compares keys only in
 * SQL, in the database's own order (PostgreSQL's collation, SQLite's bytes).
 */
final class SortedRuns {
    /**
     * Runs of one level merged into one of the next. An entry is rewritten once per level, so a
     * wider merge rewrites it fewer times (log base 8 of the index's size in runs, not base 4: at
     * 1.6 million entries, about once instead of three times), and a read seeks up to 7 runs
     * of a level instead of 3 (docs/STORAGE.md, "Sorted runs").
     */
    static final int FANOUT = 8;

    /**
     * Entries per run of level 0: the recent table moves when it holds this many (a setting,
     * {@code store.index-run}). Five times the 20,000 of schema v10, which, with {@link #FANOUT},
     * took the moves and merges from 31-33% of SQLite's writer CPU to 11-20% under the load driver.
     */
    static final int RUN_SIZE = 100_000;

    /** At most this many entries move in one merge step, whatever the run size, so no step holds the writer long. */
    static final int SLICE = 40_000;

    /** The level of runs that were there before schema v10 (one run each, never merged). */
    static final int MIGRATED = 1000;

    /** The log's per-profile index: a person's events in time order. */
    static final SortedRuns PROFILE =
            new SortedRuns("profile", "profile_index", "profile_seqs", "profile", "event_time");

    /** The ledger's pair index: a party's entries with a brand, in order. */
    static final SortedRuns PAIR = new SortedRuns("pair", "pair_index", "pair_seqs", "party", "brand");

    /** The sequence numbers of a person's events, for {@code WHERE seq IN (...)} with the profile as its parameter. */
    static final String EVENTS_OF = "(SELECT seq FROM profile_seqs WHERE profile = ?)";

    /** The sequence numbers of a party's ledger entries, with the party as its parameter. */
    static final String LEDGER_OF = "(SELECT seq FROM pair_seqs WHERE party = ?)";

    /** What a {@link #step} did. */
    enum Step {
        IDLE,
        MOVED,
        STARTED,
        SLICED,
        MERGED
    }

    private final String name;
    private final String table;
    private final String recent;
    private final String view;
    private final String owner;
    private final String key;
    private final String runs;

    private SortedRuns(String name, String table, String view, String owner, String second) {
        this.name = name;
        this.table = table;
        this.recent = table + "_recent";
        this.view = view;
        this.owner = owner;
        this.key = owner + ", " + second + ", seq";
        this.runs = "run IN (SELECT run FROM index_runs WHERE name = '" + name + "')";
    }

    /**
     * Schema v10's step. On SQLite the two randomly keyed indexes are dropped, the entries already
     * there become run 1 of each index, at a level no merge reaches, and the views read the runs
     * (listed in the same statement, so the database seeks each run by its key) and the recent
     * tables. On PostgreSQL the indexes stay and the views read the log and the ledger: there the
     * runs cost more than they save (docs/STORAGE.md, "Sorted runs").
     */
    static void migrate(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            if (c.getMetaData()
                    .getDatabaseProductName()
                    .toLowerCase(java.util.Locale.ROOT)
                    .contains("postgres")) {
                s.execute("CREATE VIEW profile_seqs AS SELECT profile, event_time, seq FROM events");
                s.execute("CREATE VIEW pair_seqs AS SELECT party, brand, seq FROM ledger");
                return;
            }
            s.execute("DROP INDEX events_profile");
            s.execute("DROP INDEX ledger_pair");
            for (SortedRuns r : List.of(PROFILE, PAIR)) {
                String log = r == PROFILE ? "events" : "ledger";
                s.execute("INSERT INTO " + r.table + " (run, " + r.key + ") SELECT 1, " + r.key + " FROM " + log
                        + " ORDER BY " + r.key);
                s.execute("INSERT INTO index_runs (name, run, level, entries, merging_into) SELECT '" + r.name
                        + "', 1, " + MIGRATED + ", n, NULL FROM (SELECT COUNT(*) AS n FROM " + log + ") c WHERE n > 0");
                s.execute("CREATE VIEW " + r.view + " AS SELECT " + r.key + " FROM " + r.table + " WHERE " + r.runs
                        + " UNION ALL SELECT " + r.key + " FROM " + r.recent);
            }
        }
    }

    /** The insert of one entry: the owner (profile or party), the second key (event time or brand), the seq. */
    String insertRecent() {
        return "INSERT INTO " + recent + " (" + key + ") VALUES (?, ?, ?)";
    }

    /**
     * Writes entries the writer kept in memory ({@link RecentEntries}) into the recent table, in
     * {@code c}'s open transaction, and moves the index's mark to the last of them (they are in
     * seq order, and every entry before them is in the tables already).
     */
    void writeRecent(Connection c, List<RecentEntries.Entry> entries) throws SQLException {
        write(c, recent, null, entries);
    }

    /** Rows per INSERT when entries kept in memory are written (three parameters each, well under SQLite's limit). */
    private static final int ROWS_PER_INSERT = 500;

    /** One owner's entries in key order: the second key (an event's time, or a brand), then seq. */
    private static final java.util.Comparator<RecentEntries.Entry> WITHIN_OWNER = (x, y) -> {
        int second = x.second() instanceof Long a && y.second() instanceof Long b
                ? Long.compare(a, b)
                : x.second().toString().compareTo(y.second().toString());
        return second != 0 ? second : Long.compare(x.seq(), y.seq());
    };

    /**
     * {@code entries} in key order (owner, second key, seq): grouped by owner, the owners sorted, then each
     * owner's entries, which come in seq order and mostly in time order already. Most owners
     * have many entries in a run's worth, so this compares far fewer strings than sorting the
     * whole list by the key, which was 10% of the writer's Java samples at full rate (JFR,
     * 2026-12-07).
     */
    static List<RecentEntries.Entry> inKeyOrder(List<RecentEntries.Entry> entries) {
        java.util.Map<String, List<RecentEntries.Entry>> byOwner = new java.util.HashMap<>();
        for (RecentEntries.Entry e : entries)
            byOwner.computeIfAbsent(e.owner(), k -> new ArrayList<>()).add(e);
        String[] owners = byOwner.keySet().toArray(new String[0]);
        java.util.Arrays.sort(owners);
        List<RecentEntries.Entry> out = new ArrayList<>(entries.size());
        for (String owner : owners) {
            List<RecentEntries.Entry> mine = byOwner.get(owner);
            if (mine.size() > 1) mine.sort(WITHIN_OWNER);
            out.addAll(mine);
        }
        return out;
    }

    /**
     * Inserts entries kept in memory into {@code target} (with {@code run} first, unless null), and
     * moves the mark to the last of them: they are in seq order, and every entry before them is in
     * the tables already. In key order (Java's, close to the database's: the order only decides
     * which pages the inserts walk, once), {@value #ROWS_PER_INSERT} rows a statement: a driver
     * round trip per row cost about three times as much CPU per entry (WriterTiming, 2026-12-06).
     */
    private void write(Connection c, String target, Long run, List<RecentEntries.Entry> entries) throws SQLException {
        List<RecentEntries.Entry> sorted = inKeyOrder(entries);
        String row = run == null ? "(?, ?, ?)" : "(" + run + ", ?, ?, ?)";
        String into = "INSERT INTO " + target + " (" + (run == null ? "" : "run, ") + key + ") VALUES ";
        PreparedStatement full = null;
        try {
            for (int from = 0; from < sorted.size(); from += ROWS_PER_INSERT) {
                int n = Math.min(ROWS_PER_INSERT, sorted.size() - from);
                PreparedStatement ps;
                if (n == ROWS_PER_INSERT) {
                    if (full == null) full = c.prepareStatement(into + (row + ",").repeat(n - 1) + row);
                    ps = full;
                } else {
                    ps = c.prepareStatement(into + (row + ",").repeat(n - 1) + row);
                }
                try {
                    int p = 1;
                    for (RecentEntries.Entry e : sorted.subList(from, from + n)) {
                        ps.setString(p++, e.owner());
                        if (e.second() instanceof String text) ps.setString(p++, text);
                        else ps.setLong(p++, (Long) e.second());
                        ps.setLong(p++, e.seq());
                    }
                    ps.executeUpdate();
                } finally {
                    if (ps != full) ps.close();
                }
            }
        } finally {
            if (full != null) full.close();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO index_marks (name, through) VALUES (?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET through = excluded.through")) {
            ps.setString(1, name);
            ps.setLong(2, entries.get(entries.size() - 1).seq());
            ps.executeUpdate();
        }
    }

    /**
     * The entries of the log's (or the ledger's) rows after the index's mark, in seq order: those
     * the writer keeps in memory, read back at a start (at most about a run's worth).
     */
    List<RecentEntries.Entry> afterMark(Connection c) throws SQLException {
        String log = this == PROFILE ? "events" : "ledger";
        List<RecentEntries.Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + key + " FROM " + log + " WHERE seq > "
                + "(SELECT COALESCE(MAX(through), 0) FROM index_marks WHERE name = ?) ORDER BY seq")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object second = this == PROFILE ? (Object) rs.getLong(2) : rs.getString(2);
                    out.add(new RecentEntries.Entry(rs.getString(1), second, rs.getLong(3)));
                }
            }
        }
        return out;
    }

    String view() {
        return view;
    }

    /** How many entries the recent table holds. */
    long recentEntries(Connection c) throws SQLException {
        return single(c, "SELECT COUNT(*) FROM " + recent);
    }

    /** Statements that move every entry of an owner (first parameter the new owner, second the old). */
    List<String> renames() {
        return List.of(
                "UPDATE " + table + " SET " + owner + " = ? WHERE " + runs + " AND " + owner + " = ?",
                "UPDATE " + recent + " SET " + owner + " = ? WHERE " + owner + " = ?");
    }

    /** Statements that delete every entry of an owner (the owner the only parameter). */
    List<String> deletes() {
        return List.of(
                "DELETE FROM " + table + " WHERE " + runs + " AND " + owner + " = ?",
                "DELETE FROM " + recent + " WHERE " + owner + " = ?");
    }

    /**
     * One bounded step of upkeep, in {@code c}'s open transaction (the caller commits):
     * the recent table moves into a new run when it holds {@code runSize} entries or more;
     * otherwise a merge under way moves its next slice, or a level holding {@link #FANOUT} runs
     * starts a merge.
     */
    Step step(Connection c, long recentEntries, int runSize, List<RecentEntries.Entry> inMemory) throws SQLException {
        if (recentEntries >= runSize) {
            move(c, runSize, inMemory);
            return Step.MOVED;
        }
        List<Long> sources =
                longs(c, "SELECT run FROM index_runs WHERE name = ? AND merging_into IS NOT NULL ORDER BY run");
        if (!sources.isEmpty()) return slice(c, sources, runSize);
        return startMerge(c) ? Step.STARTED : Step.IDLE;
    }

    /**
     * The recent table's entries and those the writer keeps in memory ({@code inMemory}, the
     * newest) into a new run, in key order, and the mark past the latter.
     */
    private void move(Connection c, int runSize, List<RecentEntries.Entry> inMemory) throws SQLException {
        long run = nextRun(c);
        long entries;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (run, " + key + ") SELECT ?, " + key
                + " FROM " + recent + " ORDER BY " + key)) {
            ps.setLong(1, run);
            entries = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + recent)) {
            ps.executeUpdate();
        }
        if (!inMemory.isEmpty()) {
            write(c, table, run, inMemory);
            entries += inMemory.size();
        }
        int level = 0;
        for (long size = (long) runSize * FANOUT; entries >= size && level < MIGRATED - 1; size *= FANOUT) level++;
        addRun(c, run, level, entries);
    }

    /** Marks the {@link #FANOUT} oldest runs of the lowest full level as merging into a new run of the next. */
    private boolean startMerge(Connection c) throws SQLException {
        List<Long> levels = longs(
                c,
                "SELECT level FROM index_runs WHERE name = ? AND level < " + MIGRATED
                        + " GROUP BY level HAVING COUNT(*) >= " + FANOUT + " ORDER BY level");
        if (levels.isEmpty()) return false;
        long level = levels.get(0);
        List<Long> oldest = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT run FROM index_runs WHERE name = ? AND level = ? ORDER BY run LIMIT " + FANOUT)) {
            ps.setString(1, name);
            ps.setLong(2, level);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) oldest.add(rs.getLong(1));
            }
        }
        long into = nextRun(c);
        addRun(c, into, (int) level + 1, 0);
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE index_runs SET merging_into = ? WHERE name = ? AND run = ?")) {
            for (long run : oldest) {
                ps.setLong(1, into);
                ps.setString(2, name);
                ps.setLong(3, run);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return true;
    }

    /**
     * Moves the next slice of a merge: every entry of the merged runs up to a boundary key, the
     * smallest of each run's n-th key, n the smaller of {@code runSize} and {@link #SLICE} shared
     * among the runs (so a step moves at most {@link #SLICE} entries, or {@code runSize} a run);
     * when no run has that many left, all that is left, and the merged runs are dropped.
     */
    private Step slice(Connection c, List<Long> sources, int runSize) throws SQLException {
        int each = Math.max(1, Math.min(runSize, SLICE / sources.size()));
        long into = single(c, "SELECT MIN(merging_into) FROM index_runs WHERE name = ? AND merging_into IS NOT NULL");
        String in = "run IN (SELECT run FROM index_runs WHERE name = '" + name + "' AND merging_into IS NOT NULL)";
        Object[] bound = null;
        for (long run : sources) {
            Object[] k = nthKey(c, run, each);
            if (k != null && (bound == null || lessThan(c, k, bound))) bound = k;
        }
        String upTo = bound == null ? "" : " AND (" + key + ") <= (?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (run, " + key + ") SELECT ?, " + key
                + " FROM " + table + " WHERE " + in + upTo + " ORDER BY " + key)) {
            ps.setLong(1, into);
            bind(ps, 2, bound);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + in + upTo)) {
            bind(ps, 1, bound);
            ps.executeUpdate();
        }
        if (bound != null) return Step.SLICED;
        try (PreparedStatement ps = c.prepareStatement("UPDATE index_runs SET entries = "
                + "(SELECT COALESCE(SUM(entries), 0) FROM index_runs WHERE name = ? AND merging_into IS NOT NULL) "
                + "WHERE name = ? AND run = ?")) {
            ps.setString(1, name);
            ps.setString(2, name);
            ps.setLong(3, into);
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM index_runs WHERE name = ? AND merging_into IS NOT NULL")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
        return Step.MERGED;
    }

    /** The key of a run's {@code n}-th entry in key order, or null when it has fewer. */
    private Object[] nthKey(Connection c, long run, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + key + " FROM " + table + " WHERE run = ? ORDER BY " + key + " LIMIT 1 OFFSET ?")) {
            ps.setLong(1, run);
            ps.setInt(2, n - 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Object[] {rs.getString(1), rs.getObject(2), rs.getLong(3)} : null;
            }
        }
    }

    /** Whether key {@code a} sorts before {@code b}, asked of the database so that its order decides. */
    private static boolean lessThan(Connection c, Object[] a, Object[] b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN (?, ?, ?) < (?, ?, ?) THEN 1 ELSE 0 END")) {
            bind(ps, 1, a);
            bind(ps, 4, b);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    private static void bind(PreparedStatement ps, int first, Object[] k) throws SQLException {
        if (k == null) return;
        ps.setString(first, (String) k[0]);
        if (k[1] instanceof String s) ps.setString(first + 1, s);
        else ps.setLong(first + 1, ((Number) k[1]).longValue());
        ps.setLong(first + 2, (Long) k[2]);
    }

    private long nextRun(Connection c) throws SQLException {
        return single(c, "SELECT COALESCE(MAX(run), 0) + 1 FROM index_runs WHERE name = ?");
    }

    private void addRun(Connection c, long run, int level, long entries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO index_runs (name, run, level, entries, merging_into) VALUES (?, ?, ?, ?, NULL)")) {
            ps.setString(1, name);
            ps.setLong(2, run);
            ps.setInt(3, level);
            ps.setLong(4, entries);
            ps.executeUpdate();
        }
    }

    /** A query with the index's name as its only parameter (or none) and one number as its answer. */
    private long single(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (sql.contains("?")) ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
