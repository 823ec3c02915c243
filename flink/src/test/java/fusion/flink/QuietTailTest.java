package fusion.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fusion.core.segment.SegmentCall;
import fusion.store.LogCodec;
import fusion.store.StateDigest;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An unbounded job whose input stops: the records still waiting for the frontier must go out once
 * every partition has been quiet for the idleness, or the last seconds of traffic before a quiet
 * period stay invisible until each partition receives something newer (the cluster demo's tail).
 */
class QuietTailTest {
    private static final int PARTITIONS = 3;

    @RegisterExtension
    static final MiniClusterExtension FLINK = JobWorld.miniCluster(2);

    @RegisterExtension
    static final JobWorld WORLD = new JobWorld();

    @Test
    @DisplayName("issue 14: when every partition has been quiet for the idleness, an unbounded job applies the "
            + "records still waiting for the frontier, and the tables equal a single node's replay")
    void quietPartitionsReleaseTheTail() throws Exception {
        // 400 calls received 10 ms apart: the last 100 (1 s of out-of-orderness) wait for a newer record
        List<SegmentCall> calls = Traffic.of(3, 40, 400);
        String topic = "quiet-tail";
        WORLD.broker().createTopic(topic, PARTITIONS);
        WORLD.broker().produce(topic, JobParityTest.records(calls));
        StoreUrl store = WORLD.postgres().newDatabase();
        FusionJob.Settings s = new FusionJob.Settings(
                WORLD.broker().bootstrapServers(),
                topic,
                PARTITIONS,
                JobParityTest.text(store),
                "quiet-" + topic,
                2,
                Duration.ofMillis(200),
                "hashmap",
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ZERO,
                Map.of(),
                "own",
                false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        FusionJob.build(env, s);
        JobClient job = env.executeAsync("fusion quiet tail");
        try {
            await("every call in the serving tables")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> events(store), n -> n == calls.size());
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        StateDigest single = singleNode(calls);
        StateDigest cluster = JobParityTest.digestOf(store);
        assertThat(cluster.rows()).isEqualTo(single.rows());
        assertThat(cluster.differences(single)).isEmpty();
    }

    /** The oracle: a single node's store given the calls in the log's order (they arrive 10 ms apart). */
    private static StateDigest singleNode(List<SegmentCall> calls) {
        try (SqlStore single = SqlStore.postgres(WORLD.postgres().newDatabase(), JobParityTest.pipeline(), true)) {
            single.ingest(
                    calls.stream().map(c -> LogCodec.decode(LogCodec.encode(c))).toList());
            return single.digest();
        }
    }

    private static long events(StoreUrl url) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database(),
                        url.user(),
                        url.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // the sink has not created the tables yet
            throw e;
        }
    }
}
