package fusion.store.sql;

import fusion.core.engine.Relationship;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a brand's daily series reads (schema v15, docs/STORAGE.md "Ledger"): the brand's pairs,
 * from the relationships table and the states waiting in memory, and each pair's ledger through
 * the pair index, in passes of {@link #partiesPerPass} parties, fed to a {@link BrandSeries} one
 * pair at a time in the parties' order.
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
                passes(series, brand, partiesOf(brand, parties, Map.of()), null);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            return;
        }
        if (published == null) {
            scan(series, brand, parties);
            return;
        }
        SnapshotRead.run(published, pairMemory, s -> {
            try (ResultSet newest = prepared(Queries.NEWEST_ROWS).executeQuery()) {
                newest.next();
                long m = newest.getLong(1);
                long newestEntry = newest.getLong(2);
                Map<String, Map<String, Relationship>> waiting = s.checked(published.allAsOf(m));
                RecentEntries.Capture memory = s.memory();
                passes(series, brand, partiesOf(brand, parties, waiting), key -> memory.seqsOf(key, newestEntry));
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
            List<String> all = new ArrayList<>();
            PreparedStatement ps = prepared("SELECT DISTINCT party FROM ledger WHERE +brand = ?");
            ps.setString(1, brand);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) if (parties.test(rs.getString(1))) all.add(rs.getString(1));
            }
            all.sort(null); // the parties' natural order, which SQLite's collation of UTF-8 is not always
            int pass = partiesPerPass;
            for (int from = 0; from < all.size(); from += pass) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + pass));
                Map<String, List<BrandSeries.Entry>> byParty = new HashMap<>();
                List<List<BrandSeries.Entry>> entries = listsOf(chunk, byParty);
                PreparedStatement rows = prepared(SERIES_COLUMNS + "WHERE +brand = ?");
                rows.setString(1, brand);
                seriesEntries(rows, brand, byParty);
                for (List<BrandSeries.Entry> l : entries) l.sort(BrandSeries.Entry.IN_TIME);
                for (int i = 0; i < chunk.size(); i++) series.add(chunk.get(i), entries.get(i));
            }
        }
    }

    /** The parties' pairs, {@link #partiesPerPass} at a time; {@code memory}: SQLite's entries in memory. */
    private void passes(
            BrandSeries series, String brand, List<String> all, java.util.function.Function<Object, long[]> memory)
            throws SQLException {
        int pass = partiesPerPass;
        for (int from = 0; from < all.size(); from += pass) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + pass));
            List<List<BrandSeries.Entry>> entries = memory == null
                    ? pairEntries(chunk, brand) // a statement is a round trip there: the pairs of many parties in one
                    : pairEntries(chunk, brand, memory);
            for (int i = 0; i < chunk.size(); i++) series.add(chunk.get(i), entries.get(i));
        }
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
    private List<String> partiesOf(
            String brand, Predicate<String> parties, Map<String, Map<String, Relationship>> waiting)
            throws SQLException {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT party FROM relationships WHERE brand = ?")) {
            ps.setString(1, brand);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        // the states waiting as of the snapshot, laid over the table: a null state is a removed pair
        waiting.forEach((party, states) -> {
            if (!states.containsKey(brand)) return;
            if (states.get(brand) == null) out.remove(party);
            else out.add(party);
        });
        out.removeIf(parties.negate());
        return new ArrayList<>(out);
    }

    /**
     * Parties whose pairs one pass reads for a brand's series: their entries are held at once
     * (about 200 bytes each). On SQLite their rows are then fetched in the log's order; on
     * PostgreSQL one statement reads them.
     */
    static volatile int partiesPerPass = 1_000;

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
