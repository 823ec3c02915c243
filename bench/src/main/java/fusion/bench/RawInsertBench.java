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
import java.sql.Statement;
import java.time.Instant;
import java.util.Properties;

/**
 * The store's own ceiling: the same log rows Fusion writes for a call (the {@code events} table,
 * body included), inserted with plain JDBC batches of 500 per durable transaction, no HTTP, no
 * identity resolution, no scoring. Usage: {@code RawInsertBench ROWS sqlite|postgresql://...};
 * {@code RawInsertBench reset postgresql://...} drops and re-creates Fusion's tables there.
 */
public final class RawInsertBench {
    private RawInsertBench() {}

    public static void main(String[] a) throws Exception {
        Pipeline pipeline = new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
        if (a[0].equals("reset")) {
            StoreUrl url = StoreUrl.parse(a[1]);
            SqlStore.dropAll(url);
            SqlStore.migrate(url);
            return;
        }
        int rows = Integer.parseInt(a[0]);
        Connection c;
        String label;
        if (a[1].equals("sqlite")) {
            Path dir = Files.createTempDirectory("fusion-raw");
            SqlStore.sqlite(dir, pipeline).close();
            c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
            }
            label = "sqlite raw insert";
        } else {
            StoreUrl url = StoreUrl.parse(a[1]);
            SqlStore.dropAll(url);
            SqlStore.migrate(url);
            Properties p = new Properties();
            if (url.user() != null) p.setProperty("user", url.user());
            if (url.password() != null) p.setProperty("password", url.password());
            p.setProperty("reWriteBatchedInserts", "true");
            c = DriverManager.getConnection(
                    "jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database(), p);
            label = "postgresql raw insert";
        }
        c.setAutoCommit(false);
        long start = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (seq, message_id, type, name, profile, "
                + "event_time, received_at, brand, channel, purpose, scored, body) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            long now = Instant.now().toEpochMilli();
            for (int i = 0; i < rows; i++) {
                int who = i % 2_000;
                ps.setLong(1, i + 1);
                ps.setString(2, "raw-" + i);
                ps.setString(3, "track");
                ps.setString(4, "Order Completed");
                ps.setString(5, "u" + who);
                ps.setLong(6, now + i);
                ps.setLong(7, now + i);
                ps.setString(8, "glitter");
                ps.setString(9, "web");
                ps.setString(10, "purchase");
                ps.setInt(11, 1);
                ps.setString(
                        12,
                        "{\"type\":\"track\",\"messageId\":\"raw-" + i + "\",\"userId\":\"u" + who
                                + "\",\"event\":\"Order Completed\",\"properties\":{\"brand\":\"glitter\",\"revenue\":"
                                + (i % 150)
                                + "},\"timestamp\":\"2026-11-24T10:00:00Z\",\"receivedAt\":\"2026-11-24T10:00:01Z\"}");
                ps.addBatch();
                if ((i + 1) % 500 == 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            ps.executeBatch();
            c.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        c.close();
        System.out.printf(
                "%-28s %,9.0f rows/s (%,d rows in batches of 500, one durable commit each)%n",
                label, rows / seconds, rows);
    }
}
