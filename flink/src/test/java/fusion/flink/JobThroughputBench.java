package fusion.flink;

import fusion.core.segment.SegmentCall;
import fusion.store.LogCodec;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.StoreUrl;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The job's throughput and lag on this machine (not part of the default test run: the class name
 * does not match surefire's test patterns; {@code bench/run-flink-job.sh} runs it and writes
 * bench/results/flink-job-DATE.txt). Everything runs in one JVM (Flink MiniCluster, the in-JVM
 * Kafka broker) against the tests' throw-away PostgreSQL.
 *
 * <ol>
 *   <li>Throughput: N seeded calls (merges, consent, incidents, duplicates) in a topic of 3
 *       partitions; the bounded job at source parallelism 1 and 2, heap and RocksDB state, from
 *       start to the final checkpoint's commit: events/s and the JVM's CPU per 1000 events (the
 *       broker's share included: an upper bound for the job alone).
 *   <li>Lag: the unbounded job, 1 s checkpoints, while a producer sends at half the measured rate
 *       for a fixed time; each record's lag is from its send to the moment {@code log_progress}
 *       shows its partition past its offset (polled every 20 ms): p50, p99, max.
 * </ol>
 */
class JobThroughputBench {
    private static final int PARTITIONS = 3;

    @Test
    void measure() throws Exception {
        int n = Integer.getInteger("bench.events", 100_000);
        int lagSeconds = Integer.getInteger("bench.lagSeconds", 30);
        Path out = Path.of(System.getProperty("bench.out", "target/flink-job-bench.txt"));
        PostgresServer pg = PostgresServer.shared().orElseThrow(() -> new IllegalStateException("no PostgreSQL"));
        List<String> lines = new ArrayList<>();
        lines.add("# The Flink job's throughput and lag (JobThroughputBench)");
        lines.add("date:    " + Instant.now());
        lines.add("machine: " + Runtime.getRuntime().availableProcessors() + " cores; load average before: "
                + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        lines.add("setup:   one JVM: Flink MiniCluster, in-JVM Kafka broker (KRaft), 3 partitions; PostgreSQL "
                + "(separate process) as the serving store; " + n + " seeded calls (Traffic: merges, consent, "
                + "incidents, every 25th resent)");
        lines.add("");
        try (Broker broker = Broker.start()) {
            List<SegmentCall> calls = Traffic.of(5, Math.max(100, n / 5), n);
            List<Map.Entry<String, String>> records = JobParityTest.records(calls);
            String topic = "bench-" + n;
            broker.createTopic(topic, PARTITIONS);
            broker.produce(topic, records);
            // a first run, not measured, so that the measured ones do not pay for the JIT's compilation
            runBounded(broker, topic, pg.newDatabase(), "hashmap", 2);
            double best = 0;
            for (String state :
                    System.getProperty("bench.states", "hashmap,rocksdb").split(",")) {
                for (int parallelism : new int[] {1, 2}) {
                    StoreUrl store = pg.newDatabase();
                    long cpu0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    Map<String, Long> threads;
                    try (ThreadCpu sampler = new ThreadCpu()) {
                        runBounded(broker, topic, store, state, parallelism);
                        threads = sampler.byTask();
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double cpuMs = (processCpuNanos() - cpu0) / 1e6;
                    long events = count(store, "SELECT COUNT(*) FROM events");
                    double rate = events / seconds;
                    long apply = threads.getOrDefault("log order", 0L);
                    long engine = threads.getOrDefault("engine", 0L);
                    long source = threads.getOrDefault("Source", 0L);
                    long sink = threads.getOrDefault("serving tables", 0L);
                    // each stage holds events / (its CPU per event) per thread; the engine stage has `parallelism`
                    // threads, the ordered stage and the sink one each; the job holds the lowest of them
                    double orderedCap = apply == 0 ? Double.NaN : events / (apply / 1e9);
                    double engineCap = engine == 0 ? Double.NaN : parallelism * events / (engine / 1e9);
                    double sinkCap = sink == 0 ? Double.NaN : events / (sink / 1e9);
                    double cap = Math.min(
                            orderedCap, Math.min(sinkCap, Double.isNaN(engineCap) ? Double.MAX_VALUE : engineCap));
                    best = Math.max(best, Math.min(rate, Double.isNaN(cap) ? rate : cap));
                    lines.add(String.format(
                            "state %-8s parallelism %d (%d task slot%s): %,8.0f events/s wall = %,.0f per slot (%,d "
                                    + "events in %.1f s, job start and final commit included) | CPU per event: ordered "
                                    + "stage %.1f us, engine stage %s, sink %.1f us, sources %.1f us | one thread of "
                                    + "each holds: ordered %,.0f, engine %s, sink %,.0f events/s: the job is capped at "
                                    + "%,.0f | whole JVM %.0f us/event (broker, MiniCluster and JIT included)",
                            state,
                            parallelism,
                            parallelism,
                            parallelism == 1 ? "" : "s",
                            rate,
                            rate / parallelism,
                            events,
                            seconds,
                            apply / 1e3 / events,
                            engine == 0
                                    ? "(in the ordered stage)"
                                    : String.format("%.1f us (over %d threads)", engine / 1e3 / events, parallelism),
                            sink / 1e3 / events,
                            source / 1e3 / events,
                            orderedCap,
                            engine == 0 ? "-" : String.format("%,.0f", events / (engine / 1e9)),
                            sinkCap,
                            cap,
                            cpuMs * 1000 / events));
                    System.out.println(lines.get(lines.size() - 1));
                }
            }
            lines.add("");
            lines.addAll(lag(broker, pg.newDatabase(), best / 2, lagSeconds));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, lines, StandardCharsets.UTF_8);
        lines.forEach(System.out::println);
    }

    private static void runBounded(Broker broker, String topic, StoreUrl store, String state, int parallelism)
            throws Exception {
        FusionJob.Settings s = new FusionJob.Settings(
                broker.bootstrapServers(),
                topic,
                PARTITIONS,
                JobParityTest.text(store),
                "bench-" + System.nanoTime(),
                parallelism,
                Duration.ofSeconds(2),
                state,
                Duration.ofSeconds(1),
                Duration.ZERO,
                Duration.ZERO,
                Map.of(),
                "own",
                true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(checkpointsOnDisk());
        env.setParallelism(parallelism);
        FusionJob.build(env, s);
        env.execute("fusion bench");
    }

    /** Sends at {@code rate} calls/s for {@code seconds} into a running job; each record's lag to visibility. */
    private static List<String> lag(Broker broker, StoreUrl store, double rate, int seconds) throws Exception {
        String topic = "lag-" + System.nanoTime();
        broker.createTopic(topic, PARTITIONS);
        FusionJob.Settings s = new FusionJob.Settings(
                broker.bootstrapServers(),
                topic,
                PARTITIONS,
                JobParityTest.text(store),
                "lag-" + topic,
                2,
                Duration.ofSeconds(1),
                "hashmap",
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofDays(7),
                Map.of(),
                "own",
                false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(checkpointsOnDisk());
        env.setParallelism(2);
        FusionJob.build(env, s);
        JobClient job = env.executeAsync("fusion lag");
        int n = (int) (rate * seconds);
        List<SegmentCall> calls = Traffic.of(11, Math.max(100, n / 5), n);
        long[][] sentAt = new long[PARTITIONS][n + 1];
        long[][] visibleAt = new long[PARTITIONS][n + 1];
        int[] sentCount = new int[PARTITIONS];
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        Thread poller = new Thread(() -> poll(store, topic, visibleAt), "lag poller");
        poller.setDaemon(true);
        poller.start();
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due) Thread.onSpinWait(); // pacing the sender, not waiting for an outcome
                SegmentCall c = calls.get(i);
                // receipt time now, as an ingest server would stamp it
                SegmentCall stamped = new SegmentCall(
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
                        Instant.now());
                String key = c.userId() != null ? c.userId() : c.anonymousId();
                long sent = System.nanoTime();
                var meta = producer.send(new ProducerRecord<>(
                                topic,
                                key.getBytes(StandardCharsets.UTF_8),
                                LogCodec.encode(stamped).getBytes(StandardCharsets.UTF_8)))
                        .get();
                int part = meta.partition();
                int off = (int) meta.offset();
                if (off <= n) sentAt[part][off] = sent;
                sentCount[part] = Math.max(sentCount[part], off + 1);
            }
            // a last record on each partition, later than the out-of-orderness, lets the others through
            Thread.sleep(1_500); // the bound the job waits for (1 s) has to pass on the clock of receipt
            for (int part = 0; part < PARTITIONS; part++) {
                SegmentCall last = new SegmentCall(
                        SegmentCall.Type.TRACK,
                        "flush-" + part,
                        null,
                        "flush",
                        "Wishlist Synced",
                        null,
                        null,
                        null,
                        Map.of(),
                        Map.of(),
                        Map.of(),
                        Traffic.T0,
                        Instant.now());
                producer.send(new ProducerRecord<>(
                                topic, part, null, LogCodec.encode(last).getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!allVisible(visibleAt, sentCount) && System.nanoTime() < deadline) Thread.sleep(50);
        job.cancel().get(60, TimeUnit.SECONDS);
        List<Double> lags = new ArrayList<>();
        int missing = 0;
        for (int part = 0; part < PARTITIONS; part++) {
            for (int off = 0; off < sentCount[part]; off++) {
                if (visibleAt[part][off] == 0) missing++;
                else lags.add((visibleAt[part][off] - sentAt[part][off]) / 1e6);
            }
        }
        double[] sorted =
                lags.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                "lag at %,.0f calls/s (half the best bounded rate) for %d s, unbounded job, parallelism 2, "
                        + "heap state, checkpoints every 1 s, out-of-orderness 1 s:",
                rate, seconds));
        lines.add(String.format(
                "  send -> visible in the serving tables (log_progress past the record): p50 %.0f ms, p99 %.0f ms, "
                        + "max %.0f ms over %,d records; %d not visible within 2 min",
                pct(sorted, 0.50),
                pct(sorted, 0.99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1],
                sorted.length,
                missing));
        return lines;
    }

    private static boolean allVisible(long[][] visibleAt, int[] sentCount) {
        for (int part = 0; part < PARTITIONS; part++) {
            if (sentCount[part] > 0 && visibleAt[part][sentCount[part] - 1] == 0) return false;
        }
        return true;
    }

    /** Marks each offset visible when log_progress first shows its partition past it. */
    private static void poll(StoreUrl store, String topic, long[][] visibleAt) {
        long[] seen = new long[PARTITIONS];
        while (true) {
            try (Connection c = connect(store);
                    Statement st = c.createStatement()) {
                while (true) {
                    try (ResultSet rs = st.executeQuery(
                            "SELECT partition, next_offset FROM log_progress WHERE topic = '" + topic + "'")) {
                        long now = System.nanoTime();
                        while (rs.next()) {
                            int part = rs.getInt(1);
                            long next = Math.min(rs.getLong(2), visibleAt[part].length);
                            for (long off = seen[part]; off < next; off++) visibleAt[part][(int) off] = now;
                            seen[part] = Math.max(seen[part], next);
                        }
                    }
                    Thread.sleep(20); // the poll's interval
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                try {
                    Thread.sleep(200); // the tables are not there yet: poll again
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static double pct(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static Connection connect(StoreUrl url) throws Exception {
        return DriverManager.getConnection(
                "jdbc:" + JobParityTest.text(url).replaceFirst("//[^@]*@", "//"), url.user(), url.password());
    }

    private static long count(StoreUrl url, String sql) throws Exception {
        try (Connection c = connect(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Samples the CPU time of the job's task threads every 50 ms (a task's thread ends with the job,
     * taking its counter with it, so the last sample stands for it: at most 50 ms is missed per thread).
     */
    private static final class ThreadCpu implements AutoCloseable {
        private final java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> cpu = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

        ThreadCpu() {
            timer.scheduleAtFixedRate(this::sample, 0, 50, TimeUnit.MILLISECONDS);
        }

        private void sample() {
            for (var t : Thread.getAllStackTraces().keySet()) {
                String name = t.getName();
                String task = name.startsWith("log order")
                        ? "log order"
                        : name.startsWith("engine")
                                ? "engine"
                                : name.startsWith("serving tables")
                                        ? "serving tables"
                                        : name.startsWith("Source") ? "Source" : null;
                if (task == null) continue;
                long ns = mx.getThreadCpuTime(t.getId());
                if (ns > 0) {
                    cpu.merge(t.getId(), ns, Math::max);
                    names.put(t.getId(), task);
                }
            }
        }

        Map<String, Long> byTask() {
            sample();
            Map<String, Long> out = new java.util.HashMap<>();
            cpu.forEach((id, ns) -> out.merge(names.get(id), ns, Long::sum));
            return out;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    /**
     * Checkpoints in files, as on a real cluster: the sink's batches of a 2 s interval at these rates
     * exceed the 5 MB the default in-memory checkpoint storage accepts (a run without this restarted
     * in a loop on "Size of the state is larger than the maximum permitted memory-backed state").
     */
    private static org.apache.flink.configuration.Configuration checkpointsOnDisk() throws IOException {
        var conf = new org.apache.flink.configuration.Configuration();
        conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                Files.createTempDirectory("fusion-bench-checkpoints").toUri().toString());
        return conf;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
