package fusion.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fusion.core.segment.SegmentCall;
import fusion.store.LogCodec;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.StoreUrl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

class JobCommandTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(parentFirstKafka())
            .build());

    /**
     * This test's JVM has the Kafka connector and client on its class path, so the MiniCluster's
     * parent loader has them: Kafka's classes must then come from there too, or the connector
     * (parent-first, as every org.apache.flink class) and the job jar's own kafka-clients meet as
     * two ConsumerRecord classes (a LinkageError). A real cluster has neither in lib/.
     */
    private static Configuration parentFirstKafka() {
        Configuration c = new Configuration();
        c.set(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL, List.of("org.apache.kafka"));
        return c;
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** {@code job} with valid options, each of {@code more} (option, value; or a lone --print) replacing or adding. */
    private static String[] with(String... more) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("--kafka", "k1:9092");
        o.put("--topic", "events");
        o.put("--store", "postgresql://fusion:secret@db:5432/fusion");
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < more.length; i++) {
            if (more[i].equals("--print")) flags.add(more[i]);
            else o.put(more[i], more[++i]);
        }
        List<String> a = new ArrayList<>(List.of("job"));
        o.forEach((k, v) -> {
            a.add(k);
            a.add(v);
        });
        a.addAll(flags);
        return a.toArray(String[]::new);
    }

    @Test
    @DisplayName("issue 14: fusion job refuses a bad option with exit code 2 and a message naming it")
    void badOptionsAreNamed() throws Exception {
        Path jar = Files.createTempFile("job", ".jar");
        String j = jar.toString();
        assertThat(run("job", "--topic", "events")[2]).contains("--kafka").contains("--store");
        assertThat(run(with("--jar", j, "--kafka", "nohost"))[2])
                .contains("--kafka expected HOST:PORT but was 'nohost'");
        assertThat(run(with("--jar", j, "--jobmanager", "jm"))[2]).contains("--jobmanager expected HOST:PORT");
        assertThat(run(with("--jar", j, "--state", "disk"))[2]).contains("--state expected rocksdb or heap");
        assertThat(run(with("--jar", j, "--parallelism", "0"))[2]).contains("--parallelism expected at least 1");
        assertThat(run(with("--jar", j, "--topic", "a/b"))[2]).contains("--topic expected a Kafka topic name");
        assertThat(run(with("--jar", j, "--store", "sqlite:///tmp/x"))[2]).contains("--store");
        assertThat(run(with("--jar", "/nonexistent/fusion-job.jar"))[2])
                .contains("--jar: /nonexistent/fusion-job.jar does not exist");
        assertThat(run(with("--jar", j, "--kafka", "nohost"))[0]).isEqualTo("2");
    }

    @Test
    @DisplayName("issue 14: fusion job --print shows the equivalent flink run line, with heap state as hashmap")
    void printShowsTheFlinkRunLine() throws Exception {
        Path jar = Files.createTempFile("job", ".jar");
        String[] r = run(with(
                "--jar",
                jar.toString(),
                "--print",
                "--state",
                "heap",
                "--checkpoints",
                "s3://b/cp",
                "--from-savepoint",
                "s3://b/sp/1",
                "--jobmanager",
                "jm:8081"));
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1].strip())
                .startsWith("flink run -m jm:8081 -d -s s3://b/sp/1 -c fusion.flink.FusionJob " + jar)
                .contains("--bootstrap k1:9092 --topic events --store postgresql://fusion:secret@db:5432/fusion")
                .contains("--state hashmap")
                .contains("--checkpoints s3://b/cp");
    }

    @Test
    @DisplayName("issue 14: fusion job submits the shaded job jar to a Flink cluster's REST endpoint, and the job "
            + "reads the topic into the serving tables")
    void submitsTheJobJarToACluster(@InjectMiniCluster MiniCluster flink) throws Exception {
        Path jar = Path.of(System.getProperty("fusion.job.jar", "../flink/target/fusion-job.jar"));
        assertThat(jar)
                .as("the job jar, built by the flink module's package phase")
                .isRegularFile();
        PostgresServer postgres = ClusterDemoTest.postgres();
        StoreUrl db = postgres.newDatabase();
        URI rest = flink.getRestAddress().get(60, TimeUnit.SECONDS);
        try (DemoBroker broker = DemoBroker.start()) {
            broker.createTopic("submitted", 2);
            Set<String> expected = new HashSet<>();
            Instant received = Instant.parse("2026-12-01T00:00:00Z");
            var props = Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all");
            try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 40; i++) {
                    SegmentCall c = track("call-" + i, "u" + (i % 7), received.plusMillis(10L * i));
                    expected.add(c.messageId());
                    producer.send(new ProducerRecord<>(
                                    "submitted", i % 2, bytes(c.userId()), bytes(LogCodec.encode(c))))
                            .get();
                }
                // one record per partition a minute later lets every earlier call pass the job's order bound
                for (int p = 0; p < 2; p++) {
                    SegmentCall last = track("last-" + p, "late", received.plusSeconds(60));
                    producer.send(new ProducerRecord<>("submitted", p, bytes("late"), bytes(LogCodec.encode(last))))
                            .get();
                }
            }
            String[] r = run(
                    "job",
                    "--jobmanager",
                    rest.getHost() + ":" + rest.getPort(),
                    "--kafka",
                    broker.bootstrapServers(),
                    "--topic",
                    "submitted",
                    "--store",
                    ClusterDemo.text(db),
                    "--state",
                    "heap",
                    "--checkpoint-seconds",
                    "1",
                    "--checkpoints",
                    Files.createTempDirectory("checkpoints").toUri().toString(),
                    "--jar",
                    jar.toString());
            assertThat(r[0]).as(r[2]).isEqualTo("0");
            try {
                await("the submitted job's calls in PostgreSQL")
                        .atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> messageIds(db), ids -> ids.containsAll(expected));
            } finally {
                for (JobStatusMessage j : flink.listJobs().get(30, TimeUnit.SECONDS)) {
                    if (j.getJobState() == JobStatus.RUNNING)
                        flink.cancelJob(j.getJobId()).get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static SegmentCall track(String id, String user, Instant received) {
        return new SegmentCall(
                SegmentCall.Type.TRACK,
                id,
                user,
                null,
                "Order Completed",
                null,
                null,
                null,
                Map.of("brand", "glitter", "revenue", 40),
                Map.of(),
                Map.of(),
                received.minusSeconds(30),
                received);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> messageIds(StoreUrl db) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = ClusterDemoTest.connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT message_id FROM events")) {
            while (rs.next()) out.add(rs.getString(1));
        } catch (java.sql.SQLException e) {
            if (!"42P01".equals(e.getSQLState())) throw e; // the sink has not created the tables yet
        }
        return out;
    }
}
