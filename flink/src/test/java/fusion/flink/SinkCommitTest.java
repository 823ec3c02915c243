package fusion.flink;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.store.Tx;
import fusion.store.sql.StoreUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the sink's committer and its checkpointed batches cost: one transaction per commit, bytes made once. */
class SinkCommitTest {
    private static Change logged(long seq) {
        Ops ops = new Ops();
        Instant at = Instant.ofEpochMilli(1_700_000_000_000L + seq);
        ops.createProfile("p" + seq, at);
        ops.append(
                new Tx.LoggedEvent("m" + seq, "track", "Viewed", "p" + seq, at, at, "acme", "web", null, false, "{}"));
        return new Change(seq, (int) (seq % 3), seq, ops.toBytes());
    }

    /** A request as Flink hands it to the committer, remembering what the committer signalled. */
    private static final class Request implements Committer.CommitRequest<ServingTablesSink.Batch> {
        final ServingTablesSink.Batch batch;
        final List<String> signals = new ArrayList<>();

        Request(ServingTablesSink.Batch batch) {
            this.batch = batch;
        }

        @Override
        public ServingTablesSink.Batch getCommittable() {
            return batch;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            signals.add("failed: " + t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            signals.add("failed: " + t);
        }

        @Override
        public void retryLater() {
            signals.add("retry");
        }

        @Override
        public void updateAndRetryLater(ServingTablesSink.Batch committable) {
            signals.add("retry");
        }

        @Override
        public void signalAlreadyCommitted() {
            signals.add("already committed");
        }
    }

    @Test
    @DisplayName("issue 14 sink: the batches of one commit call (several checkpoints after a restore) are written in "
            + "one transaction, every row and log_progress with the same transaction id")
    void theBatchesOfOneCommitAreOneTransaction() throws Exception {
        StoreUrl url = Broker.postgres().newDatabase();
        ServingTablesSink sink = new ServingTablesSink(JobParityTest.text(url), "t");
        List<Request> requests = List.of(
                new Request(new ServingTablesSink.Batch(List.of(logged(4), logged(5)))),
                new Request(new ServingTablesSink.Batch(List.of(logged(1), logged(2), logged(3)))),
                new Request(new ServingTablesSink.Batch(List.of(logged(6)))));
        Committer<ServingTablesSink.Batch> committer = sink.createCommitter(null);
        try {
            committer.commit(new ArrayList<>(requests));
        } finally {
            committer.close();
        }

        for (Request r : requests) assertThat(r.signals).isEmpty();
        // xmin is the id of the transaction that wrote a row: one id over six events and the progress rows
        assertThat(query(url, "SELECT COUNT(*) FROM events")).isEqualTo(6);
        assertThat(query(
                        url,
                        "SELECT COUNT(DISTINCT xmin::text) FROM (SELECT xmin FROM events UNION ALL "
                                + "SELECT xmin FROM profiles UNION ALL SELECT xmin FROM log_progress) AS r"))
                .isEqualTo(1);
        assertThat(query(url, "SELECT next_offset FROM log_progress WHERE topic = 't/seq'"))
                .isEqualTo(7);
    }

    @Test
    @DisplayName("issue 14 sink: a batch read from a checkpoint is written to the next one as the very bytes it was "
            + "read from, and they decode to the same changes")
    void aBatchKeepsItsBytes() throws Exception {
        var serializer = new ServingTablesSink.BatchSerializer();
        Change joined = new Change(7, 2, 70, logged(7).ops, new byte[] {1, 2, 3}, Change.WHOLE);
        byte[] first = serializer.serialize(new ServingTablesSink.Batch(List.of(logged(6), joined)));

        ServingTablesSink.Batch read = serializer.deserialize(serializer.getVersion(), first);

        assertThat(serializer.serialize(read)).isSameAs(first);
        assertThat(read.changes()).hasSize(2);
        Change c = read.changes().get(1);
        assertThat(List.of(c.seq, (long) c.partition, c.offset, (long) c.part)).containsExactly(7L, 2L, 70L, 0L);
        assertThat(c.ops).isEqualTo(joined.ops);
        assertThat(c.engineOps).containsExactly(1, 2, 3);
        assertThat(read.changes().get(0).engineOps).isNull();
        // 4 (count) + per change 8 + 4 + 8 + 4 + ops + 1 + 4 (+ engine half): the format's layout, by hand
        assertThat(first).hasSize(4 + (29 + logged(6).ops.length) + (29 + joined.ops.length + 3));
    }

    private static long query(StoreUrl url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:" + JobParityTest.text(url).replaceFirst("//[^@]*@", "//"), url.user(), url.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
