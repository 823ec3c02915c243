package fusion.flink;

import fusion.store.StoreFailure;
import fusion.store.sql.PostgresSink;
import fusion.store.sql.StoreUrl;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes the job's changes into the PostgreSQL serving tables the read API uses, exactly once,
 * by idempotence keyed on the log position: at every checkpoint barrier (and at the end of a
 * bounded input) the changes received since the last one are written in ONE transaction,
 * together with {@code log_progress} (how far each Kafka partition has been applied). A change
 * whose sequence number the events table already holds is skipped: after a restart from a
 * checkpoint the job emits the same changes with the same numbers again (its order depends on
 * the records alone), and the ones that reached the tables before the failure are not doubled.
 * Nothing of the changes is lost: a barrier passes the sink only after they are committed.
 *
 * <p>Runs with parallelism 1, behind the stage that numbers the log: one writer per store.
 */
final class ServingTablesSink implements Sink<Change> {
    private final String storeUrl;
    private final String topic;

    ServingTablesSink(String storeUrl, String topic) {
        this.storeUrl = storeUrl;
        this.topic = topic;
    }

    @Override
    public SinkWriter<Change> createWriter(WriterInitContext context) throws IOException {
        return new Writer(PostgresSink.open(StoreUrl.parse(storeUrl)), topic);
    }

    private static final class Writer implements SinkWriter<Change> {
        private final PostgresSink sink;
        private final String topic;
        private final List<Change> pending = new ArrayList<>();

        Writer(PostgresSink sink, String topic) {
            this.sink = sink;
            this.topic = topic; // log_progress comes with the store's migrations (V4), run by PostgresSink.open
        }

        @Override
        public void write(Change change, Context context) {
            pending.add(change);
        }

        @Override
        public void flush(boolean endOfInput) {
            if (pending.isEmpty()) return;
            try {
                long next = appliedThrough(sink.connection()) + 1;
                Map<Integer, Long> offsets = new TreeMap<>();
                for (Change c : pending) {
                    if (c.seq < next) continue; // applied before a restart from an older checkpoint
                    if (c.seq != next) {
                        throw new IllegalStateException("change " + c.seq + " arrived where " + next
                                + " was due: the serving tables and the job's state disagree");
                    }
                    Ops.replay(c.ops, sink.tx());
                    next++;
                    offsets.merge(c.partition, c.offset + 1, Math::max);
                }
                try (PreparedStatement ps = sink.connection()
                        .prepareStatement("INSERT INTO log_progress (topic, partition, next_offset) VALUES (?, ?, ?) "
                                + "ON CONFLICT (topic, partition) DO UPDATE SET next_offset = "
                                + "GREATEST(log_progress.next_offset, excluded.next_offset)")) {
                    for (var o : offsets.entrySet()) {
                        ps.setString(1, topic);
                        ps.setInt(2, o.getKey());
                        ps.setLong(3, o.getValue());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                sink.commit();
                pending.clear();
            } catch (SQLException | RuntimeException e) {
                sink.rollback();
                throw e instanceof RuntimeException r ? r : new StoreFailure("writing the serving tables", e);
            }
        }

        /** The log position the serving tables hold: the events table's last sequence number. */
        private static long appliedThrough(Connection c) throws SQLException {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM events")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public void close() {
            sink.close();
        }
    }
}
