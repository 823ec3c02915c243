package fusion.bench;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentMapping;
import fusion.store.Pipeline;
import fusion.store.sql.SqlStore;
import java.io.IOException;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What each SQLite index and setting costs per event (issue 18): the server's mix of rows per
 * event (a log row, 0.95 ledger rows, relationship upserts coalesced per transaction, one activity
 * update per profile touched, identities at 0.0063 per event; the mix {@code count} printed after
 * the lead's baseline run), inserted with plain JDBC into a store made by {@link SqlStore#sqlite}
 * and then altered by the variant, in durable transactions, with the server's pragmas.
 *
 * <p>{@code SqliteCostBench PREFILL EVENTS ROUNDS VARIANT...}: per round, per variant (alternating,
 * so the machine's load falls on all alike), a fresh store is pre-filled with PREFILL events
 * (unmeasured, so the indexes are as large as a server's after a load), then EVENTS are inserted
 * and measured: the inserting thread's CPU per event (the writer's share; SQLite runs in it), the
 * process's {@code write_bytes} per event ({@code /proc/self/io}, the final checkpoint included),
 * and the database's growth per event. Variants: {@code base}, {@code page1024}, {@code page2048},
 * {@code page8192}, {@code groupN} (N events per commit instead of 500), {@code relWR} (the
 * relationships table {@code WITHOUT ROWID}), {@code ledgerWR}
 * (the ledger WITHOUT ROWID, clustered on party, brand, seq), {@code -msgid}, {@code -profile},
 * {@code -pair}, {@code -brand} (without that index: its cost by difference), {@code ckptN}
 * ({@code wal_autocheckpoint=N} instead of 10000; 1000 is SQLite's default), {@code cache2m} (SQLite's default cache), {@code nommap};
 * variants combine with {@code +}, e.g. {@code page2048+ledgerWR}.
 */
public final class SqliteCostBench {
    private SqliteCostBench() {}

    private static final long PAIRS = 8_000;
    private static final long PROFILES = 2_000;
    private static final double LEDGER_PER_EVENT = 600_069 / 631_500.0;
    private static final double IDENTITIES_PER_EVENT = 3_997 / 631_500.0;

    public static void main(String[] a) throws Exception {
        int prefill = Integer.parseInt(a[0]);
        int events = Integer.parseInt(a[1]);
        int rounds = Integer.parseInt(a[2]);
        List<String> variants = List.of(a).subList(3, a.length);
        System.out.printf(
                Locale.ROOT,
                "%-22s %5s %10s %12s %12s %10s%n",
                "variant",
                "round",
                "events/s",
                "CPU us/event",
                "write B/ev",
                "grow B/ev");
        for (int round = 1; round <= rounds; round++) {
            for (String v : variants) {
                run(v, round, prefill, events);
            }
        }
    }

    private static boolean has(String variant, String part) {
        return List.of(variant.split("\\+")).contains(part);
    }

    /** The number after {@code prefix} in the variant's part that starts with it, e.g. 2000 in {@code group2000}. */
    private static int number(String variant, String prefix, int otherwise) {
        for (String part : variant.split("\\+")) {
            if (part.startsWith(prefix)) return Integer.parseInt(part.substring(prefix.length()));
        }
        return otherwise;
    }

    private static void run(String variant, int round, int prefill, int events) throws Exception {
        Path dir = Files.createTempDirectory("fusion-cost");
        try {
            Pipeline pipeline = new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
            SqlStore.sqlite(dir, pipeline).close();
            Path db = dir.resolve("fusion.db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                alter(c, variant);
            }
            int group = number(variant, "group", 500);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                pragmas(c, variant);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA synchronous=OFF"); // the unmeasured pre-fill need not be durable
                }
                c.setAutoCommit(false);
                Rows rows = new Rows(c, new Random(7));
                rows.profiles();
                rows.insert(0, prefill, 5_000);
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                    s.execute("PRAGMA synchronous=FULL");
                }
                c.setAutoCommit(false);
                long size0 = Files.size(db);
                ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                long cpu0 = mx.getCurrentThreadCpuTime();
                long io0 = writeBytes();
                long t0 = System.nanoTime();
                rows.insert(prefill, events, group);
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)"); // the checkpoint's writes belong to these events
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                long io = writeBytes() - io0;
                long grow = Files.size(db) - size0;
                System.out.printf(
                        Locale.ROOT,
                        "%-22s %5d %,10.0f %12.1f %,12.0f %,10.0f%n",
                        variant,
                        round,
                        events / seconds,
                        cpu / 1e3 / events,
                        io / (double) events,
                        grow / (double) events);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    /** The server's pragmas (fusion.store.sql.Dialect), with the variant's changes. */
    private static void pragmas(Connection c, String variant) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA cache_size=" + (has(variant, "cache2m") ? -2000 : -65536));
            s.execute("PRAGMA wal_autocheckpoint=" + number(variant, "ckpt", 10_000));
            s.execute("PRAGMA journal_size_limit=67108864");
            s.execute("PRAGMA temp_store=MEMORY");
            s.execute("PRAGMA secure_delete=ON");
            s.execute("PRAGMA mmap_size=" + (has(variant, "nommap") ? 0 : 268435456));
        }
    }

    /** Changes the empty store's shape as the variant says. */
    private static void alter(Connection c, String variant) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (has(variant, "-msgid")) {
                String ddl = ddl(c, "events").replace("NOT NULL UNIQUE", "NOT NULL");
                s.execute("DROP TABLE events");
                s.execute(ddl);
                s.execute("CREATE INDEX events_profile ON events (profile, event_time)");
            }
            if (has(variant, "-profile")) s.execute("DROP INDEX events_profile");
            if (has(variant, "-pair")) s.execute("DROP INDEX ledger_pair");
            if (has(variant, "-brand")) s.execute("DROP INDEX ledger_brand");
            if (has(variant, "ledgerWR")) {
                String ddl = ddl(c, "ledger").replace("INTEGER PRIMARY KEY", "INTEGER NOT NULL");
                ddl = ddl.substring(0, ddl.lastIndexOf(')')) + ", PRIMARY KEY (party, brand, seq)) WITHOUT ROWID";
                s.execute("DROP TABLE ledger");
                s.execute(ddl);
                if (!has(variant, "-brand")) s.execute("CREATE INDEX ledger_brand ON ledger (brand, time)");
            }
            if (has(variant, "relWR")) {
                String ddl = ddl(c, "relationships");
                s.execute("DROP TABLE relationships");
                s.execute(ddl + " WITHOUT ROWID");
            }
            for (int size : new int[] {1024, 2048, 8192}) {
                if (has(variant, "page" + size)) {
                    s.execute("PRAGMA journal_mode=DELETE");
                    s.execute("PRAGMA page_size=" + size);
                    s.execute("VACUUM");
                    s.execute("PRAGMA journal_mode=WAL");
                    try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
                        if (!rs.next() || rs.getInt(1) != size)
                            throw new IllegalStateException("page_size not " + size);
                    }
                }
            }
        }
    }

    private static String ddl(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long writeBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("write_bytes:"))
                return Long.parseLong(line.substring(12).trim());
        }
        throw new IllegalStateException("no write_bytes in /proc/self/io");
    }

    /** The server's rows per event, as RawInsertBench writes them for a mix. */
    private static final class Rows {
        private final Connection c;
        private final Random r;
        private final byte[] blob = new byte[78];
        private final String body = "x".repeat(363 - 60);
        private final String run = Long.toHexString(System.nanoTime());
        private double ledgerDue, identitiesDue;
        private long ledgerSeq, identitySeq;

        Rows(Connection c, Random r) {
            this.c = c;
            this.r = r;
        }

        void profiles() throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO profiles (id, traits, first_seen, last_seen, events) VALUES (?, '{}', 0, 0, 0)")) {
                for (long p = 0; p < PROFILES; p++) {
                    ps.setString(1, "u" + p);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }

        void insert(int from, int count, int group) throws SQLException {
            long now = 1_796_000_000_000L;
            try (PreparedStatement ev = c.prepareStatement(
                            "INSERT INTO events (seq, message_id, type, name, profile, "
                                    + "event_time, received_at, brand, channel, purpose, scored, body) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
                    PreparedStatement led =
                            c.prepareStatement("INSERT INTO ledger (seq, party, brand, time, event_id, kind, "
                                    + "experience_before, experience_after, fusion_before, fusion_after, faded, note, contributions, "
                                    + "state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
                    PreparedStatement rel = c.prepareStatement(
                            "INSERT INTO relationships (party, brand, as_of, needs_met, "
                                    + "needs_failed, ease_good, ease_bad, delight, brand_gives, consumer_gives, association, events, "
                                    + "money, first_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (party, brand) DO UPDATE "
                                    + "SET as_of = excluded.as_of, needs_met = excluded.needs_met, events = excluded.events");
                    PreparedStatement act =
                            c.prepareStatement("UPDATE profiles SET last_seen = ?, events = events + 1 WHERE id = ?");
                    PreparedStatement ids = c.prepareStatement(
                            "INSERT INTO identities (identity, profile, first_seq) VALUES (?, ?, ?)")) {
                Set<Long> pairsInTx = new HashSet<>();
                Set<Long> profilesInTx = new HashSet<>();
                for (int i = from; i < from + count; i++) {
                    long who = Math.floorMod(r.nextLong(), PROFILES);
                    ev.setLong(1, i + 1);
                    ev.setString(2, run + "-" + i);
                    ev.setString(3, "track");
                    ev.setString(4, "Order Completed");
                    ev.setString(5, "u" + who);
                    ev.setLong(6, now + i);
                    ev.setLong(7, now + i);
                    ev.setString(8, "glitter");
                    ev.setString(9, "web");
                    ev.setString(10, "purpose");
                    ev.setInt(11, 1);
                    ev.setString(12, "{\"messageId\":\"" + run + "-" + i + "\",\"body\":\"" + body + "\"}");
                    ev.addBatch();
                    for (ledgerDue += LEDGER_PER_EVENT; ledgerDue >= 1; ledgerDue--) {
                        long pair = Math.floorMod(r.nextLong(), PAIRS);
                        led.setLong(1, ++ledgerSeq);
                        led.setString(2, "u" + pair / 4);
                        led.setString(3, "brand" + pair % 4);
                        led.setLong(4, now + i);
                        led.setString(5, run + "-" + i);
                        led.setInt(6, 0);
                        for (int col = 7; col <= 11; col++) led.setDouble(col, r.nextDouble());
                        led.setString(12, "");
                        r.nextBytes(blob);
                        led.setBytes(13, blob);
                        led.setBytes(14, blob);
                        led.addBatch();
                        pairsInTx.add(pair);
                    }
                    profilesInTx.add(who);
                    for (identitiesDue += IDENTITIES_PER_EVENT; identitiesDue >= 1; identitiesDue--) {
                        ids.setString(1, run + "-id-" + identitySeq++);
                        ids.setString(2, "u" + who);
                        ids.setLong(3, i + 1);
                        ids.addBatch();
                    }
                    if ((i + 1 - from) % group == 0 || i == from + count - 1) {
                        ev.executeBatch();
                        led.executeBatch();
                        ids.executeBatch();
                        for (long pair : pairsInTx) {
                            rel.setString(1, "u" + pair / 4);
                            rel.setString(2, "brand" + pair % 4);
                            rel.setLong(3, now + i);
                            for (int col = 4; col <= 11; col++) rel.setDouble(col, r.nextDouble());
                            rel.setLong(12, 1 + r.nextInt(50));
                            rel.setDouble(13, r.nextDouble() * 100);
                            rel.setLong(14, now);
                            rel.addBatch();
                        }
                        rel.executeBatch();
                        for (long p : profilesInTx) {
                            act.setLong(1, now + i);
                            act.setString(2, "u" + p);
                            act.addBatch();
                        }
                        act.executeBatch();
                        pairsInTx.clear();
                        profilesInTx.clear();
                        c.commit();
                    }
                }
            }
        }
    }
}
