package fusion.store.sql;

import fusion.core.engine.Relationship;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a brand's daily series reads (schema v15, docs/STORAGE.md "Ledger"): the brand's pairs,
 * from the relationships table and the states waiting in memory, and their ledger rows, in passes
 * of about {@link #rowsPerPass} rows, fed to a {@link BrandSeries} one pair at a time in the
 * parties' order. A pass finds its rows through the pair index, or, on SQLite, when its pairs
 * hold more than {@link #scanShare} of the ledger, by one scan of the ledger in the table's order.
 */
final class BrandSeriesReads {
    /** The reader's kept statements ({@code Queries.prepared}). */
    interface Statements {
        PreparedStatement prepared(String sql) throws SQLException;
    }

    private final Connection c;
    private final Dialect dialect;
    private final SnapshotOverlay<Relationship> published;
    private final RecentEntries pairMemory;
    private final Statements statements;

    BrandSeriesReads(
            Connection c,
            Dialect dialect,
            SnapshotOverlay<Relationship> published,
            RecentEntries pairMemory,
            Statements statements) {
        this.c = c;
        this.dialect = dialect;
        this.published = published;
        this.pairMemory = pairMemory;
        this.statements = statements;
    }

    /**
     * Every pair of {@code brand} of the parties {@code parties} accepts, into {@code series}, as
     * of one read snapshot: passes in statements of their own would otherwise each see the
     * newest commit, and a merge committed between two of them count the absorbed pair's rows
     * under both parties (found by review, 2026-12-07). On SQLite a statement is kept open over
     * the read, as {@link Queries} does for a profile's relationships; on PostgreSQL the read is
     * one repeatable-read transaction.
     */
    void feed(BrandSeries series, String brand, Predicate<String> parties) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                passes(series, brand, partiesOf(brand, parties, Map.of()), 0, null);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            return;
        }
        try (Statement pragma = c.createStatement()) {
            pragma.execute("PRAGMA mmap_size=" + MAPPED);
            try {
                if (published == null) scan(series, brand, parties);
                else inSnapshot(series, brand, parties);
            } finally {
                pragma.execute(ConnectionSource.READER_MMAP);
            }
        }
    }

    /**
     * Bytes of the database file a series read on SQLite maps. Read connections read pages with
     * read() (ConnectionSource: under ingest a mapping is dropped at every read transaction, which
     * a profile read paid for every page it touched), but a series reads hundreds of thousands of
     * ledger rows in one transaction, and through read() every page it touches is a system call
     * and a copy: a third of the read's CPU was the kernel's (perf, 2026-12-07). Unmapped again
     * after the read.
     */
    static final long MAPPED = 1L << 40;

    private void inSnapshot(BrandSeries series, String brand, Predicate<String> parties) throws SQLException {
        SnapshotRead.run(published, pairMemory, s -> {
            try (ResultSet newest = prepared(Queries.NEWEST_ROWS).executeQuery()) {
                newest.next();
                long m = newest.getLong(1);
                long newestEntry = newest.getLong(2);
                Map<String, Map<String, Relationship>> waiting = s.checked(published.allAsOf(m));
                RecentEntries.Capture memory = s.memory();
                passes(
                        series,
                        brand,
                        partiesOf(brand, parties, waiting),
                        newestEntry,
                        key -> memory.seqsOf(key, newestEntry));
                return null;
            }
        });
    }

    /**
     * SQLite opened read-only beside a server ({@link SqlStore#sqliteReadOnly}): the pairs and
     * index entries waiting in the server's memory are in neither its tables nor this store's
     * memory, but their rows are in the ledger. So the parties come from the ledger and each pass
     * scans it for the brand's rows (found by review, 2026-12-07: the pairs waiting in the
     * server's memory were left out). Dearer than the pair index, for the command line's reads.
     */
    private void scan(BrandSeries series, String brand, Predicate<String> parties) throws SQLException {
        try (ResultSet snapshot = prepared(Queries.NEWEST_ROWS).executeQuery()) {
            snapshot.next(); // kept open: every statement of the read sees this snapshot
            List<Party> all = new ArrayList<>();
            PreparedStatement ps = prepared("SELECT party, COUNT(*) FROM ledger WHERE +brand = ? GROUP BY party");
            ps.setString(1, brand);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) if (parties.test(rs.getString(1))) all.add(new Party(rs.getString(1), rs.getLong(2)));
            }
            // the parties' natural order, which SQLite's collation of UTF-8 is not always
            all.sort(java.util.Comparator.comparing(Party::name));
            passes(series, brand, all, 0, null);
        }
    }

    /** A party with a pair of the brand, and about how many ledger rows the pair has. */
    private record Party(String name, long rows) {}

    /**
     * The parties' pairs, in passes of about {@link #rowsPerPass} rows (at most {@link
     * #partiesPerPass} parties). {@code ledgerRows}: about how many rows the ledger has; {@code
     * memory}: SQLite's index entries in memory, null on PostgreSQL (a statement reads the pairs of
     * many parties) and on a read-only SQLite store (whose passes scan).
     */
    private void passes(
            BrandSeries series,
            String brand,
            List<Party> all,
            long ledgerRows,
            java.util.function.Function<Object, long[]> memory)
            throws SQLException {
        int from = 0;
        while (from < all.size()) {
            int to = from;
            long rows = 0;
            while (to < all.size()
                    && to - from < partiesPerPass
                    && (to == from || rows + all.get(to).rows() <= rowsPerPass)) {
                rows += all.get(to++).rows();
            }
            List<String> chunk = new ArrayList<>(to - from);
            for (Party p : all.subList(from, to)) chunk.add(p.name());
            List<List<BrandSeries.Entry>> entries;
            if (dialect == Dialect.POSTGRESQL) entries = pairEntries(chunk, brand);
            else if (memory == null || rows > scanShare * ledgerRows) entries = scanned(chunk, brand);
            else entries = pairEntries(chunk, brand, memory);
            for (int i = 0; i < chunk.size(); i++) series.add(chunk.get(i), entries.get(i));
            from = to;
        }
    }

    /**
     * SQLite: the pairs of {@code brand} of the given parties, each party's entries in (time, seq)
     * order, from one scan of the ledger in the table's order: every row is read, those of other
     * parties and brands passed over.
     */
    private List<List<BrandSeries.Entry>> scanned(List<String> parties, String brand) throws SQLException {
        Map<String, List<BrandSeries.Entry>> byParty = new HashMap<>();
        List<List<BrandSeries.Entry>> out = listsOf(parties, byParty);
        PreparedStatement rows = prepared(SERIES_COLUMNS + "WHERE +brand = ?");
        rows.setString(1, brand);
        seriesEntries(rows, brand, byParty);
        for (List<BrandSeries.Entry> l : out) l.sort(BrandSeries.Entry.IN_TIME);
        return out;
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        return statements.prepared(sql);
    }

    /**
     * PostgreSQL: the pairs of {@code brand} of the given parties, each party's entries in (time,
     * seq) order, through the ledger's pair index.
     */
    private List<List<BrandSeries.Entry>> pairEntries(List<String> parties, String brand) throws SQLException {
        Map<String, List<BrandSeries.Entry>> byParty = new HashMap<>();
        List<List<BrandSeries.Entry>> out = listsOf(parties, byParty);
        PreparedStatement ps = prepared(SERIES_COLUMNS + "WHERE party = ANY(?) AND brand = ?");
        ps.setArray(1, c.createArrayOf("text", parties.toArray()));
        ps.setString(2, brand);
        seriesEntries(ps, brand, byParty);
        // sorted here, pair by pair: sorted by the server, a brand's rows outgrew its memory for a sort
        for (List<BrandSeries.Entry> l : out) l.sort(BrandSeries.Entry.IN_TIME);
        return out;
    }

    /** An empty list per party, in their order, each also in {@code byParty}. */
    private static List<List<BrandSeries.Entry>> listsOf(
            List<String> parties, Map<String, List<BrandSeries.Entry>> byParty) {
        List<List<BrandSeries.Entry>> out = new ArrayList<>();
        for (String party : parties) {
            List<BrandSeries.Entry> l = new ArrayList<>();
            byParty.put(party, l);
            out.add(l);
        }
        return out;
    }

    /** What a brand's series reads of a ledger row. */
    private static final String SERIES_COLUMNS = "SELECT seq, party, time, kind, state FROM ledger ";

    /** The rows of {@code ps} ({@link #SERIES_COLUMNS}) into their parties' lists; rows of other parties are passed over. */
    private static void seriesEntries(PreparedStatement ps, String brand, Map<String, List<BrandSeries.Entry>> into)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String party = rs.getString(2);
                List<BrandSeries.Entry> l = into.get(party);
                if (l == null) continue;
                long time = rs.getLong(3);
                l.add(new BrandSeries.Entry(
                        rs.getLong(1),
                        time,
                        LedgerCodec.kind(rs.getInt(4)),
                        LedgerCodec.state(party, brand, time, rs.getBytes(5))));
            }
        }
    }

    /**
     * The parties {@code parties} accepts that have a pair of {@code brand}, in their natural
     * order: the table's pairs and those waiting in memory. Every pair with a ledger row has one
     * (the writer puts the state with each entry; a merge moves the absorbed pairs' rows to the
     * survivor's pairs). A pair without rows adds nothing to the series.
     */
    private List<Party> partiesOf(
            String brand, Predicate<String> parties, Map<String, Map<String, Relationship>> waiting)
            throws SQLException {
        java.util.SortedMap<String, Long> out = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT party, events FROM relationships WHERE brand = ?")) {
            ps.setString(1, brand);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            }
        }
        // the states waiting as of the snapshot, laid over the table: a null state is a removed pair
        waiting.forEach((party, states) -> {
            if (!states.containsKey(brand)) return;
            Relationship r = states.get(brand);
            if (r == null) out.remove(party);
            else out.put(party, r.events());
        });
        List<Party> list = new ArrayList<>(out.size());
        out.forEach((party, events) -> {
            // a pair's rows: an entry per event, and those propagated to it or moved by merges
            if (parties.test(party)) list.add(new Party(party, Math.max(1, events)));
        });
        return list;
    }

    /**
     * Rows one pass of a brand's series reads, about (a pair's events stand for its rows; those
     * propagated to it or moved by merges come on top, 1.3-1.5 times the events on the tests'
     * traffic): their entries are held at once, about 200 bytes each, so about 50 MB. On SQLite
     * their rows are then fetched in the log's order or scanned; on PostgreSQL one statement
     * reads them.
     */
    static volatile long rowsPerPass = 250_000;

    /** Parties one pass reads at most. Small in a test, so that a read crosses passes. */
    static volatile int partiesPerPass = 100_000;

    /**
     * SQLite: a pass whose pairs hold more than this share of the ledger's rows scans the ledger
     * rather than look its rows up. A row found through the pair index cost about 20 times what a
     * row scanned cost (the index's listing about 0.9 µs a row, its fetch by number 0.5-1.4 µs
     * and a fresh page each; a scan 0.15 µs a row: sqlite3 shell, 2026-12-07, on the bench's
     * store of 950,153 ledger rows). Tests set 0 (every pass scans) and more than 1 (none).
     */
    static volatile double scanShare = 0.05;

    /** Rows fetched by one statement of such a pass. Both are small in a test, so that it crosses their bounds. */
    static volatile int seqsPerFetch = 2_000;

    /**
     * SQLite: the pairs of {@code brand} of the given parties, each party's entries in (time, seq)
     * order. Their numbers come first, from the writer's memory (asked first, as {@link #ledger}
     * does) and the pair index, which reads no row; the rows are then fetched in number order,
     * which is the table's order: fetched pair by pair, a pair's rows lie on as many pages as it
     * has rows, and a series read twice the CPU it did through the brand index (2026-12-07,
     * bench/results/brand-series-2026-12-07.txt).
     */
    private List<List<BrandSeries.Entry>> pairEntries(
            List<String> parties, String brand, java.util.function.Function<Object, long[]> memory)
            throws SQLException {
        long[] wanted = new long[1024];
        int n = 0;
        PreparedStatement index = prepared("SELECT seq FROM pair_seqs WHERE party = ? AND brand = ?");
        for (int i = 0; i < parties.size(); i++) {
            for (long seq : memory.apply(RecentEntries.pair(parties.get(i), brand))) {
                if (n == wanted.length) wanted = java.util.Arrays.copyOf(wanted, n * 2);
                wanted[n++] = seq;
            }
            index.setString(1, parties.get(i));
            index.setString(2, brand);
            try (ResultSet rs = index.executeQuery()) {
                while (rs.next()) {
                    if (n == wanted.length) wanted = java.util.Arrays.copyOf(wanted, n * 2);
                    wanted[n++] = rs.getLong(1);
                }
            }
        }
        // in number order, each once (an entry may be in memory and in the tables)
        java.util.Arrays.sort(wanted, 0, n);
        int distinct = 0;
        for (int i = 0; i < n; i++)
            if (distinct == 0 || wanted[i] != wanted[distinct - 1]) wanted[distinct++] = wanted[i];
        long[] seqs = java.util.Arrays.copyOf(wanted, distinct);
        Map<String, List<BrandSeries.Entry>> byParty = new HashMap<>();
        List<List<BrandSeries.Entry>> out = listsOf(parties, byParty);
        // each row goes to its own pair: a seq the memory gave for a commit that failed may be another pair's row
        PreparedStatement rows = prepared(SERIES_COLUMNS + "WHERE seq IN " + Queries.IN_LIST + " AND +brand = ?");
        int fetch = seqsPerFetch;
        for (int from = 0; from < seqs.length; from += fetch) {
            rows.setString(
                    1, Queries.seqList(java.util.Arrays.copyOfRange(seqs, from, Math.min(seqs.length, from + fetch))));
            rows.setString(2, brand);
            seriesEntries(rows, brand, byParty);
        }
        for (List<BrandSeries.Entry> l : out) l.sort(BrandSeries.Entry.IN_TIME);
        return out;
    }
}
