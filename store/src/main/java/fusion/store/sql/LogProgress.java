package fusion.store.sql;

import fusion.store.StoreFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code log_progress}: per partition of a Kafka topic, the next offset the Flink job's sink
 * committed together with the serving rows. The stateless ingest tier compares it with the topic's
 * end offsets for the job's lag. One connection of its own, opened on first use and again after a
 * failure, so the store's pool is not involved.
 */
public final class LogProgress implements AutoCloseable {
    private final StoreUrl url;
    private Connection connection;

    public LogProgress(StoreUrl url) {
        this.url = java.util.Objects.requireNonNull(url, "url");
    }

    /** Partition to next offset; a partition the job has not written yet is absent. */
    public synchronized Map<Integer, Long> nextOffsets(String topic) {
        try {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(url.jdbc(), url.properties());
            }
            try (PreparedStatement s =
                    connection.prepareStatement("SELECT partition, next_offset FROM log_progress WHERE topic = ?")) {
                s.setString(1, topic);
                Map<Integer, Long> out = new TreeMap<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) out.put(rs.getInt(1), rs.getLong(2));
                }
                return out;
            }
        } catch (SQLException e) {
            close();
            throw new StoreFailure("cannot read log_progress from " + url.redacted(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the connection is gone either way
        }
        connection = null;
    }
}
