package fusion.store.sql;

import fusion.bench.StoreIngestBench;
import fusion.core.engine.Contribution;
import fusion.core.engine.Engine;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.ModelConfig;
import fusion.core.engine.Relationship;
import fusion.core.engine.StateView;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.LogCodec;
import fusion.store.Pipeline;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Issue 18, the ledger: what a ledger row costs to store, in today's text form (schema version
 * 1..7: kind as a word, contributions as JSON, the state as hex text) and in the compact form of
 * version 8 ({@link LedgerCodec}), each with and without the {@code ledger_brand} index; and what
 * reading a pair's ledger costs when it is stored versus recomputed from the party's log.
 *
 * <p>The rows are the real ones: {@link StoreIngestBench#traffic} ingested into a SQLite store.
 * Each variant inserts them all into a fresh SQLite file (WAL, {@code synchronous=FULL}, the
 * store's pragmas) in transactions of 500 rows, encoding included, and reports this thread's CPU
 * per row (SQLite runs in this thread, so its work counts; fsync waits do not) and the bytes of
 * the table and each index per row ({@code dbstat}: pages used, payload). Variants alternate
 * within each round. The text encoders are the ones of commit 8779427, kept here as the baseline.
 *
 * <p>It sits in {@code fusion.store.sql} (in the bench module) to reach the package-private codec
 * and queries. Usage: {@code LedgerRowBench [EVENTS] [ROUNDS] [postgresql://...]}; with a
 * PostgreSQL URL the rows are also inserted there (a table {@code ledger_bench}, dropped after).
 */
public final class LedgerRowBench {
    private LedgerRowBench() {}

    private record Row(LedgerEntry e, Relationship after) {}

    private enum Variant {
        TEXT_BOTH_INDEXES(false, true),
        TEXT_PAIR_INDEX(false, false),
        COMPACT_BOTH_INDEXES(true, true),
        COMPACT_PAIR_INDEX(true, false);

        final boolean compact;
        final boolean brandIndex;

        Variant(boolean compact, boolean brandIndex) {
            this.compact = compact;
            this.brandIndex = brandIndex;
        }

        String label() {
            return (compact ? "compact (V8)" : "text (V1-V7)")
                    + (brandIndex ? ", ledger_pair + ledger_brand" : ", ledger_pair only");
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] a) throws Exception {
        int events = a.length > 0 ? Integer.parseInt(a[0]) : 40_000;
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 3;
        Engine engine = new Engine(ModelConfig.defaults());
        Pipeline pipeline = new Pipeline(engine, SegmentMapping.standard("own"));
        Path dir = Files.createTempDirectory("fusion-ledger-bench");
        List<SegmentCall> calls = new ArrayList<>(StoreIngestBench.traffic(events));
        Instant t0 = calls.get(calls.size() - 1).timestamp();
        for (int k : new int[] {10, 100, 1000}) calls.addAll(solo(k, t0));
        try (SqlStore s = SqlStore.sqlite(dir, pipeline)) {
            for (int i = 0; i < calls.size(); i += 500) s.ingest(calls.subList(i, Math.min(calls.size(), i + 500)));
        }
        List<Row> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            rows = rows(c);
            System.out.printf(
                    "rows: %,d ledger entries from %,d calls (StoreIngestBench traffic + 3 lone pairs)%n%n",
                    rows.size(), calls.size());
            rowCosts(rows, rounds, dir);
            layoutCosts(rows, rounds, dir);
            if (a.length > 2) postgresRowCosts(rows, rounds, StoreUrl.parse(a[2]));
            try (SqlStore store = SqlStore.sqlite(dir, pipeline)) {
                readCosts(c, store, engine, pipeline);
            }
        }
    }

    // ---- the row

    private static void rowCosts(List<Row> rows, int rounds, Path dir) throws SQLException {
        Map<Variant, List<double[]>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            Variant[] order = Variant.values();
            for (int i = 0; i < order.length; i++) {
                Variant v = order[(i + round) % order.length]; // a different one goes first each round
                results.computeIfAbsent(v, x -> new ArrayList<>()).add(insert(v, rows, dir.resolve("v" + round + v)));
            }
        }
        System.out.println("## the row: insert CPU (this thread, SQLite included) and bytes per entry, median of "
                + rounds + " rounds (round 1 is cold)");
        System.out.printf(
                "%-44s %8s %9s %9s %9s %9s %9s %9s%n",
                "variant", "µs CPU", "written", "table pg", "table pay", "pair idx", "brand idx", "total pg");
        for (var r : results.entrySet()) {
            double[] m = median(r.getValue());
            System.out.printf(
                    "%-44s %8.2f %9.0f %9.1f %9.1f %9.1f %9.1f %9.1f%n",
                    r.getKey().label(), m[0], m[1], m[2], m[3], m[4], m[5], m[2] + m[4] + m[5]);
        }
        System.out.println("(µs CPU: this thread, encoding, binding, SQLite's inserts and commits; written: bytes the");
        System.out.println(
                " process wrote to files per entry while inserting and committing (/proc/self/io wchar: WAL");
        System.out.println(" frames of the pages each commit dirtied); pg: bytes of b-tree pages per entry, dbstat;");
        System.out.println(" pay: the records' payload)");
        System.out.println();
    }

    // ---- the layout (issue 18): how much of a ledger row's cost any layout could take away

    /**
     * SQLite's ledger of schemas v10-v14 (the v8 columns, {@code ledger_brand}, no {@code
     * ledger_pair}, whose entries are in sorted runs) and of v15 (without {@code ledger_brand})
     * against two layouts with fewer
     * statements: the columns packed into one, and one row per commit holding all its entries (no
     * per-entry row at all, what a ledger kept in blocks would write); and, as the floor, the
     * encoding alone with nothing written. The block layout is a bound, not a design: it has no way
     * to read an entry by pair or brand without decoding blocks.
     */
    private enum Layout {
        V14("v8-v14: the columns + ledger_brand"),
        V15("v15: the columns, no index"),
        PACKED("one packed column + ledger_brand"),
        PACKED_NO_BRAND("one packed column, no index"),
        BLOCK("one row per commit of 500 entries"),
        ENCODE_ONLY("encoding only, nothing written");

        final String label;

        Layout(String label) {
            this.label = label;
        }
    }

    private static void layoutCosts(List<Row> rows, int rounds, Path dir) throws SQLException {
        Map<Layout, List<double[]>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            Layout[] order = Layout.values();
            for (int i = 0; i < order.length; i++) {
                Layout l = order[(i + round) % order.length];
                results.computeIfAbsent(l, x -> new ArrayList<>()).add(layout(l, rows, dir.resolve("l" + round + l)));
            }
        }
        System.out.println("## the layout: SQLite insert CPU and bytes written per entry, median of " + rounds
                + " rounds (variants alternating; SQLite's share = a row's CPU - encoding only)");
        System.out.printf("%-40s %8s %9s %9s%n", "layout", "µs CPU", "SQLite µs", "written");
        double floor = median(results.get(Layout.ENCODE_ONLY))[0];
        for (var r : results.entrySet()) {
            double[] m = median(r.getValue());
            System.out.printf("%-40s %8.2f %9.2f %9.0f%n", r.getKey().label, m[0], m[0] - floor, m[1]);
        }
        System.out.println();
    }

    private static double[] layout(Layout l, List<Row> rows, Path dir) throws SQLException {
        try (Connection c = sqlite(dir)) {
            try (Statement s = c.createStatement()) {
                switch (l) {
                    case V14, V15 -> {
                        s.execute(ddl("ledger", Variant.COMPACT_BOTH_INDEXES, "INTEGER", "BLOB"));
                        if (l == Layout.V14) s.execute("CREATE INDEX ledger_brand ON ledger (brand, time)");
                    }
                    case PACKED, PACKED_NO_BRAND -> {
                        s.execute("CREATE TABLE ledger (seq INTEGER PRIMARY KEY, party TEXT NOT NULL, "
                                + "brand TEXT NOT NULL, time BIGINT NOT NULL, body BLOB NOT NULL)");
                        if (l == Layout.PACKED) s.execute("CREATE INDEX ledger_brand ON ledger (brand, time)");
                    }
                    default -> s.execute("CREATE TABLE ledger (first_seq INTEGER PRIMARY KEY, body BLOB NOT NULL)");
                }
            }
            c.setAutoCommit(false);
            long written = written();
            long cpu = THREADS.getCurrentThreadCpuTime();
            switch (l) {
                case V14, V15 -> fill(c, "ledger", Variant.COMPACT_BOTH_INDEXES, rows);
                case PACKED, PACKED_NO_BRAND -> fillPacked(c, rows);
                default -> fillBlocks(c, rows, l == Layout.BLOCK);
            }
            double us = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e3 / rows.size();
            return new double[] {us, (written() - written) / (double) rows.size()};
        }
    }

    private static void fillPacked(Connection c, List<Row> rows) throws SQLException {
        Packer p = new Packer();
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO ledger (seq, party, brand, time, body) VALUES (?,?,?,?,?)")) {
            for (int i = 0; i < rows.size(); i++) {
                LedgerEntry e = rows.get(i).e();
                ps.setLong(1, i + 1);
                ps.setString(2, e.party());
                ps.setString(3, e.brand());
                ps.setLong(4, e.time().toEpochMilli());
                p.reset();
                p.entry(rows.get(i), false);
                ps.setBytes(5, p.bytes());
                ps.addBatch();
                if ((i + 1) % 500 == 0 || i == rows.size() - 1) {
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
    }

    /** One row per 500 entries ({@code write} false: the same encoding, and nothing written). */
    private static void fillBlocks(Connection c, List<Row> rows, boolean write) throws SQLException {
        Packer p = new Packer();
        long sink = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger (first_seq, body) VALUES (?,?)")) {
            for (int i = 0, first = 1; i < rows.size(); i++) {
                p.entry(rows.get(i), true);
                if ((i + 1) % 500 == 0 || i == rows.size() - 1) {
                    byte[] block = p.bytes();
                    sink += block.length;
                    if (write) {
                        ps.setLong(1, first);
                        ps.setBytes(2, block);
                        ps.executeUpdate();
                        c.commit();
                    }
                    p.reset();
                    first = i + 2;
                }
            }
        }
        if (sink < 0) throw new IllegalStateException();
    }

    /** The entry's every field in bytes, with the store's codec for its contributions and state. */
    private static final class Packer {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1 << 17);
        private final java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);

        void entry(Row row, boolean withKey) {
            LedgerEntry e = row.e();
            long time = e.time().toEpochMilli();
            try {
                if (withKey) {
                    out.writeUTF(e.party());
                    out.writeUTF(e.brand());
                    out.writeLong(time);
                }
                out.writeByte(LedgerCodec.kind(e.kind()));
                out.writeDouble(e.experienceBefore());
                out.writeDouble(e.experienceAfter());
                out.writeDouble(e.fusionBefore());
                out.writeDouble(e.fusionAfter());
                out.writeDouble(e.faded());
                out.writeUTF(e.eventId());
                out.writeUTF(e.note());
                byte[] cs = LedgerCodec.contributions(e.contributions());
                out.writeShort(cs.length);
                out.write(cs);
                byte[] st = LedgerCodec.state(row.after(), time);
                out.writeShort(st.length);
                out.write(st);
            } catch (java.io.IOException x) {
                throw new IllegalStateException(x);
            }
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }

        void reset() {
            bytes.reset();
        }
    }

    /** A new SQLite file in {@code dir} with the store's settings. */
    private static Connection sqlite(Path dir) throws SQLException {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ledger.db"));
        Dialect.SQLITE.prepare(c);
        return c;
    }

    /** Inserts every row; returns µs CPU per row and bytes per row: table pages, table payload, pair index, brand index. */
    private static double[] insert(Variant v, List<Row> rows, Path dir) throws SQLException {
        try (Connection c = sqlite(dir)) {
            try (Statement s = c.createStatement()) {
                s.execute(ddl("ledger", v, "INTEGER", "BLOB"));
                s.execute("CREATE INDEX ledger_pair ON ledger (party, brand, seq)");
                if (v.brandIndex) s.execute("CREATE INDEX ledger_brand ON ledger (brand, time)");
            }
            c.setAutoCommit(false);
            long written = written();
            long cpu = THREADS.getCurrentThreadCpuTime();
            fill(c, "ledger", v, rows);
            double us = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e3 / rows.size();
            double wrote = (written() - written) / (double) rows.size();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            Map<String, long[]> size = new HashMap<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT name, SUM(pgsize), SUM(payload) FROM dbstat GROUP BY name")) {
                while (rs.next()) size.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
            double n = rows.size();
            return new double[] {
                us,
                wrote,
                size.get("ledger")[0] / n,
                size.get("ledger")[1] / n,
                size.get("ledger_pair")[0] / n,
                size.getOrDefault("ledger_brand", new long[2])[0] / n
            };
        }
    }

    /**
     * The same rows into PostgreSQL: a table per variant in the database at {@code url} (dropped
     * after), batches of 500 per commit with {@code reWriteBatchedInserts} as the store's writer
     * does. Reports the bench thread's CPU per row (the client's share: encoding, binding, the
     * driver; not the server's) and the table's and indexes' sizes per row (TOAST included).
     */
    private static void postgresRowCosts(List<Row> rows, int rounds, StoreUrl url) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        if (url.user() != null) p.setProperty("user", url.user());
        if (url.password() != null) p.setProperty("password", url.password());
        p.setProperty("reWriteBatchedInserts", "true");
        Map<Variant, List<double[]>> results = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(
                "jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database(), p)) {
            for (int round = 0; round < rounds; round++) {
                Variant[] order = Variant.values();
                for (int i = 0; i < order.length; i++) {
                    Variant v = order[(i + round) % order.length];
                    results.computeIfAbsent(v, x -> new ArrayList<>()).add(postgresInsert(c, v, rows));
                }
            }
        }
        System.out.println("## the row on PostgreSQL: client CPU and bytes per entry, median of " + rounds + " rounds");
        System.out.printf(
                "%-44s %8s %9s %9s %9s %9s %9s%n",
                "variant", "µs CPU", "µs wall", "table", "pair idx", "brand idx", "total");
        for (var r : results.entrySet()) {
            double[] m = median(r.getValue());
            System.out.printf(
                    "%-44s %8.2f %9.2f %9.1f %9.1f %9.1f %9.1f%n",
                    r.getKey().label(), m[0], m[1], m[2], m[3], m[4], m[2] + m[3] + m[4]);
        }
        System.out.println("(µs CPU: the bench thread, the client's share; µs wall: per row, the server's work and");
        System.out.println(
                " fsync included; sizes: pg_table_size (TOAST included) and pg_relation_size of each index)");
        System.out.println();
    }

    private static double[] postgresInsert(Connection c, Variant v, List<Row> rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS ledger_bench");
            s.execute(ddl("ledger_bench", v, "BIGINT", "BYTEA"));
            s.execute("CREATE INDEX ledger_bench_pair ON ledger_bench (party, brand, seq)");
            if (v.brandIndex) s.execute("CREATE INDEX ledger_bench_brand ON ledger_bench (brand, time)");
        }
        c.setAutoCommit(false);
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        fill(c, "ledger_bench", v, rows);
        double us = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e3 / rows.size();
        double wallUs = (System.nanoTime() - wall) / 1e3 / rows.size();
        c.setAutoCommit(true);
        double n = rows.size();
        try (Statement s = c.createStatement()) {
            double[] out;
            try (ResultSet rs = s.executeQuery("SELECT pg_table_size('ledger_bench'), "
                    + "pg_relation_size('ledger_bench_pair'), COALESCE(pg_relation_size(to_regclass("
                    + "'ledger_bench_brand')), 0)")) {
                rs.next();
                out = new double[] {us, wallUs, rs.getLong(1) / n, rs.getLong(2) / n, rs.getLong(3) / n};
            }
            s.execute("DROP TABLE ledger_bench");
            return out;
        }
    }

    private static String ddl(String table, Variant v, String key, String bytes) {
        return "CREATE TABLE " + table + " (seq " + key + " PRIMARY KEY, party TEXT NOT NULL, brand TEXT NOT NULL, "
                + "time BIGINT NOT NULL, event_id TEXT NOT NULL, kind " + (v.compact ? "SMALLINT" : "TEXT")
                + " NOT NULL, experience_before DOUBLE PRECISION NOT NULL, experience_after DOUBLE PRECISION NOT NULL, "
                + "fusion_before DOUBLE PRECISION NOT NULL, fusion_after DOUBLE PRECISION NOT NULL, "
                + "faded DOUBLE PRECISION NOT NULL, note TEXT NOT NULL, contributions "
                + (v.compact ? bytes : "TEXT") + " NOT NULL, state " + (v.compact ? bytes : "TEXT") + " NOT NULL)";
    }

    /** Inserts the rows as the writer binds them (encoding included), 500 per committed batch. */
    private static void fill(Connection c, String table, Variant v, List<Row> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (seq, party, brand, time, event_id, "
                + "kind, experience_before, experience_after, fusion_before, fusion_after, faded, note, contributions, "
                + "state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (int i = 0; i < rows.size(); i++) {
                LedgerEntry e = rows.get(i).e();
                long time = e.time().toEpochMilli();
                ps.setLong(1, i + 1);
                ps.setString(2, e.party());
                ps.setString(3, e.brand());
                ps.setLong(4, time);
                ps.setString(5, e.eventId());
                if (v.compact) ps.setInt(6, LedgerCodec.kind(e.kind()));
                else ps.setString(6, e.kind().label());
                ps.setDouble(7, e.experienceBefore());
                ps.setDouble(8, e.experienceAfter());
                ps.setDouble(9, e.fusionBefore());
                ps.setDouble(10, e.fusionAfter());
                ps.setDouble(11, e.faded());
                ps.setString(12, e.note());
                if (v.compact) {
                    ps.setBytes(13, LedgerCodec.contributions(e.contributions()));
                    ps.setBytes(14, LedgerCodec.state(rows.get(i).after(), time));
                } else {
                    ps.setString(13, textContributions(e.contributions()));
                    ps.setString(14, textState(rows.get(i).after()));
                }
                ps.addBatch();
                if ((i + 1) % 500 == 0 || i == rows.size() - 1) {
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
    }

    /** Bytes this process has written through write calls ({@code wchar} of /proc/self/io; 0 where there is none). */
    private static long written() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("wchar:"))
                    return Long.parseLong(line.substring(6).strip());
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    // ---- reading a pair's ledger: stored or recomputed

    /**
     * Stored: read through the open store, as the API reads (the newest entries' index is in the
     * writer's memory since schema v11, so the tables alone do not list them).
     */
    private static void readCosts(Connection c, SqlStore store, Engine engine, Pipeline pipeline) throws SQLException {
        System.out.println(
                "## a pair's ledger as the API serves it (entries with their causes rendered): read as stored");
        System.out.println("## (V8 rows) or recomputed from the party's log (read its events, decode, map, run the");
        System.out.println(
                "## engine); the 10 newest (the API's default) and all; µs CPU per read, median of 3 passes");
        System.out.printf(
                "%-12s %12s %12s %12s %12s%n", "pair events", "stored 10", "recomp. 10", "stored all", "recomp. all");
        // the recomputation's own index of a person's log rows: since schema v10 the store keeps that
        // index in sorted runs and memory, which the recomputation here does not read; without an
        // index it would scan the log and stop being the lower bound it is meant to be
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS bench_events_profile ON events (profile, seq)");
        }
        for (int k : new int[] {10, 100, 1000}) {
            String party = "solo" + k;
            List<fusion.store.LedgerView> stored = store.ledger(party, "glitter", Integer.MAX_VALUE);
            List<LedgerEntry> again = recompute(c, engine, pipeline, party, "glitter");
            if (stored.size() != k || again.size() != k) {
                throw new IllegalStateException(
                        party + ": " + stored.size() + " stored, " + again.size() + " recomputed");
            }
            for (int i = 0; i < k; i++) { // newest first as stored
                if (Double.doubleToRawLongBits(stored.get(i).fusionAfter())
                        != Double.doubleToRawLongBits(again.get(k - 1 - i).fusionAfter())) {
                    throw new IllegalStateException(party + ": recomputed entry " + i + " differs");
                }
            }
            double s10 = perCall(() -> store.ledger(party, "glitter", 10));
            double r10 = perCall(() -> causes(recompute(c, engine, pipeline, party, "glitter"), 10));
            double sAll = perCall(() -> store.ledger(party, "glitter", Integer.MAX_VALUE));
            double rAll = perCall(() -> causes(recompute(c, engine, pipeline, party, "glitter"), Integer.MAX_VALUE));
            System.out.printf("%-12d %12.1f %12.1f %12.1f %12.1f%n", k, s10, r10, sAll, rAll);
        }
        System.out.println(
                "(the recomputation here is a lower bound: a party with no merges, so no identity history to redo)");
    }

    /** The newest {@code limit} entries' causes, rendered as the API renders a stored entry's. */
    private static List<String> causes(List<LedgerEntry> entries, int limit) {
        List<String> out = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0 && out.size() < limit; i--)
            out.add(entries.get(i).cause());
        return out;
    }

    private static List<LedgerEntry> recompute(
            Connection c, Engine engine, Pipeline pipeline, String party, String brand) throws SQLException {
        Map<String, Relationship> state = new HashMap<>();
        StateView view = new StateView() {
            @Override
            public Optional<Relationship> relationship(String p, String b) {
                return Optional.ofNullable(state.get(b));
            }

            @Override
            public List<Relationship> relationshipsOf(String p) {
                return new ArrayList<>(state.values());
            }
        };
        List<LedgerEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT body FROM events WHERE profile = ? ORDER BY seq")) {
            ps.setString(1, party);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SegmentCall call = LogCodec.decode(rs.getString(1));
                    var interaction = pipeline.interaction(call, party);
                    if (interaction.isEmpty()) continue;
                    var step = engine.apply(view, interaction.get());
                    for (Relationship r : step.relationships()) state.put(r.brand(), r);
                    for (LedgerEntry e : step.ledger()) if (e.brand().equals(brand)) out.add(e);
                }
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface Read {
        Object run() throws SQLException;
    }

    /** µs of this thread's CPU per call: the median of 3 passes of at least 0.2 s of CPU, after a warm-up pass. */
    private static double perCall(Read read) throws SQLException {
        List<Double> passes = new ArrayList<>();
        for (int pass = 0; pass < 4; pass++) {
            long start = THREADS.getCurrentThreadCpuTime();
            long n = 0;
            while (THREADS.getCurrentThreadCpuTime() - start < 200_000_000L) {
                read.run();
                n++;
            }
            if (pass > 0) passes.add((THREADS.getCurrentThreadCpuTime() - start) / 1e3 / n);
        }
        passes.sort(null);
        return passes.get(1);
    }

    /** A lone pair: {@code k} orders of one person at one brand, an hour apart, after the traffic. */
    private static List<SegmentCall> solo(int k, Instant after) {
        List<SegmentCall> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Instant t = after.plusSeconds(3600L * (i + 1));
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("brand", "glitter");
            p.put("revenue", 10 + i % 90);
            if (i % 7 == 0) p.put("wow", true);
            out.add(new SegmentCall(
                    SegmentCall.Type.TRACK,
                    "solo" + k + "-" + i,
                    "solo" + k,
                    null,
                    i % 3 == 0 ? "Ticket Resolved" : "Order Completed",
                    null,
                    null,
                    null,
                    p,
                    Map.of(),
                    Map.of(),
                    t,
                    t));
        }
        return out;
    }

    private static List<Row> rows(Connection c) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT party, brand, time, event_id, kind, experience_before, experience_after, "
                                + "fusion_before, fusion_after, faded, note, contributions, state FROM ledger ORDER BY seq")) {
            while (rs.next()) {
                long time = rs.getLong(3);
                out.add(new Row(
                        new LedgerEntry(
                                rs.getString(1),
                                rs.getString(2),
                                Instant.ofEpochMilli(time),
                                rs.getString(4),
                                LedgerCodec.kind(rs.getInt(5)),
                                rs.getDouble(6),
                                rs.getDouble(7),
                                rs.getDouble(8),
                                rs.getDouble(9),
                                rs.getDouble(10),
                                LedgerCodec.contributions(rs.getBytes(12)),
                                rs.getString(11)),
                        LedgerCodec.state(rs.getString(1), rs.getString(2), time, rs.getBytes(13))));
            }
        }
        return out;
    }

    private static double[] median(List<double[]> l) {
        double[] out = new double[l.get(0).length];
        for (int i = 0; i < out.length; i++) {
            final int k = i;
            double[] col = l.stream().mapToDouble(x -> x[k]).sorted().toArray();
            out[i] = col[col.length / 2];
        }
        return out;
    }

    // ---- the text form of schema versions 1..7, as Rows wrote it at commit 8779427

    private static String textState(Relationship r) {
        StringBuilder b = new StringBuilder(200).append(r.asOfMillis());
        for (double d : new double[] {
            r.needsMet(),
            r.needsFailed(),
            r.easeGood(),
            r.easeBad(),
            r.delight(),
            r.brandGives(),
            r.consumerGives(),
            r.association()
        }) {
            b.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(d)));
        }
        b.append(' ').append(r.events()).append(' ').append(Long.toHexString(Double.doubleToRawLongBits(r.money())));
        return b.append(' ').append(r.firstSeenMillis()).toString();
    }

    private static String textContributions(List<Contribution> cs) {
        java.io.StringWriter out = new java.io.StringWriter(64 + 80 * cs.size());
        try (com.fasterxml.jackson.core.JsonGenerator g = Rows.JSON.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (Contribution c : cs) {
                g.writeStartObject();
                g.writeStringField("rule", c.rule());
                g.writeStringField("target", c.target().label());
                g.writeNumberField("points", c.points());
                g.writeStringField("detail", c.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode contributions", e);
        }
        return out.toString();
    }
}
