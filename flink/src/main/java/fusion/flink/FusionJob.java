package fusion.flink;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Fusion job: the events topic (each value a single node's log record) into the log-order
 * stage, which drops resent messageIds and runs the store's {@link fusion.store.Pipeline} without
 * its relationship half over checkpointed state; the engine stage ({@link Score}), keyed by
 * profile at the job's parallelism, which runs that half (merged profiles' states handed over
 * through the handoff topic); and the sink into the PostgreSQL serving tables, which joins the
 * two. See docs/SCALE-OUT.md for the topology and its guarantees.
 */
public final class FusionJob {
    /**
     * What the job needs to know.
     *
     * @param partitions       the topic's partitions (0: ask the broker when the job is built)
     * @param parallelism      of the source and of the engine stage (at most 128; the log-order stage and the sink run at 1)
     * @param outOfOrderness   how far behind the newest receivedAt of every partition a record may arrive and still be put in order
     * @param idleness         after how long without records a partition stops holding the order back (zero: never)
     * @param dedupeRetention  how long a messageId is remembered (zero: for ever)
     * @param bounded          stop at the topic's end offsets as of the job's start (tests, the demo)
     */
    public record Settings(
            String bootstrapServers,
            String topic,
            int partitions,
            String storeUrl,
            String groupId,
            int parallelism,
            Duration checkpointInterval,
            String stateBackend,
            Duration outOfOrderness,
            Duration idleness,
            Duration dedupeRetention,
            Map<String, String> model,
            String defaultBrand,
            boolean bounded) {
        public Settings {
            if (partitions < 0)
                throw new IllegalArgumentException("partitions must not be negative but was " + partitions);
            if (parallelism < 1)
                throw new IllegalArgumentException("parallelism must be at least 1 but was " + parallelism);
            if (parallelism > ENGINE_KEY_GROUPS) {
                throw new IllegalArgumentException("parallelism must be at most " + ENGINE_KEY_GROUPS
                        + " (the engine stage's key groups) but was " + parallelism);
            }
            if (!stateBackend.equals("rocksdb") && !stateBackend.equals("hashmap")) {
                throw new IllegalArgumentException("stateBackend must be rocksdb or hashmap but was " + stateBackend);
            }
            model = Map.copyOf(model);
        }

        public static Settings of(String bootstrapServers, String topic, String storeUrl) {
            return new Settings(
                    bootstrapServers,
                    topic,
                    0,
                    storeUrl,
                    "fusion-job",
                    2,
                    Duration.ofSeconds(10),
                    "rocksdb",
                    Duration.ofSeconds(5),
                    Duration.ofMinutes(1),
                    Duration.ofDays(7),
                    Map.of(),
                    "own",
                    false);
        }
    }

    private FusionJob() {}

    /** The options the job's environment needs: state backend, checkpointing. */
    public static Configuration configuration(Settings s) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, s.stateBackend());
        return conf;
    }

    /** Adds the job's topology to {@code env}. */
    public static void build(StreamExecutionEnvironment env, Settings s) {
        build(env, s, changes -> changes);
    }

    /** The same, with {@code beforeSink} between the log-order stage and the sink (tests inject failures there). */
    static void build(StreamExecutionEnvironment env, Settings s, UnaryOperator<DataStream<Change>> beforeSink) {
        env.configure(configuration(s));
        env.enableCheckpointing(s.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        var source = KafkaSource.<LogRecord>builder()
                .setBootstrapServers(s.bootstrapServers())
                .setTopics(s.topic())
                .setGroupId(s.groupId())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new LogRecordSchema())
                .setProperty("isolation.level", "read_committed");
        if (s.bounded()) source.setBounded(OffsetsInitializer.latest());
        // the log's order is kept by Apply from the records themselves; watermarks only mark the end of a bounded input
        WatermarkStrategy<LogRecord> order = WatermarkStrategy.<LogRecord>forBoundedOutOfOrderness(s.outOfOrderness())
                .withTimestampAssigner((r, t) -> r.receivedAt);
        int partitions = s.partitions() > 0 ? s.partitions() : partitionsOf(s.bootstrapServers(), s.topic());
        SingleOutputStreamOperator<Change> identities = env.fromSource(source.build(), order, "events topic")
                .setParallelism(s.parallelism())
                .uid("events")
                // chained to the source: a restore from before a cut of the log fails here, naming it
                .process(new RestoreCheck(s.bootstrapServers(), s.topic()))
                .name("restore check")
                .uid("restore-check")
                .setParallelism(s.parallelism())
                .keyBy(new OneLog())
                .process(new Apply(
                        s.model(),
                        s.defaultBrand(),
                        partitions,
                        s.outOfOrderness().toMillis(),
                        s.idleness().toMillis(),
                        s.dedupeRetention()))
                .name("log order, identities")
                .uid("apply")
                .setParallelism(1)
                .setMaxParallelism(1);
        String handoff = handoffTopic(s);
        long handoffStart = prepareHandoffTopic(s.bootstrapServers(), handoff);
        DataStream<Change> scored = identities
                .getSideOutput(Apply.ROUTED)
                .keyBy(new ByProfile())
                .transform(
                        "engine, keyed by profile",
                        TypeInformation.of(Change.class),
                        new Score(s.model(), s.defaultBrand(), s.bootstrapServers(), handoff, handoffStart))
                .uid("engine")
                .setParallelism(s.parallelism())
                .setMaxParallelism(ENGINE_KEY_GROUPS);
        DataStream<Change> changes = identities.union(scored);
        beforeSink
                .apply(changes)
                .sinkTo(new ServingTablesSink(s.storeUrl(), s.topic()))
                .name("serving tables")
                .uid("serving-tables")
                .setParallelism(1)
                // a task (thread) of its own: the sink's SQL writes and its checkpointed batches took
                // about half of the ordered stage's thread when chained to it (JFR, bench/results)
                .disableChaining();
    }

    /** How many partitions the topic has, as the broker says; the job must be restarted when it gains some. */
    static int partitionsOf(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .size();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot read the partitions of topic " + topic + " at " + bootstrapServers + ": " + e.getMessage(),
                    e);
        }
    }

    /** The engine stage's key groups: its parallelism can grow up to this without losing state. */
    static final int ENGINE_KEY_GROUPS = 128;

    /**
     * The topic that carries merged profiles' relationship states between the engine stage's keys:
     * the events topic's name, then {@code .handoff.}, then the consumer group (characters a topic
     * name cannot hold become {@code _}).
     */
    static String handoffTopic(Settings s) {
        String name = s.topic() + ".handoff." + s.groupId().replaceAll("[^A-Za-z0-9._-]", "_");
        return name.length() <= 249 ? name : name.substring(0, 249);
    }

    /**
     * Creates the handoff topic if it does not exist (one partition, the broker's replication, a
     * week's retention: a handoff is read within a checkpoint or two) and returns its end offset,
     * where a job that restores no state starts reading it.
     */
    static long prepareHandoffTopic(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                                    .configs(Map.of(
                                            "retention.ms",
                                            String.valueOf(Duration.ofDays(7).toMillis())))))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                    return 0; // new and empty
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
            TopicPartition p = new TopicPartition(topic, 0);
            // a topic created a moment ago (by another job) may not be known to every broker yet
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    return admin.listOffsets(Map.of(p, OffsetSpec.latest()))
                            .partitionResult(p)
                            .get(30, TimeUnit.SECONDS)
                            .offset();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    TimeUnit.MILLISECONDS.sleep(100); // the poll's interval
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot prepare the handoff topic " + topic + " at " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /** The engine stage's key: the profile a routed record belongs to. */
    static final class ByProfile implements KeySelector<Routed, String> {
        @Override
        public String getKey(Routed r) {
            return r.profile;
        }
    }

    /** Every record in the one log order. */
    static final class OneLog implements KeySelector<LogRecord, Integer> {
        @Override
        public Integer getKey(LogRecord r) {
            return 0;
        }
    }

    /** What {@code main} runs: the job's settings and the environment's options (checkpoint storage). */
    record Invocation(Settings settings, Configuration configuration) {}

    /** The options {@code main} takes, each with its value's form for the error that names it. */
    static final Map<String, String> OPTIONS = Map.of(
            "bootstrap", "HOST:PORT[,HOST:PORT...]",
            "topic", "a Kafka topic name",
            "store", "postgresql://USER[:PASSWORD]@HOST:PORT/DATABASE",
            "group", "a Kafka consumer group id",
            "parallelism", "a whole number of at least 1",
            "checkpoint-seconds", "a whole number of seconds, at least 1",
            "state", "rocksdb, hashmap or heap",
            "checkpoints", "a directory URI or path (file:///..., s3://..., hdfs://...)",
            "default-brand", "a brand id");

    /**
     * Reads {@code main}'s arguments; every problem names the option. {@code --state heap} is
     * {@code hashmap}; {@code --checkpoints DIR} keeps checkpoints in files under DIR (Flink's
     * in-memory checkpoint storage refuses the sink's batches over 5 MB), else the cluster's
     * {@code execution.checkpointing.dir} applies.
     */
    static Invocation parse(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !OPTIONS.containsKey(name)) {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'; the options are --"
                        + String.join(", --", new java.util.TreeSet<>(OPTIONS.keySet())));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("--" + name + " needs a value: " + OPTIONS.get(name));
            }
            a.put(name, args[++i]);
        }
        for (String required : new String[] {"bootstrap", "topic", "store"}) {
            if (!a.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required: " + OPTIONS.get(required));
            }
        }
        if (!a.get("store").startsWith("postgresql://")) {
            throw new IllegalArgumentException(
                    "--store expected " + OPTIONS.get("store") + " but was '" + a.get("store") + "'");
        }
        String state = a.getOrDefault("state", "rocksdb");
        if (state.equals("heap")) state = "hashmap";
        if (!state.equals("rocksdb") && !state.equals("hashmap")) {
            throw new IllegalArgumentException("--state expected " + OPTIONS.get("state") + " but was '" + state + "'");
        }
        int parallelism = positive(a, "parallelism", 2);
        int checkpointSeconds = positive(a, "checkpoint-seconds", 10);
        Settings d = Settings.of(a.get("bootstrap"), a.get("topic"), a.get("store"));
        Settings s = new Settings(
                d.bootstrapServers(),
                d.topic(),
                0,
                d.storeUrl(),
                a.getOrDefault("group", d.groupId()),
                parallelism,
                Duration.ofSeconds(checkpointSeconds),
                state,
                d.outOfOrderness(),
                d.idleness(),
                d.dedupeRetention(),
                Map.of(),
                a.getOrDefault("default-brand", d.defaultBrand()),
                false);
        Configuration conf = new Configuration();
        if (a.containsKey("checkpoints")) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, a.get("checkpoints"));
        }
        return new Invocation(s, conf);
    }

    private static int positive(Map<String, String> a, String name, int fallback) {
        String text = a.get(name);
        if (text == null) return fallback;
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // refused below, naming the option
        }
        throw new IllegalArgumentException("--" + name + " expected " + OPTIONS.get(name) + " but was '" + text + "'");
    }

    /**
     * {@code flink run fusion-job.jar --bootstrap HOST:PORT --topic events --store postgresql://...
     * [--parallelism 2] [--checkpoint-seconds 10] [--state rocksdb|hashmap|heap] [--checkpoints DIR]
     * [--group fusion-job] [--default-brand own]}
     */
    public static void main(String[] args) throws Exception {
        Invocation run = parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(run.configuration());
        build(env, run.settings());
        env.execute("fusion");
    }
}
