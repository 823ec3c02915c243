package fusion.flink;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.LogCodec;
import fusion.store.Pipeline;
import fusion.store.StateDigest;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job against its oracle, a single node: the same log through Kafka (three partitions, with
 * resent duplicates) and the Flink job (parallelism 2) into PostgreSQL, and through a single
 * node's store into another PostgreSQL database. Every table's digest must agree bit for bit.
 */
class JobParityTest {
    private static final int PARTITIONS = 3;
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @RegisterExtension
    static final MiniClusterExtension FLINK = JobWorld.miniCluster(4);

    @RegisterExtension
    static final JobWorld WORLD = new JobWorld();

    /** The topic's records: key userId (else anonymousId), value the log record; every 25th is sent again later. */
    static List<Map.Entry<String, String>> records(List<SegmentCall> calls) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            out.add(entry(calls.get(i)));
            if (i >= 7 && (i - 7) % 25 == 0) out.add(entry(calls.get(i - 7)));
        }
        return out;
    }

    private static Map.Entry<String, String> entry(SegmentCall c) {
        return Map.entry(c.userId() != null ? c.userId() : c.anonymousId(), LogCodec.encode(c));
    }

    static Pipeline pipeline() {
        return new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
    }

    /** The oracle: a single node's store given the log in its order, in batches as replay sends them. */
    static StateDigest singleNode(List<SegmentCall> calls) {
        try (SqlStore store = SqlStore.postgres(WORLD.postgres().newDatabase(), pipeline(), true)) {
            for (int from = 0; from < calls.size(); from += 500) {
                List<SegmentCall> batch = calls.subList(from, Math.min(calls.size(), from + 500)).stream()
                        .map(c -> LogCodec.decode(LogCodec.encode(c)))
                        .toList();
                store.ingest(batch);
            }
            return store.digest();
        }
    }

    static StateDigest digestOf(StoreUrl url) {
        try (SqlStore store = SqlStore.postgres(url, pipeline(), false)) {
            return store.digest();
        }
    }

    static String text(StoreUrl u) {
        return "postgresql://" + u.user() + (u.password() == null ? "" : ":" + u.password()) + "@" + u.host() + ":"
                + u.port() + "/" + u.database();
    }

    static FusionJob.Settings settings(String topic, StoreUrl store, String state, Duration checkpoints) {
        return new FusionJob.Settings(
                WORLD.broker().bootstrapServers(),
                topic,
                PARTITIONS,
                text(store),
                "parity-" + topic,
                2,
                checkpoints,
                state,
                Duration.ofSeconds(1),
                Duration.ZERO,
                Duration.ZERO,
                Map.of(),
                "own",
                true);
    }

    static void run(
            FusionJob.Settings s,
            java.util.function.UnaryOperator<org.apache.flink.streaming.api.datastream.DataStream<Change>> beforeSink)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(2);
        FusionJob.build(env, s, beforeSink);
        env.execute("fusion parity");
    }

    private static String newTopic(List<Map.Entry<String, String>> records) throws Exception {
        String topic = "events-" + TOPICS.incrementAndGet();
        WORLD.broker().createTopic(topic, PARTITIONS);
        WORLD.broker().produce(topic, records);
        // the fixture itself: the topic holds every record sent (a lost produce once looked like a job defect)
        long held = WORLD.broker().endOffsets(topic, PARTITIONS).values().stream()
                .mapToLong(Long::longValue)
                .sum();
        assertThat(held).as("records in topic " + topic).isGreaterThanOrEqualTo(records.size());
        return topic;
    }

    private static long count(StoreUrl url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:" + text(url).replaceFirst("//[^@]*@", "//"), url.user(), url.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @DisplayName("issue 14 parity: seeded traffic with merges and resent duplicates through Kafka and the job at "
            + "parallelism 2 gives every serving table the digest of a single node's replay of the same log")
    void parity() throws Exception {
        List<SegmentCall> calls = Traffic.of(14, 150, 3_000);
        List<Map.Entry<String, String>> records = records(calls);
        String topic = newTopic(records);
        StoreUrl store = WORLD.postgres().newDatabase();

        run(settings(topic, store, "hashmap", Duration.ofMillis(200)), changes -> changes);

        StateDigest job = digestOf(store);
        StateDigest single = singleNode(calls);
        assertThat(job.rows()).isEqualTo(single.rows());
        assertThat(job.differences(single)).isEmpty();
        // the traffic is worth running: profiles merged, a shared device was refused, many people stayed
        // apart, consent was recorded, and the resent records were dropped once each
        assertThat(count(store, "SELECT COUNT(*) FROM merges WHERE merged = 1")).isGreaterThan(50);
        assertThat(count(store, "SELECT COUNT(*) FROM merges WHERE merged = 0")).isGreaterThan(5);
        assertThat(job.rows().get("profiles")).isGreaterThan(100);
        assertThat(job.rows().get("consents")).isGreaterThan(50);
        assertThat(records.size() - calls.size()).isEqualTo((3_000 - 7 + 24) / 25);
        assertThat(job.rows().get("events")).isEqualTo(calls.size());
        assertThat(new LinkedHashSet<>(
                        calls.stream().map(SegmentCall::messageId).toList()))
                .hasSize(calls.size());
        // log_progress says each partition is applied to its end, as the broker counts it
        Map<Integer, Long> ends = WORLD.broker().endOffsets(topic, PARTITIONS);
        Map<Integer, Long> progress = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            progress.put(
                    p,
                    count(
                            store,
                            "SELECT next_offset FROM log_progress WHERE topic = '" + topic + "' AND partition = " + p));
        }
        assertThat(progress).isEqualTo(ends);
    }

    @Test
    @DisplayName("issue 14 keyed engine: many merges whose two profiles live on different engine subtasks (by key "
            + "group) hand their relationship states over through the handoff topic and give the single node's digests")
    void mergesAcrossEngineSubtasks() throws Exception {
        List<SegmentCall> calls = Traffic.of(23, 200, 2_500);
        String topic = newTopic(records(calls));
        StoreUrl store = WORLD.postgres().newDatabase();
        FusionJob.Settings s = settings(topic, store, "rocksdb", Duration.ofMillis(200));

        run(s, changes -> changes);

        StateDigest job = digestOf(store);
        StateDigest single = singleNode(calls);
        assertThat(job.rows()).isEqualTo(single.rows());
        assertThat(job.differences(single)).isEmpty();
        // the witness: every merge's handoff, read back from its topic; which subtask owns a profile is
        // Flink's assignment of the profile's key group at the engine stage's parallelism (2 of 128 groups)
        List<Handoff> handoffs = handoffs(FusionJob.handoffTopic(s));
        long merges = count(store, "SELECT COUNT(*) FROM merges WHERE merged = 1");
        assertThat(handoffs.stream().map(Handoff::seq).distinct().count())
                .as("one handoff per merge (a producer's retry may write one twice)")
                .isEqualTo(merges);
        List<Handoff> across = handoffs.stream()
                .filter(h -> subtask(h.survivor()) != subtask(h.absorbed()))
                .filter(h -> !Ops.relationships(h.states()).isEmpty())
                .toList();
        assertThat(across)
                .as("merges that moved relationship states from one engine subtask to the other")
                .hasSizeGreaterThan(25);
        // and some of them met a pair of the same brand on the survivor's side: Engine.merge ran on handed-over sums
        assertThat(count(store, "SELECT COUNT(*) FROM ledger WHERE kind = 2" /* LedgerCodec: 2 is a merge */))
                .isGreaterThan(10);
    }

    private static int subtask(String profile) {
        return org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator(
                profile, FusionJob.ENGINE_KEY_GROUPS, 2);
    }

    /** Every record of the handoff topic (one partition), decoded. */
    private static List<Handoff> handoffs(String topic) {
        Map<String, Object> c = Map.of(
                "bootstrap.servers",
                WORLD.broker().bootstrapServers(),
                "enable.auto.commit",
                false,
                "auto.offset.reset",
                "earliest");
        List<Handoff> out = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                c,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) out.add(Handoff.of(r.value()));
            }
        }
        return out;
    }

    /**
     * Fails the stream once, after {@code after} changes went by and a checkpoint has completed: at the first change
     * after that completion, or in the completion notice itself. The notice covers a stream whose changes all went
     * by before any checkpoint completed (an aligned barrier queues behind the changes buffered ahead of it; CI
     * saw the failure never fire): the final checkpoint of the bounded input then completes after them, and the
     * job fails there and restarts from it, its batches not yet committed or committed once already.
     */
    static final class FailOnce implements MapFunction<Change, Change>, CheckpointListener {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        private final long after;
        private boolean checkpointed;
        private long highest;

        FailOnce(long after) {
            this.after = after;
        }

        @Override
        public Change map(Change c) {
            highest = Math.max(highest, c.seq);
            if (checkpointed && c.seq >= after && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at change " + c.seq);
            }
            return c;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
            if (highest >= after && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at the completion of checkpoint " + checkpointId);
            }
        }
    }

    @Test
    @DisplayName("issue 14 fault: a task failure injected mid-stream (RocksDB state, restart from the last "
            + "checkpoint) still gives the single node's digests: nothing lost, nothing doubled")
    void failureMidStream() throws Exception {
        List<SegmentCall> calls = Traffic.of(41, 150, 5_000);
        String topic = newTopic(records(calls));
        StoreUrl store = WORLD.postgres().newDatabase();
        FailOnce.FAILED.set(false);

        run(
                settings(topic, store, "rocksdb", Duration.ofMillis(50)),
                changes -> changes.map(new FailOnce(1_500)).name("fail once").setParallelism(1));

        assertThat(FailOnce.FAILED).as("the failure was injected").isTrue();
        StateDigest job = digestOf(store);
        StateDigest single = singleNode(calls);
        assertThat(job.rows()).isEqualTo(single.rows());
        assertThat(job.differences(single)).isEmpty();
    }

    @Test
    @DisplayName("issue 14 fault: the job started again from the beginning of the topic over tables that already "
            + "hold the log (a restore from a checkpoint older than the tables) changes no row")
    void replayOverAppliedTables() throws Exception {
        List<SegmentCall> calls = Traffic.of(7, 50, 1_000);
        String topic = newTopic(records(calls));
        StoreUrl store = WORLD.postgres().newDatabase();
        run(settings(topic, store, "hashmap", Duration.ofMillis(200)), changes -> changes);
        StateDigest once = digestOf(store);

        run(settings(topic, store, "hashmap", Duration.ofMillis(200)), changes -> changes);

        StateDigest twice = digestOf(store);
        assertThat(twice.rows()).isEqualTo(once.rows());
        assertThat(twice.differences(once)).isEmpty();
        assertThat(once.differences(singleNode(calls))).isEmpty();
    }

    @Test
    @DisplayName("issue 14 fault: the job stopped with a savepoint mid-stream and started again from it, with the "
            + "rest of the log produced meanwhile, gives the single node's digests")
    void restartFromSavepoint() throws Exception {
        List<SegmentCall> calls = Traffic.of(99, 100, 2_000);
        List<Map.Entry<String, String>> records = records(calls);
        int half = records.size() / 2;
        String topic = newTopic(records.subList(0, half));
        StoreUrl store = WORLD.postgres().newDatabase();
        FusionJob.Settings unbounded = new FusionJob.Settings(
                WORLD.broker().bootstrapServers(),
                topic,
                0,
                text(store),
                "savepoint-" + topic,
                2,
                Duration.ofMillis(200),
                "rocksdb",
                Duration.ofSeconds(1),
                Duration.ZERO,
                Duration.ZERO,
                Map.of(),
                "own",
                false);

        JobClient first = start(unbounded, null);
        awaitEvents(store, 500);
        String savepoint = first.stopWithSavepoint(false, FLINK_TMP.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        long before = count(store, "SELECT COUNT(*) FROM events");
        assertThat(before).isBetween(500L, (long) calls.size());
        WORLD.broker().produce(topic, records.subList(half, records.size()));
        // a record waits until every partition has passed its receipt time: a last record on each, far later,
        // lets every call through (and waits itself)
        Instant later = calls.get(calls.size() - 1).receivedAt().plusSeconds(3_600);
        for (int p = 0; p < PARTITIONS; p++) {
            SegmentCall last = new SegmentCall(
                    SegmentCall.Type.TRACK,
                    "last-" + p,
                    null,
                    "last",
                    "Wishlist Synced",
                    null,
                    null,
                    null,
                    Map.of(),
                    Map.of(),
                    Map.of(),
                    Traffic.T0,
                    later);
            WORLD.broker().produce(topic, p, "last", LogCodec.encode(last));
        }

        JobClient second = start(unbounded, savepoint);
        try {
            awaitEvents(store, calls.size());
        } finally {
            second.cancel().get(60, TimeUnit.SECONDS);
        }

        StateDigest job = digestOf(store);
        StateDigest single = singleNode(calls);
        assertThat(job.rows()).isEqualTo(single.rows());
        assertThat(job.differences(single)).isEmpty();
    }

    private static final java.nio.file.Path FLINK_TMP = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"))
            .resolve("savepoints")
            .toAbsolutePath();

    private static JobClient start(FusionJob.Settings s, String savepoint) throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(2);
        FusionJob.build(env, s);
        return env.executeAsync("fusion savepoint");
    }

    /** Polls the serving tables until they hold {@code n} logged calls, for at most a minute. */
    private static void awaitEvents(StoreUrl store, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long seen = 0;
        while (System.nanoTime() < deadline) {
            try {
                seen = count(store, "SELECT COUNT(*) FROM events");
            } catch (java.sql.SQLException e) {
                if (!"42P01".equals(e.getSQLState())) throw e; // the sink has not created the tables yet
            }
            if (seen >= n) return;
            TimeUnit.MILLISECONDS.sleep(50); // the poll's interval, not a wait for an outcome
        }
        throw new AssertionError("the serving tables held " + seen + " of " + n + " calls after a minute");
    }
}
