package fusion.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.ErasureCommand;
import fusion.store.LogCodec;
import fusion.store.Pipeline;
import fusion.store.StateDigest;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A person's erasure in cluster mode, end to end: the erasure command in the topic, the job
 * (parallelism 2, RocksDB) applying it, a restart from a savepoint taken BEFORE the command, the
 * log cut once the job is past it. Then the person must be nowhere: not in Kafka's retained log,
 * not in the job's state (read out of a savepoint with Flink's State Processor API), not in the
 * serving tables; and everyone else's tables must equal a single node's replay of the log without
 * the person (the oracle: the same calls minus theirs, through a single node's store).
 */
class JobErasureTest {
    private static final int PARTITIONS = 3;
    /** Every id, messageId and profile of the erased person contains this; nothing else does. */
    private static final String MARK = "erasee";
    /** Whether the test cuts the handoff topic as an ingest server does (false: shows the test fails without). */
    private static final boolean CUT_HANDOFFS = !Boolean.getBoolean("fusion.test.noHandoffCut");

    @RegisterExtension
    static final MiniClusterExtension FLINK = JobWorld.miniCluster(4);

    @RegisterExtension
    static final JobWorld WORLD = new JobWorld();

    @Test
    @DisplayName(
            "issue 14 erasure: after an erasure command and a restart from a savepoint taken before it, the person "
                    + "is nowhere in Kafka's retained log, the job's state or the serving tables, and everyone else's tables "
                    + "equal a single node's replay of the log without them")
    void erasureSurvivesARestartFromBeforeIt() throws Exception {
        List<SegmentCall> traffic = Traffic.of(23, 80, 1_500);
        List<SegmentCall> theirs = erasee(traffic);
        List<SegmentCall> before = new ArrayList<>(traffic);
        before.addAll(theirs);
        before.sort(LOG_ORDER);
        String topic = "erasure-" + System.nanoTime();
        WORLD.broker().createTopic(topic, PARTITIONS);
        List<Map.Entry<String, String>> records = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            records.add(entry(before.get(i)));
            if (i % 40 == 39) records.add(entry(before.get(i - 20))); // resent copies, dropped by the job
        }
        WORLD.broker().produce(topic, records);
        StoreUrl store = WORLD.postgres().newDatabase();
        FusionJob.Settings settings = settings(topic, store);

        // 1. the job applies the log; a savepoint is taken BEFORE any erasure
        JobClient first = start(settings, null);
        await("the person's calls in the serving tables")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsMatching(e -> e instanceof SQLException) // the sink creates the tables
                .until(() ->
                        count(store, "SELECT COUNT(*) FROM events WHERE message_id LIKE 'erasee%'") == theirs.size());
        String beforeErasure = savepoint(first);
        String profile = query(store, "SELECT profile FROM identities WHERE identity = 'user:erasee-u'");
        assertThat(profile).as("the read API's profile of the person").contains(MARK);
        List<String> ids = new ArrayList<>();
        for (String key : queryAll(store, "SELECT identity FROM identities WHERE profile = '" + profile + "'")) {
            ids.add(key.substring(key.indexOf(':') + 1));
        }
        assertThat(ids).contains("erasee-u", "erasee-b", "erasee-d"); // two merges made them one profile

        // 2. the ingest tier writes the erasure command, then life goes on: a retry of one of their calls
        // (same messageId, stamped later), later calls of others in every partition, and a far later
        // record on each partition that lets the log's order pass everything before it
        Instant last = before.get(before.size() - 1).receivedAt();
        ErasureCommand command = new ErasureCommand("erase-1", last.plusMillis(100), profile, ids, "admin:test");
        WORLD.broker().produce(topic, List.of(Map.entry(command.key(), command.encode())));
        SegmentCall retried = withReceivedAt(theirs.get(3), last.plusMillis(200));
        WORLD.broker().produce(topic, List.of(entry(retried)));
        List<SegmentCall> later = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            SegmentCall c = withReceivedAt(traffic.get(10 + p), last.plusMillis(300 + p));
            c = new SegmentCall(
                    c.type(),
                    "later-" + p,
                    c.userId(),
                    c.anonymousId(),
                    c.event(),
                    c.name(),
                    c.groupId(),
                    c.previousId(),
                    c.properties(),
                    c.traits(),
                    c.context(),
                    c.timestamp(),
                    c.receivedAt());
            later.add(c);
            WORLD.broker().produce(topic, p, KafkaKey.of(c), LogCodec.encode(c));
        }
        Map<Integer, Long> applied = WORLD.broker().endOffsets(topic, PARTITIONS); // all of it must be applied
        for (int p = 0; p < PARTITIONS; p++) {
            WORLD.broker().produce(topic, p, "frontier", LogCodec.encode(frontier(p, last.plusSeconds(3_600))));
        }

        // 3. the job, restored from the savepoint, applies the erasure and everything after it
        JobClient second = start(settings, beforeErasure);
        await("log_progress past every record before the frontier's")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> progress(store, topic).equals(applied));
        second.cancel().get(60, TimeUnit.SECONDS);

        // 4. a restart from the savepoint taken BEFORE the erasure: the command is still in the log, so the
        // restored job meets it again and the person leaves its state again; its state is then saved
        Seen.CHANGES.clear();
        JobClient third = start(settings, beforeErasure);
        await("the restarted job past every record before the frontier's")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Seen.passed(applied));
        String afterRestart = savepoint(third);

        // 5. the ingest tier cuts the log once log_progress shows the job past the person's last record
        Map<Integer, Long> lastOfTheirs = lastRecordsNaming(topic, MARK);
        assertThat(lastOfTheirs).as("the person's records in the log").isNotEmpty();
        Map<Integer, Long> progress = progress(store, topic);
        Map<TopicPartition, RecordsToDelete> cut = new HashMap<>();
        lastOfTheirs.forEach((p, offset) -> {
            assertThat(progress.get(p)).as("log_progress of partition " + p).isGreaterThan(offset);
            cut.put(new TopicPartition(topic, p), RecordsToDelete.beforeOffset(offset + 1));
        });
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", WORLD.broker().bootstrapServers()))) {
            admin.deleteRecords(cut).all().get(60, TimeUnit.SECONDS);
        }

        // the person is nowhere: the retained log ...
        assertThat(lastRecordsNaming(topic, MARK))
                .as("retained records naming the person")
                .isEmpty();
        assertThat(retained(topic)).as("records retained after the cut").isGreaterThanOrEqualTo(2L * PARTITIONS);
        // ... and the handoff topic: the person's merges wrote their relationship states there; they are cut the
        // way an ingest server does (ClusterErasures): up to the last handoff of a merge at or before the seq the
        // job committed, every handoff before it being of such a merge, after a marker with that bound
        String handoffTopic = FusionJob.handoffTopic(settings);
        assertThat(handoffsNaming(handoffTopic, MARK))
                .as("handoffs naming the person before the cut")
                .isNotZero();
        // the cut: up to the person's last handoff; the bound: the latest merge among the handoffs it removes, all
        // written before the erasure and done in the third job's state (it passed everything before the command).
        // Not the store's committed position, as an ingest server takes: the state restored below is the third
        // job's, behind the second job's commits, and a key of it waiting for a later merge would make the
        // restored job refuse to run, naming the merge (docs/SCALE-OUT.md, point 4)
        long lastHandoff = -1;
        for (ConsumerRecord<byte[], byte[]> r : consume(handoffTopic, 1)) {
            if (new String(r.value(), StandardCharsets.ISO_8859_1).contains(MARK)) lastHandoff = r.offset();
        }
        long committed = -1;
        for (ConsumerRecord<byte[], byte[]> r : consume(handoffTopic, 1)) {
            long seq = java.nio.ByteBuffer.wrap(r.value(), 1, Long.BYTES).getLong();
            if (r.offset() <= lastHandoff) committed = Math.max(committed, seq);
        }
        assertThat(committed)
                .as("the bound: a merge the job committed")
                .isLessThan(progress(store, ServingTablesSink.orderOf(topic)).get(0));
        if (CUT_HANDOFFS) {
            byte[] marker = java.nio.ByteBuffer.allocate(1 + Long.BYTES)
                    .put((byte) 2)
                    .putLong(committed)
                    .array();
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                    Map.of("bootstrap.servers", WORLD.broker().bootstrapServers()),
                    new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(handoffTopic, 0, null, marker))
                        .get(60, TimeUnit.SECONDS);
            }
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", WORLD.broker().bootstrapServers()))) {
                admin.deleteRecords(Map.of(
                                new TopicPartition(handoffTopic, 0), RecordsToDelete.beforeOffset(lastHandoff + 1)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(handoffsNaming(handoffTopic, MARK))
                .as("retained handoff records naming the person")
                .isZero();
        // ... the job's state, as the savepoint taken after the restart holds it ...
        List<String> state = stateOf(afterRestart);
        assertThat(state).as("entries in the job's state").hasSizeGreaterThan(500);
        assertThat(state.stream().filter(s -> s.contains(MARK)).toList())
                .as("state entries naming the person")
                .isEmpty();
        // ... the serving tables
        for (String sql : List.of(
                "SELECT COUNT(*) FROM events WHERE body LIKE '%erasee%' OR profile LIKE '%erasee%'",
                "SELECT COUNT(*) FROM identities WHERE identity LIKE '%erasee%' OR profile LIKE '%erasee%'",
                "SELECT COUNT(*) FROM profiles WHERE id LIKE '%erasee%'",
                "SELECT COUNT(*) FROM merges WHERE survivor LIKE '%erasee%' OR absorbed LIKE '%erasee%'",
                "SELECT COUNT(*) FROM relationships WHERE party LIKE '%erasee%'",
                "SELECT COUNT(*) FROM ledger WHERE party LIKE '%erasee%' OR event_id LIKE '%erasee%'",
                "SELECT COUNT(*) FROM consents WHERE profile LIKE '%erasee%'")) {
            assertThat(count(store, sql)).as(sql).isZero();
        }
        assertThat(count(store, "SELECT COUNT(*) FROM erasures"))
                .as("erasures recorded")
                .isEqualTo(1);
        // 6. after the cut, someone else merges (after the erasure's position in the log): the job restored from
        // the savepoint taken after the erasure, whose subtasks' handoff read positions the cut passed, completes it
        Instant late = last.plusSeconds(7_200);
        String user = traffic.stream()
                .map(SegmentCall::userId)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElseThrow();
        SegmentCall template = traffic.get(10);
        SegmentCall browse = new SegmentCall(
                SegmentCall.Type.TRACK,
                "late-m1",
                null,
                "late-anon",
                "Order Completed",
                null,
                null,
                null,
                Map.of("brand", "glitter", "revenue", 77, "wow", true, "wait_seconds", 30),
                Map.of(),
                template.context(),
                late,
                late);
        SegmentCall merge = new SegmentCall(
                SegmentCall.Type.IDENTIFY,
                "late-m2",
                user,
                "late-anon",
                null,
                null,
                null,
                null,
                Map.of(),
                Map.of("plan", "silver"),
                template.context(),
                late.plusMillis(10),
                late.plusMillis(10));
        for (SegmentCall c : List.of(browse, merge))
            WORLD.broker().produce(topic, 0, KafkaKey.of(c), LogCodec.encode(c));
        later.add(browse);
        later.add(merge);
        // the frontier records of step 2 now lie before the log's order's new frontier: the job applies them
        for (int p = 0; p < PARTITIONS; p++) later.add(frontier(p, last.plusSeconds(3_600)));
        Map<Integer, Long> appliedLate = WORLD.broker().endOffsets(topic, PARTITIONS);
        for (int p = 0; p < PARTITIONS; p++) {
            WORLD.broker().produce(topic, p, "frontier", LogCodec.encode(frontier(p, late.plusSeconds(3_600))));
        }
        JobClient fourth = start(settings, afterRestart);
        await("log_progress past the merge after the cut")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> progress(store, topic).equals(appliedLate));
        fourth.cancel().get(60, TimeUnit.SECONDS);
        assertThat(count(
                        store,
                        "SELECT COUNT(*) FROM merges WHERE survivor LIKE '%late-anon%' "
                                + "OR absorbed LIKE '%late-anon%'"))
                .as("the merge after the erasure, in the tables")
                .isEqualTo(1);
        assertThat(handoffsNaming(handoffTopic, MARK))
                .as("retained handoff records naming the person, after the later merge")
                .isZero();

        // and everyone else's rows are a single node's replay of the log without the person
        List<SegmentCall> without = new ArrayList<>(traffic);
        without.addAll(later);
        without.sort(LOG_ORDER);
        StateDigest job = digestOf(store);
        StateDigest single = singleNode(without);
        assertThat(job.rows()).isEqualTo(single.rows());
        assertThat(job.differences(single)).isEmpty();
    }

    /** The log's order: receipt time, then messageId. */
    private static final Comparator<SegmentCall> LOG_ORDER =
            Comparator.comparing(SegmentCall::receivedAt).thenComparing(SegmentCall::messageId);

    /**
     * The erased person's calls, slotted between the traffic's: browsing on a browser and on a phone,
     * then an identify and an alias that merge both into their user profile, consent, purchases and
     * tickets on brands others introduced. Nothing of theirs reaches anyone else.
     */
    private static List<SegmentCall> erasee(List<SegmentCall> traffic) {
        List<SegmentCall> out = new ArrayList<>();
        String[][] plan = {
            {"track", null, "erasee-b", "Product Viewed", "glitter"},
            {"track", "erasee-u", null, "Order Completed", "brewline"},
            {"identify", "erasee-u", "erasee-b", null, null},
            {"track", null, "erasee-d", "Ticket Resolved", "glitter"},
            {"alias", "erasee-u", "erasee-d", null, null},
            {"consent", "erasee-u", null, "Consent Granted", null},
            {"track", "erasee-u", null, "Membership Renewed", "brewline"},
            {"track", null, "erasee-b", "Delivery Failed", "glitter"},
            {"track", "erasee-u", null, "Order Completed", "glitter"},
            {"track", "erasee-u", null, "Ticket Reopened", "brewline"},
        };
        for (int k = 0; k < plan.length; k++) {
            String[] s = plan[k];
            Instant received = traffic.get(100 + 90 * k).receivedAt().plusMillis(5);
            Instant at = Traffic.T0.plus(Duration.ofHours(5L * k + 1));
            Map<String, Object> props = new LinkedHashMap<>();
            SegmentCall.Type type = SegmentCall.Type.TRACK;
            String previous = null;
            String user = s[1], anon = s[2];
            Map<String, Object> traits = Map.of();
            switch (s[0]) {
                case "identify" -> {
                    type = SegmentCall.Type.IDENTIFY;
                    traits = Map.of("name", "Erasee Person", "plan", "gold");
                }
                case "alias" -> {
                    type = SegmentCall.Type.ALIAS;
                    previous = anon;
                    anon = null;
                }
                case "consent" -> {
                    props.put("purpose", "marketing");
                    props.put("channel", "email");
                }
                default -> {
                    props.put("brand", s[4]);
                    props.put("revenue", 40 + k);
                    props.put("wow", k % 3 == 0);
                    props.put("wait_seconds", 60 * k);
                }
            }
            out.add(new SegmentCall(
                    type,
                    "erasee-m" + k,
                    user,
                    anon,
                    type == SegmentCall.Type.TRACK ? s[3] : null,
                    null,
                    null,
                    previous,
                    props,
                    traits,
                    Map.of(),
                    at,
                    received));
        }
        return out;
    }

    private static SegmentCall withReceivedAt(SegmentCall c, Instant received) {
        return new SegmentCall(
                c.type(),
                c.messageId(),
                c.userId(),
                c.anonymousId(),
                c.event(),
                c.name(),
                c.groupId(),
                c.previousId(),
                c.properties(),
                c.traits(),
                c.context(),
                c.timestamp(),
                received);
    }

    /** A record far later than the rest: it lets the log's order pass everything before it (and waits itself). */
    private static SegmentCall frontier(int partition, Instant at) {
        return new SegmentCall(
                SegmentCall.Type.TRACK,
                "frontier-" + partition,
                null,
                "frontier",
                "Wishlist Synced",
                null,
                null,
                null,
                Map.of(),
                Map.of(),
                Map.of(),
                Traffic.T0,
                at);
    }

    /** The topic's key of a call, as the ingest tier writes it. */
    private static final class KafkaKey {
        static String of(SegmentCall c) {
            return c.userId() != null ? c.userId() : c.anonymousId();
        }
    }

    private static Map.Entry<String, String> entry(SegmentCall c) {
        return Map.entry(KafkaKey.of(c), LogCodec.encode(c));
    }

    /** Records every change that reaches the sink: how far in each partition the job has come. */
    static final class Seen implements MapFunction<Change, Change> {
        static final Map<Integer, Long> CHANGES = new ConcurrentHashMap<>();

        @Override
        public Change map(Change c) {
            CHANGES.merge(c.partition, c.offset + 1, Math::max);
            return c;
        }

        static boolean passed(Map<Integer, Long> offsets) {
            return offsets.entrySet().stream().allMatch(e -> CHANGES.getOrDefault(e.getKey(), 0L) >= e.getValue());
        }
    }

    private static FusionJob.Settings settings(String topic, StoreUrl store) {
        return new FusionJob.Settings(
                WORLD.broker().bootstrapServers(),
                topic,
                PARTITIONS,
                JobParityTest.text(store),
                "erasure-" + topic,
                2,
                Duration.ofMillis(200),
                "rocksdb",
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
        FusionJob.build(
                env,
                s,
                changes -> changes.map(new Seen()).name("seen").uid("seen").setParallelism(1));
        return env.executeAsync("fusion erasure");
    }

    private static String savepoint(JobClient job) throws Exception {
        String dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("savepoints")
                .toAbsolutePath()
                .toUri()
                .toString();
        return job.stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
    }

    /** Every key and value of every state of the job's ordered stage, as text. */
    private static List<String> stateOf(String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SavepointReader reader = SavepointReader.read(env, savepoint);
        List<String> out = new ArrayList<>();
        reader.readKeyedState(OperatorIdentifier.forUid("apply"), new StateText())
                .executeAndCollect("read the job's state")
                .forEachRemaining(out::add); // the iterator closes itself once it has delivered everything
        SavepointReader engine = SavepointReader.read(env, savepoint);
        engine.readKeyedState(OperatorIdentifier.forUid("engine"), new EngineStateText())
                .executeAndCollect("read the engine stage's state")
                .forEachRemaining(out::add);
        return out;
    }

    /** Reads the engine stage's states by the descriptors {@link Score} registers, each entry as "engine key: state = value". */
    static final class EngineStateText extends KeyedStateReaderFunction<String, String> {
        private transient ValueState<byte[]> relationships;
        private transient ValueState<Long> awaiting;
        private transient ListState<Routed> held;
        private transient MapState<Long, byte[]> handedOff;

        @Override
        public void open(OpenContext context) {
            var rc = getRuntimeContext();
            relationships = rc.getState(
                    new ValueStateDescriptor<>("relationships", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            awaiting = rc.getState(new ValueStateDescriptor<>("awaiting-handoff", Types.LONG));
            held = rc.getListState(new ListStateDescriptor<>("held", TypeInformation.of(Routed.class)));
            handedOff = rc.getMapState(new MapStateDescriptor<>(
                    "handed-off", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        }

        @Override
        public void readKey(String key, Context ctx, Collector<String> out) throws Exception {
            byte[] states = relationships.value();
            if (states != null) out.collect("engine " + key + ": relationships = " + StateText.text(states));
            if (awaiting.value() != null) out.collect("engine " + key + ": awaiting = " + awaiting.value());
            for (Routed r : held.get()) out.collect("engine " + key + ": held = " + r.profile + " " + r.body);
            for (Map.Entry<Long, byte[]> e : handedOff.entries()) {
                out.collect("engine " + key + ": handed-off " + e.getKey() + " = " + StateText.text(e.getValue()));
            }
        }
    }

    /** Reads the ordered stage's states by the descriptors {@link Apply} registers, each entry as "state: key = value". */
    static final class StateText extends KeyedStateReaderFunction<Integer, String> {
        private transient Map<String, MapState<?, ?>> states;

        @Override
        public void open(OpenContext context) {
            var rc = getRuntimeContext();
            states = new LinkedHashMap<>();
            for (String name :
                    List.of("profile-of-identity", "identities-of-profile", "message-ids", "absorbed-into-profile")) {
                states.put(name, rc.getMapState(new MapStateDescriptor<>(name, Types.STRING, Types.STRING)));
            }
            states.put(
                    "relationships-of-party",
                    rc.getMapState(new MapStateDescriptor<>(
                            "relationships-of-party",
                            Types.STRING,
                            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)));
            states.put(
                    "erased-names",
                    rc.getMapState(new MapStateDescriptor<>("erased-names", Types.STRING, Types.BOOLEAN)));
            states.put(
                    "waiting",
                    rc.getMapState(new MapStateDescriptor<>(
                            "waiting", Types.LONG, Types.LIST(TypeInformation.of(LogRecord.class)))));
        }

        @Override
        public void readKey(Integer key, Context ctx, Collector<String> out) throws Exception {
            for (var s : states.entrySet()) {
                for (Map.Entry<?, ?> e : s.getValue().entries()) {
                    out.collect(s.getKey() + ": " + e.getKey() + " = " + text(e.getValue()));
                }
            }
        }

        static String text(Object v) {
            if (v instanceof byte[] b) return new String(b, StandardCharsets.ISO_8859_1); // ids are written as UTF
            if (v instanceof List<?> l) {
                StringBuilder sb = new StringBuilder();
                for (Object o : l)
                    sb.append(o instanceof LogRecord r ? r.messageId + " " + r.body : o)
                            .append('\n');
                return sb.toString();
            }
            return String.valueOf(v);
        }
    }

    /** Partition to the offset of the last retained record whose key or value contains {@code text}. */
    private static Map<Integer, Long> lastRecordsNaming(String topic, String text) {
        Map<Integer, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : consume(topic)) {
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
            if (key.contains(text) || value.contains(text)) last.merge(r.partition(), r.offset(), Math::max);
        }
        return last;
    }

    /** The retained records of the (one-partition) handoff topic that contain {@code text}. */
    private static long handoffsNaming(String topic, String text) {
        return consume(topic, 1).stream()
                .filter(r -> new String(r.value(), StandardCharsets.ISO_8859_1).contains(text))
                .count();
    }

    private static long retained(String topic) {
        return consume(topic).size();
    }

    /** Every retained record of the topic, read from each partition's log start to its end. */
    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic) {
        return consume(topic, PARTITIONS);
    }

    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, WORLD.broker().bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int i = 0; i < partitions; i++) parts.add(new TopicPartition(topic, i));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(30)) < ends.get(tp))) {
                if (System.nanoTime() > deadline) throw new AssertionError("reading " + topic + " took over 60 s");
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static Map<Integer, Long> progress(StoreUrl store, String topic) throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        try (Connection c = connect(store);
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

    private static Connection connect(StoreUrl url) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:" + JobParityTest.text(url).replaceFirst("//[^@]*@", "//"), url.user(), url.password());
    }

    private static long count(StoreUrl url, String sql) throws SQLException {
        return Long.parseLong(query(url, sql));
    }

    private static String query(StoreUrl url, String sql) throws SQLException {
        List<String> all = queryAll(url, sql);
        if (all.size() != 1) throw new AssertionError(sql + " gave " + all.size() + " rows");
        return all.get(0);
    }

    private static List<String> queryAll(StoreUrl url, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static Pipeline pipeline() {
        return new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
    }

    /** The oracle: a single node's store given the calls in the log's order. */
    private static StateDigest singleNode(List<SegmentCall> calls) {
        try (SqlStore store = SqlStore.postgres(WORLD.postgres().newDatabase(), pipeline(), true)) {
            for (int from = 0; from < calls.size(); from += 500) {
                store.ingest(calls.subList(from, Math.min(calls.size(), from + 500)).stream()
                        .map(c -> LogCodec.decode(LogCodec.encode(c)))
                        .toList());
            }
            return store.digest();
        }
    }

    private static StateDigest digestOf(StoreUrl url) {
        try (SqlStore store = SqlStore.postgres(url, pipeline(), false)) {
            return store.digest();
        }
    }
}
