package fusion.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.engine.ModelConfig;
import fusion.flink.FusionJob;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.server.demo.DemoLoader;
import fusion.server.demo.Scenario;
import fusion.server.log.KafkaLog;
import fusion.server.log.KafkaUrl;
import fusion.store.Store;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The scale-out path on one machine: a Kafka broker (KRaft, in this JVM), PostgreSQL (the one
 * named, else a throw-away cluster from the system's binaries), the Fusion job on a Flink
 * MiniCluster at parallelism 2, and an ingest server with {@code --log kafka://...}; then the
 * seeded demo scenario goes through the ingest tier's HTTP API as an SDK would send it.
 */
final class ClusterDemo implements AutoCloseable {
    static final String TOPIC = "fusion-calls";

    /**
     * @param store      the PostgreSQL database to use; empty: a throw-away one
     * @param end        the scenario ends here (its events lie in the 60 days before)
     */
    record Options(
            int consumers,
            long seed,
            Instant end,
            Optional<StoreUrl> store,
            String host,
            int port,
            int partitions,
            Duration checkpointInterval,
            String state) {
        Options {
            if (consumers < 1) throw new IllegalArgumentException("consumers must be at least 1 but was " + consumers);
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1 but was " + partitions);
            }
        }
    }

    /** No PostgreSQL was named and none is installed here. */
    static final class NoPostgres extends IllegalStateException {
        NoPostgres() {
            super("no PostgreSQL to write the serving tables to: none was named with --store and no PostgreSQL is "
                    + "installed here (/usr/lib/postgresql/*/bin/initdb). Install it (apt-get install postgresql; "
                    + "the demo then starts a throw-away server of its own) or point the demo at one with --store "
                    + "postgresql://USER:PASSWORD@HOST:PORT/DATABASE (an empty database).");
        }
    }

    private final Options options;
    private final PrintStream out;
    private final AtomicLong sent = new AtomicLong();
    private DemoBroker broker;
    private StoreUrl storeUrl;
    private JobClient job;
    private FusionServer server;
    private KafkaLog log;
    private Credentials credentials;
    private Path checkpoints;
    private ScheduledExecutorService ticker;
    private int total;

    private ClusterDemo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Starts every part, in the order each needs the one before; on a failure what started is stopped. */
    static ClusterDemo start(Options options, PrintStream out) throws Exception {
        ClusterDemo d = new ClusterDemo(options, out);
        try {
            d.startParts();
        } catch (Exception | Error e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void startParts() throws Exception {
        storeUrl = options.store().isPresent() ? options.store().get() : throwAwayDatabase();
        out.println("cluster-demo: serving tables in " + storeUrl.redacted());
        var pipeline = FusionServer.pipeline(ModelConfig.defaults());
        Store store = SqlStore.postgres(storeUrl, pipeline, true); // migrated here, before the job's sink opens it
        try {
            long held = store.stats().events();
            if (held > 0) {
                throw new IllegalArgumentException("--store " + storeUrl.redacted() + " already holds " + held
                        + " events; the cluster demo needs an empty database (name another, or drop Fusion's "
                        + "tables there: ./fusion demo --reset --store ... does)");
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }

        out.println("cluster-demo: starting a Kafka broker (KRaft, in this JVM)...");
        try {
            broker = DemoBroker.start();
            broker.createTopic(TOPIC, options.partitions());
        } catch (Exception e) {
            store.close();
            throw e;
        }
        out.printf(
                "cluster-demo: Kafka at %s, topic %s with %d partitions%n",
                broker.bootstrapServers(), TOPIC, options.partitions());

        out.println("cluster-demo: starting the Fusion job on a Flink MiniCluster (parallelism 2)...");
        checkpoints = Files.createTempDirectory("fusion-cluster-demo-checkpoints-");
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        FusionJob.Settings defaults = FusionJob.Settings.of(broker.bootstrapServers(), TOPIC, text(storeUrl));
        FusionJob.build(
                env,
                new FusionJob.Settings(
                        defaults.bootstrapServers(),
                        TOPIC,
                        options.partitions(),
                        defaults.storeUrl(),
                        "fusion-cluster-demo",
                        2,
                        options.checkpointInterval(),
                        options.state(),
                        // one ingest server, one clock: a short bound; quiet partitions release the tail soon
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        defaults.dedupeRetention(),
                        Map.of(),
                        defaults.defaultBrand(),
                        false));
        try {
            job = env.executeAsync("fusion cluster-demo");
        } catch (Exception e) {
            store.close();
            throw e;
        }

        out.println("cluster-demo: starting the ingest tier (fusion serve --log kafka://...)...");
        credentials = new Credentials(secret(), secret());
        FusionConfig config = FusionConfig.of(options.host(), options.port(), credentials);
        KafkaUrl url = KafkaUrl.parse("kafka://" + broker.bootstrapServers() + "/" + TOPIC);
        try {
            log = KafkaLog.open(
                    url,
                    FusionServer.pipeline(config.model(), config.trackingPlan()),
                    storeUrl,
                    Duration.ofSeconds(10),
                    Clock.systemUTC());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        server = FusionServer.start(config, store, log); // owns the store and the log from here on
        out.printf("cluster-demo: ingest tier on %s, producing to %s%n", base(), url);
    }

    private static StoreUrl throwAwayDatabase() {
        return PostgresServer.shared().orElseThrow(NoPostgres::new).newDatabase();
    }

    /** Streams the scenario through {@code POST /v1/batch}, printing progress every {@code every}. */
    void stream(Duration every) throws IOException, InterruptedException {
        List<ObjectNode> messages = new Scenario(options.seed(), options.consumers(), options.end()).messages();
        total = messages.size();
        out.printf(
                "cluster-demo: streaming %,d calls of %,d consumers through %s/v1/batch%n",
                total, options.consumers(), base());
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-demo-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(
                () -> out.println("cluster-demo: " + progress()),
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
        DemoLoader loader = new DemoLoader(URI.create(base()), credentials.writeKey(), null);
        for (int from = 0; from < total; from += 400) {
            List<ObjectNode> part = messages.subList(from, Math.min(total, from + 400));
            loader.load(part);
            sent.addAndGet(part.size());
        }
        out.printf("cluster-demo: all %,d calls acknowledged by Kafka%n", total);
    }

    /** Waits until the job has applied everything in the topic, at most {@code timeout}. */
    boolean awaitApplied(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            org.apache.flink.api.common.JobStatus status;
            try {
                status = job.getJobStatus().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the Flink job's status cannot be read: " + e.getMessage(), e);
            }
            if (status.isGloballyTerminalState()) {
                throw new IllegalStateException("the Flink job stopped (" + status + "); its log is above");
            }
            if (lag().orElse(-1L) == 0 && appliedEvents() > 0) return true;
            TimeUnit.MILLISECONDS.sleep(250); // the poll's interval
        }
        return false;
    }

    /** One line: what went in, what the job applied, how far behind it is. */
    String progress() {
        String lag = lag().map(n -> String.format("%,d records", n)).orElse("unknown");
        return String.format(
                "sent %,d of %,d calls, applied %,d (events in PostgreSQL), lag %s",
                sent.get(), total, appliedEvents(), lag);
    }

    private Optional<Long> lag() {
        if (log.health().get("lag") instanceof Map<?, ?> lag && lag.get("records") instanceof Number n) {
            return Optional.of(n.longValue());
        }
        return Optional.empty();
    }

    /** Calls in the serving tables' log; 0 before the sink made them. */
    long appliedEvents() {
        try (var c = java.sql.DriverManager.getConnection(
                        "jdbc:postgresql://" + storeUrl.host() + ":" + storeUrl.port() + "/" + storeUrl.database(),
                        storeUrl.user(),
                        storeUrl.password() == null ? "" : storeUrl.password());
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0;
        }
    }

    String base() {
        return "http://" + options.host() + ":" + server.port();
    }

    /** The dashboard, signed in with the demo's admin token. */
    String dashboard() {
        return base() + "/#token=" + credentials.adminToken();
    }

    StoreUrl store() {
        return storeUrl;
    }

    Credentials credentials() {
        return credentials;
    }

    static String text(StoreUrl u) {
        return "postgresql://" + u.user() + (u.password() == null ? "" : ":" + u.password()) + "@" + u.host() + ":"
                + u.port() + "/" + u.database();
    }

    private static String secret() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
        if (server != null) server.close(); // with it the store and the producer
        if (job != null) {
            try {
                job.cancel().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                out.println("cluster-demo: the job did not cancel cleanly: " + e.getMessage());
            }
        }
        if (broker != null) broker.close();
        if (checkpoints != null) deleteTree(checkpoints);
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
