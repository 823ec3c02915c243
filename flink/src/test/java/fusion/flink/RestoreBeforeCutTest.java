package fusion.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fusion.core.segment.SegmentCall;
import fusion.store.LogCodec;
import fusion.store.sql.StoreUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 leftovers, item 2: Flink's {@code KafkaSource} (connector 5.0.0-2.2), started with
 * {@code OffsetsInitializer.earliest()}, forces {@code auto.offset.reset=earliest}, so a split
 * restored at an offset below the partition's log start would resume silently at the log start.
 * Here a savepoint is taken, the topic grows, one partition is cut past the savepoint's position
 * (as an erasure's cut does), and the job restored from that savepoint must fail at once, naming
 * the partition, the restored offset, the log start offset and what to do. Real broker (KRaft, in
 * this JVM), MiniCluster, parallelism 2.
 */
class RestoreBeforeCutTest {
    private static final int PARTITIONS = 2;

    @RegisterExtension
    static final MiniClusterExtension FLINK = JobWorld.miniCluster(4);

    @RegisterExtension
    static final JobWorld WORLD = new JobWorld();

    @Test
    @DisplayName("issue 14 leftovers item 2: a job restored from a savepoint older than a cut of the log fails, naming "
            + "the partition, the restored offset, the log start offset and what to do, instead of skipping records")
    void aRestoreFromBeforeACutFailsLoudly() throws Exception {
        String topic = "restore-cut-" + System.nanoTime();
        WORLD.broker().createTopic(topic, PARTITIONS);
        WORLD.broker().produce(topic, entries(Traffic.of(41, 20, 200)));
        Map<Integer, Long> atSavepoint = WORLD.broker().endOffsets(topic, PARTITIONS);
        StoreUrl store = WORLD.postgres().newDatabase();
        FusionJob.Settings settings = settings(topic, store);

        JobClient first = start(settings, null);
        await("the job's sink has written both partitions")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> progress(store, topic).size() == PARTITIONS);
        String savepoint = savepoint(first);

        WORLD.broker().produce(topic, entries(Traffic.of(42, 20, 100))); // the log goes on past the savepoint
        Map<Integer, Long> ends = WORLD.broker().endOffsets(topic, PARTITIONS);
        assertThat(ends.get(0)).isGreaterThan(atSavepoint.get(0));
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", WORLD.broker().bootstrapServers()))) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(ends.get(0))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }

        JobClient restored = start(settings, savepoint);
        Throwable failure;
        try {
            restored.getJobExecutionResult().get(3, TimeUnit.MINUTES);
            failure = null;
        } catch (java.util.concurrent.ExecutionException e) {
            failure = e;
        } catch (java.util.concurrent.TimeoutException e) {
            restored.cancel().get(60, TimeUnit.SECONDS);
            throw new AssertionError("the job restored from before the cut kept running for 3 min", e);
        }
        assertThat(failure).as("the restored job's end").isNotNull();
        String message = messages(failure);
        assertThat(message)
                .contains("partition " + topic + "/0 resumes at offset ")
                .contains("but the log now starts at offset " + ends.get(0))
                .contains("Restore from a later checkpoint or savepoint")
                .contains("without a savepoint into a fresh store")
                .doesNotContain("partition " + topic + "/1 resumes");
        Matcher m = Pattern.compile("/0 resumes at offset (\\d+)").matcher(message);
        assertThat(m.find()).isTrue();
        assertThat(Long.parseLong(m.group(1)))
                .as("the restored offset of partition 0: within what the log held at the savepoint")
                .isPositive()
                .isLessThanOrEqualTo(atSavepoint.get(0));
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause())
            b.append(c.getMessage()).append('\n');
        return b.toString();
    }

    private static List<Map.Entry<String, String>> entries(List<SegmentCall> calls) {
        return calls.stream()
                .map(c -> Map.entry(c.userId() != null ? c.userId() : c.anonymousId(), LogCodec.encode(c)))
                .toList();
    }

    private static FusionJob.Settings settings(String topic, StoreUrl store) {
        return new FusionJob.Settings(
                WORLD.broker().bootstrapServers(),
                topic,
                PARTITIONS,
                JobParityTest.text(store),
                "restore-" + topic,
                2,
                Duration.ofMillis(200),
                "hashmap",
                Duration.ofSeconds(1),
                Duration.ZERO,
                Duration.ZERO,
                Map.of(),
                "own",
                false);
    }

    private static JobClient start(FusionJob.Settings s, String savepoint) throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(2);
        FusionJob.build(env, s);
        return env.executeAsync("fusion restore check");
    }

    private static String savepoint(JobClient job) throws Exception {
        String dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("savepoints")
                .toAbsolutePath()
                .toUri()
                .toString();
        return job.stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
    }

    private static Map<Integer, Long> progress(StoreUrl store, String topic) throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(
                        "jdbc:" + JobParityTest.text(store).replaceFirst("//[^@]*@", "//"),
                        store.user(),
                        store.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT partition, next_offset FROM log_progress WHERE topic = '" + topic + "'")) {
            while (rs.next()) out.put(rs.getInt(1), rs.getLong(2));
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return out; // the sink has not created the tables yet
            throw e;
        }
        return out;
    }
}
