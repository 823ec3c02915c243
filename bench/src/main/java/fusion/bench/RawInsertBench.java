package fusion.bench;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentMapping;
import fusion.store.Pipeline;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

/**
 * The store's own ceiling: the rows Fusion writes for its calls, inserted with plain JDBC in
 * durable transactions of 500 events each, no HTTP, no identity resolution, no scoring.
 *
 * <ul>
 *   <li>{@code RawInsertBench EVENTS sqlite|postgresql://...} inserts log rows only (the
 *       {@code events} table, body included);
 *   <li>{@code RawInsertBench EVENTS TARGET MIX} inserts, per event, the mix of rows a server
 *       wrote, as {@code count} printed it after a load ({@code events=N ledger=N relationships=N
 *       profiles=N identities=N body=B ledgerText=B}): a log row, ledger rows at the same ratio,
 *       relationship upserts at the ledger's ratio over as many pairs as the server had (coalesced
 *       per transaction, as the writer coalesces them), one activity update per profile touched in
 *       the transaction over as many profiles, identity rows at their ratio; texts of the same
 *       average lengths. Since schema v10 on SQLite the log's per-profile index and the ledger's
 *       pair index are sorted runs (docs/STORAGE.md): each log and ledger row's entry goes to its
 *       recent table (in the event's transaction for a v10 server; since v11, when the mix says
 *       {@code indexInMemory=1}, all at once just before the move, as the writer keeps them in
 *       memory), and every {@value #RUN} events the recent tables move into a run, as the
 *       server's writer does (the server also merges runs; this does not, so its ceiling is if
 *       anything higher). Prints events/s and rows/s;
 *   <li>{@code RawInsertBench count sqlite:DIR|postgresql://...} prints that mix for a store;
 *   <li>{@code RawInsertBench pgstat postgresql://...} prints PostgreSQL's WAL position and the
 *       database's size in bytes ({@code wal=N size=N});
 *   <li>{@code RawInsertBench reset postgresql://...} drops and re-creates Fusion's tables there;
 *   <li>{@code RawInsertBench drop postgresql://...} only drops them (a server build then migrates
 *       to its own schema: {@code fusion.jar migrate}).
 * </ul>
 */
public final class RawInsertBench {
    private RawInsertBench() {}

    /** Events per move of the recent tables into a run (the store's default run size). */
    static final int RUN = 20_000;

    /** What a server wrote, counted from its store. */
    record Mix(
            long events,
            long ledger,
            long relationships,
            long profiles,
            long identities,
            int bodyChars,
            int ledgerTextChars,
            boolean indexInMemory) {
        static Mix parse(String s) {
            java.util.Map<String, Long> m = new java.util.HashMap<>();
            for (String kv : s.trim().split("\\s+")) {
                String[] p = kv.split("=");
                m.put(p[0], Long.parseLong(p[1]));
            }
            return new Mix(
                    m.get("events"),
                    m.get("ledger"),
                    m.get("relationships"),
                    m.get("profiles"),
                    m.get("identities"),
                    m.get("body").intValue(),
                    m.get("ledgerText").intValue(),
                    m.getOrDefault("indexInMemory", 0L) == 1);
        }

        @Override
        public String toString() {
            return "events=" + events + " ledger=" + ledger + " relationships=" + relationships + " profiles="
                    + profiles + " identities=" + identities + " body=" + bodyChars + " ledgerText="
                    + ledgerTextChars + " indexInMemory=" + (indexInMemory ? 1 : 0);
        }
    }

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "reset" -> {
                StoreUrl url = StoreUrl.parse(a[1]);
                SqlStore.dropAll(url);
                SqlStore.migrate(url);
            }
            case "drop" -> SqlStore.dropAll(StoreUrl.parse(a[1]));
            case "count" -> System.out.println(count(a[1]));
            case "pgstat" -> {
                try (Connection c = open(a[1]);
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn, "
                                + "pg_database_size(current_database())")) {
                    rs.next();
                    System.out.println("wal=" + rs.getLong(1) + " size=" + rs.getLong(2));
                }
            }
            default -> insert(Integer.parseInt(a[0]), a[1], a.length > 2 ? Mix.parse(a[2]) : null);
        }
    }

    private static Connection open(String target) throws Exception {
        if (target.startsWith("sqlite:")) {
            return DriverManager.getConnection("jdbc:sqlite:"
                    + Path.of(target.substring("sqlite:".length())).resolve("fusion.db"));
        }
        StoreUrl url = StoreUrl.parse(target);
        Properties p = new Properties();
        if (url.user() != null) p.setProperty("user", url.user());
        if (url.password() != null) p.setProperty("password", url.password());
        p.setProperty("reWriteBatchedInserts", "true");
        return DriverManager.getConnection(
                "jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database(), p);
    }

    /** The recent table's entries, in key order, into a new run at the end of the large table. */
    private static void moveIntoRun(Connection c, String table, String key, long run) throws Exception {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO " + table + " (run, " + key + ") SELECT " + run + ", " + key + " FROM " + table
                    + "_recent ORDER BY " + key);
            s.executeUpdate("DELETE FROM " + table + "_recent");
        }
    }

    /** The mix of rows a server wrote to {@code target} ({@code sqlite:DIR} or a PostgreSQL URL). */
    static Mix count(String target) throws Exception {
        try (Connection c = open(target)) {
            return count(c);
        }
    }

    private static Mix count(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            long[] n = new long[5];
            String[] tables = {"events", "ledger", "relationships", "profiles", "identities"};
            for (int i = 0; i < tables.length; i++) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + tables[i])) {
                    rs.next();
                    n[i] = rs.getLong(1);
                }
            }
            int body, text;
            try (ResultSet rs = s.executeQuery("SELECT avg(length(body)) FROM events")) {
                rs.next();
                body = (int) Math.round(rs.getDouble(1));
            }
            try (ResultSet rs = s.executeQuery(
                    // schema v8: contributions and state are bytes and kind a SMALLINT; length() of
                    // a blob counts its bytes on both stores, and PostgreSQL has no length(smallint)
                    "SELECT avg(length(note) + length(contributions) + length(state)) FROM ledger")) {
                rs.next();
                text = (int) Math.round(rs.getDouble(1));
            }
            // schema v11 on SQLite: the writer keeps the indexes' newest entries in memory and writes
            // them at a move, not a recent-table row per event
            boolean inMemory;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM index_marks")) {
                inMemory = rs.next();
            } catch (java.sql.SQLException e) {
                inMemory = false;
            }
            return new Mix(n[0], n[1], n[2], n[3], n[4], body, text, inMemory);
        }
    }

    private static void insert(int events, String target, Mix mix) throws Exception {
        Pipeline pipeline = new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
        Connection c;
        String label;
        if (target.equals("sqlite")) {
            Path dir = Files.createTempDirectory("fusion-raw");
            SqlStore.sqlite(dir, pipeline).close();
            c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
            }
            label = "sqlite raw insert";
        } else {
            StoreUrl url = StoreUrl.parse(target);
            SqlStore.dropAll(url);
            SqlStore.migrate(url);
            c = open(target);
            label = "postgresql raw insert";
        }
        c.setAutoCommit(false);
        long pairs = mix == null ? 0 : Math.max(1, mix.relationships());
        long profiles = mix == null ? 0 : Math.max(1, mix.profiles());
        if (mix != null) { // the profiles the activity updates touch exist, as on a server that has seen them
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO profiles (id, traits, first_seen, last_seen, events) VALUES (?, '{}', 0, 0, 0)")) {
                for (long p = 0; p < profiles; p++) {
                    ps.setString(1, "u" + p);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        double ledgerPerEvent = mix == null ? 0 : (double) mix.ledger() / mix.events();
        double identitiesPerEvent = mix == null ? 0 : (double) mix.identities() / mix.events();
        String body = mix == null ? null : "x".repeat(Math.max(0, mix.bodyChars() - 60));
        // the ledger's contributions and state are bytes since schema v8 (LedgerCodec), half each
        byte[] ledgerBytes = mix == null ? null : new byte[Math.max(1, mix.ledgerTextChars() / 2)];
        Random r = new Random(7);
        long rows = 0;
        long start = System.nanoTime();
        try (PreparedStatement ev = c.prepareStatement(
                        "INSERT INTO events (seq, message_id, type, name, profile, "
                                + "event_time, received_at, brand, channel, purpose, scored, body) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
                PreparedStatement led =
                        c.prepareStatement("INSERT INTO ledger (seq, party, brand, time, event_id, kind, "
                                + "experience_before, experience_after, fusion_before, fusion_after, faded, note, contributions, "
                                + "state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
                PreparedStatement rel = c.prepareStatement("INSERT INTO relationships (party, brand, as_of, needs_met, "
                        + "needs_failed, ease_good, ease_bad, delight, brand_gives, consumer_gives, association, events, "
                        + "money, first_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (party, brand) DO UPDATE "
                        + "SET as_of = excluded.as_of, needs_met = excluded.needs_met, needs_failed = excluded.needs_failed, "
                        + "ease_good = excluded.ease_good, ease_bad = excluded.ease_bad, delight = excluded.delight, "
                        + "brand_gives = excluded.brand_gives, consumer_gives = excluded.consumer_gives, "
                        + "association = excluded.association, events = excluded.events, money = excluded.money");
                PreparedStatement act =
                        c.prepareStatement("UPDATE profiles SET last_seen = ?, events = events + 1 WHERE id = ?");
                PreparedStatement ids =
                        c.prepareStatement("INSERT INTO identities (identity, profile, first_seq) VALUES (?, ?, ?)");
                PreparedStatement evIndex = c.prepareStatement(
                        "INSERT INTO profile_index_recent (profile, event_time, seq) VALUES (?, ?, ?)");
                PreparedStatement ledIndex =
                        c.prepareStatement("INSERT INTO pair_index_recent (party, brand, seq) VALUES (?, ?, ?)")) {
            long run = 1000; // after the migration's run 1
            // SQLite keeps the log's indexes as sorted runs; PostgreSQL keeps plain indexes (STORAGE.md)
            boolean runs = target.equals("sqlite");
            // v10 wrote each entry into the recent table in the event's transaction; since v11 the
            // entries wait in memory and are written just before the move (as batches here)
            boolean perEvent = runs && mix != null && !mix.indexInMemory();
            long now = Instant.now().toEpochMilli();
            double ledgerDue = 0, identitiesDue = 0;
            long ledgerSeq = 0, identitySeq = 0;
            Set<Long> pairsInTx = new HashSet<>();
            Set<Long> profilesInTx = new HashSet<>();
            for (int i = 0; i < events; i++) {
                int who = i % 2_000;
                // the same shape of messageId as the load driver's (FUSION_BENCH_IDS)
                String mid = LoadDriver.RANDOM_IDS ? java.util.UUID.randomUUID().toString() : "raw-" + i;
                ev.setLong(1, i + 1);
                ev.setString(2, mid);
                ev.setString(3, "track");
                ev.setString(4, "Order Completed");
                ev.setString(5, "u" + who);
                ev.setLong(6, now + i);
                ev.setLong(7, now + i);
                ev.setString(8, "glitter");
                ev.setString(9, "web");
                ev.setString(10, "purpose");
                ev.setInt(11, 1);
                ev.setString(
                        12,
                        body != null
                                ? "{\"type\":\"track\",\"messageId\":\"" + mid + "\",\"body\":\"" + body + "\"}"
                                : "{\"type\":\"track\",\"messageId\":\"" + mid + "\",\"userId\":\"u" + who
                                        + "\",\"event\":\"Order Completed\",\"properties\":{\"brand\":\"glitter\",\"revenue\":"
                                        + (i % 150)
                                        + "},\"timestamp\":\"2026-11-24T10:00:00Z\",\"receivedAt\":\"2026-11-24T10:00:01Z\"}");
                ev.addBatch();
                if (runs) {
                    evIndex.setString(1, "u" + who);
                    evIndex.setLong(2, now + i);
                    evIndex.setLong(3, i + 1);
                    evIndex.addBatch();
                }
                rows++;
                if (mix != null) {
                    for (ledgerDue += ledgerPerEvent; ledgerDue >= 1; ledgerDue--) {
                        long pair = Math.floorMod(r.nextLong(), pairs);
                        led.setLong(1, ++ledgerSeq);
                        led.setString(2, "u" + pair / 4);
                        led.setString(3, "brand" + pair % 4);
                        led.setLong(4, now + i);
                        led.setString(5, "raw-" + i);
                        led.setShort(6, (short) 0); // schema v8: 0 is an event's own entry
                        for (int col = 7; col <= 11; col++) led.setDouble(col, r.nextDouble());
                        led.setString(12, "");
                        r.nextBytes(ledgerBytes);
                        led.setBytes(13, ledgerBytes);
                        led.setBytes(14, ledgerBytes);
                        led.addBatch();
                        if (runs) {
                            ledIndex.setString(1, "u" + pair / 4);
                            ledIndex.setString(2, "brand" + pair % 4);
                            ledIndex.setLong(3, ledgerSeq);
                            ledIndex.addBatch();
                        }
                        rows++;
                        pairsInTx.add(pair);
                    }
                    profilesInTx.add(Math.floorMod(r.nextLong(), profiles));
                    for (identitiesDue += identitiesPerEvent; identitiesDue >= 1; identitiesDue--) {
                        ids.setString(1, "raw-id-" + identitySeq++);
                        ids.setString(2, "u" + who);
                        ids.setLong(3, i + 1);
                        ids.addBatch();
                        rows++;
                    }
                }
                if ((i + 1) % 500 == 0 || i == events - 1) {
                    ev.executeBatch();
                    if (perEvent) evIndex.executeBatch();
                    if (mix != null) {
                        led.executeBatch();
                        if (perEvent) ledIndex.executeBatch();
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
                            rows++;
                        }
                        rel.executeBatch();
                        for (long p : profilesInTx) {
                            act.setLong(1, now + i);
                            act.setString(2, "u" + p);
                            act.addBatch();
                            rows++;
                        }
                        act.executeBatch();
                        pairsInTx.clear();
                        profilesInTx.clear();
                    }
                    c.commit();
                }
                if (runs && (i + 1) % RUN == 0) {
                    evIndex.executeBatch();
                    ledIndex.executeBatch();
                    run++;
                    moveIntoRun(c, "profile_index", "profile, event_time, seq", run);
                    moveIntoRun(c, "pair_index", "party, brand, seq", run);
                    c.commit();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        c.close();
        if (mix == null) {
            System.out.printf(
                    "%-28s %,9.0f rows/s (%,d rows in batches of 500, one durable commit each)%n",
                    label, events / seconds, events);
        } else {
            System.out.printf(
                    Locale.ROOT,
                    "%-28s %,9.0f events/s (%,d events in transactions of 500, one durable commit each; %.2f rows and"
                            + " upserts per event: the server's mix %s) | %,.0f rows/s%n",
                    label,
                    events / seconds,
                    events,
                    rows / (double) events,
                    mix,
                    rows / seconds);
        }
    }
}
