package fusion.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Issue 18's question for SQLite, asked of SQLite alone: what do the writes per event cost in
 * the layout the server has today, and in the layout the issue proposes (only the log written
 * before the 200; the ledger and the per-profile index written later in large snapshots, sorted
 * by their keys into clustered tables)? Same rows, same pragmas as the store (WAL, synchronous=FULL),
 * one thread, its CPU time (ThreadMXBean) per event over the last third of the run, so the tables
 * are already large when it is measured.
 *
 * <p>{@code SnapshotLayoutBench EVENTS [SNAPSHOT_EVENTS]}: EVENTS calls of 2,000 profiles and 4
 * brands (one ledger row per event, as the server's mix has 0.95), bodies of 360 characters,
 * transactions of 500 events; the proposed layout snapshots every SNAPSHOT_EVENTS (default 50,000).
 */
public final class SnapshotLayoutBench {
    private SnapshotLayoutBench() {}

    private static final int PROFILES = 2_000;
    private static final int BRANDS = 4;
    private static final int GROUP = 500;

    record Row(long seq, String messageId, String profile, String brand, long time, String body, byte[] blob) {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int snapshot = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        List<Row> rows = rows(events);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) {
            long[] today = today(rows, cpu);
            long[] proposed = proposed(rows, snapshot, cpu);
            int measured = events - events * 2 / 3;
            System.out.printf(
                    "round %d: today's layout %.1f us CPU per event (every write before the 200) | proposed: log "
                            + "%.1f us before the 200 + snapshots %.1f us = %.1f us per event%n",
                    round + 1,
                    today[0] / 1000.0 / measured,
                    proposed[0] / 1000.0 / measured,
                    proposed[1] / 1000.0 / measured,
                    (proposed[0] + proposed[1]) / 1000.0 / measured);
        }
    }

    static List<Row> rows(int events) {
        Random r = new Random(18);
        List<Row> rows = new ArrayList<>(events);
        StringBuilder pad = new StringBuilder();
        while (pad.length() < 300) pad.append("properties revenue 12.5 currency EUR ");
        for (int i = 0; i < events; i++) {
            String profile = "u" + r.nextInt(PROFILES);
            byte[] blob = new byte[96];
            r.nextBytes(blob);
            rows.add(new Row(
                    i + 1,
                    new UUID(r.nextLong(), r.nextLong()).toString(),
                    profile,
                    "brand" + r.nextInt(BRANDS),
                    1_700_000_000_000L + i * 10L,
                    "{\"type\":\"track\",\"userId\":\"" + profile + "\"," + pad.substring(0, 320) + "}",
                    blob));
        }
        return rows;
    }

    static Connection open(Path dir) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA cache_size=-65536");
            s.execute("PRAGMA wal_autocheckpoint=10000");
            s.execute("PRAGMA temp_store=MEMORY");
            s.execute("PRAGMA secure_delete=ON");
        }
        c.setAutoCommit(false);
        return c;
    }

    /** Today's layout: the log row and the ledger row with their random-key indexes, all before the 200. */
    static long[] today(List<Row> rows, ThreadMXBean cpu) throws Exception {
        Path dir = Files.createTempDirectory("layout-today");
        try (Connection c = open(dir)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, "
                        + "profile TEXT NOT NULL, event_time BIGINT NOT NULL, body TEXT NOT NULL)");
                s.execute("CREATE INDEX events_profile ON events (profile, event_time)");
                s.execute("CREATE TABLE ledger (seq INTEGER PRIMARY KEY, party TEXT NOT NULL, brand TEXT NOT NULL, "
                        + "time BIGINT NOT NULL, state BLOB NOT NULL)");
                s.execute("CREATE INDEX ledger_pair ON ledger (party, brand, seq)");
                s.execute("CREATE INDEX ledger_brand ON ledger (brand, time)");
            }
            c.commit();
            long measuredFrom = rows.size() * 2L / 3, start = 0;
            try (PreparedStatement ev = c.prepareStatement("INSERT INTO events VALUES (?,?,?,?,?)");
                    PreparedStatement le =
                            c.prepareStatement("INSERT INTO ledger (party, brand, time, state) VALUES (?,?,?,?)")) {
                for (int i = 0; i < rows.size(); i++) {
                    if (i == measuredFrom) start = cpu.getCurrentThreadCpuTime();
                    Row r = rows.get(i);
                    ev.setLong(1, r.seq());
                    ev.setString(2, r.messageId());
                    ev.setString(3, r.profile());
                    ev.setLong(4, r.time());
                    ev.setString(5, r.body());
                    ev.addBatch();
                    le.setString(1, r.profile());
                    le.setString(2, r.brand());
                    le.setLong(3, r.time());
                    le.setBytes(4, r.blob());
                    le.addBatch();
                    if ((i + 1) % GROUP == 0) {
                        ev.executeBatch();
                        le.executeBatch();
                        c.commit();
                    }
                }
            }
            return new long[] {cpu.getCurrentThreadCpuTime() - start};
        } finally {
            delete(dir);
        }
    }

    /**
     * The proposed layout: before the 200 only the log row (sequential key, no other index; the
     * messageId window is in memory); every {@code snapshot} events, the ledger rows and the
     * per-profile index entries of those events in one transaction, sorted by their clustered keys.
     */
    static long[] proposed(List<Row> rows, int snapshot, ThreadMXBean cpu) throws Exception {
        Path dir = Files.createTempDirectory("layout-proposed");
        try (Connection c = open(dir)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL, "
                        + "profile TEXT NOT NULL, event_time BIGINT NOT NULL, body TEXT NOT NULL)");
                s.execute("CREATE TABLE profile_events (profile TEXT NOT NULL, event_time BIGINT NOT NULL, "
                        + "seq BIGINT NOT NULL, PRIMARY KEY (profile, event_time, seq)) WITHOUT ROWID");
                s.execute("CREATE TABLE ledger (party TEXT NOT NULL, brand TEXT NOT NULL, seq BIGINT NOT NULL, "
                        + "time BIGINT NOT NULL, state BLOB NOT NULL, PRIMARY KEY (party, brand, seq)) WITHOUT ROWID");
                s.execute("CREATE INDEX ledger_brand ON ledger (brand, time)");
            }
            c.commit();
            long measuredFrom = rows.size() * 2L / 3, hot = 0, snap = 0;
            java.util.HashSet<String> window = new java.util.HashSet<>();
            List<Row> pending = new ArrayList<>();
            try (PreparedStatement ev = c.prepareStatement("INSERT INTO events VALUES (?,?,?,?,?)");
                    PreparedStatement pe = c.prepareStatement("INSERT INTO profile_events VALUES (?,?,?)");
                    PreparedStatement le = c.prepareStatement("INSERT INTO ledger VALUES (?,?,?,?,?)")) {
                long t0 = 0;
                for (int i = 0; i < rows.size(); i++) {
                    if (i == measuredFrom) {
                        hot = 0;
                        snap = 0;
                    }
                    if (i % GROUP == 0) t0 = cpu.getCurrentThreadCpuTime();
                    Row r = rows.get(i);
                    if (!window.add(r.messageId())) throw new IllegalStateException("duplicate");
                    ev.setLong(1, r.seq());
                    ev.setString(2, r.messageId());
                    ev.setString(3, r.profile());
                    ev.setLong(4, r.time());
                    ev.setString(5, r.body());
                    ev.addBatch();
                    pending.add(r);
                    if ((i + 1) % GROUP == 0) {
                        ev.executeBatch();
                        c.commit();
                        hot += cpu.getCurrentThreadCpuTime() - t0;
                    }
                    if ((i + 1) % snapshot == 0 || i + 1 == rows.size()) {
                        long s0 = cpu.getCurrentThreadCpuTime();
                        List<Row> byProfile = new ArrayList<>(pending);
                        byProfile.sort(Comparator.comparing(Row::profile)
                                .thenComparingLong(Row::time)
                                .thenComparingLong(Row::seq));
                        for (Row p : byProfile) {
                            pe.setString(1, p.profile());
                            pe.setLong(2, p.time());
                            pe.setLong(3, p.seq());
                            pe.addBatch();
                        }
                        pe.executeBatch();
                        List<Row> byPair = new ArrayList<>(pending);
                        byPair.sort(Comparator.comparing(Row::profile)
                                .thenComparing(Row::brand)
                                .thenComparingLong(Row::seq));
                        for (Row p : byPair) {
                            le.setString(1, p.profile());
                            le.setString(2, p.brand());
                            le.setLong(3, p.seq());
                            le.setLong(4, p.time());
                            le.setBytes(5, p.blob());
                            le.addBatch();
                        }
                        le.executeBatch();
                        c.commit();
                        pending.clear();
                        snap += cpu.getCurrentThreadCpuTime() - s0;
                    }
                }
            }
            return new long[] {hot, snap};
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
