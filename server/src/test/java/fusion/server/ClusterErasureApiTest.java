package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.ModelConfig;
import fusion.server.access.Credentials;
import fusion.server.log.KafkaLog;
import fusion.server.log.KafkaUrl;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14, erasure through a Kafka-mode server: {@code DELETE /api/profiles/{id}} writes an
 * erasure command into the topic and answers 202; once {@code log_progress} shows the job past the
 * command (written here by hand, as the job's sink would), the server cuts the log and reports
 * the erasure done. The serving tables are filled by a single node on the same database, as the
 * job would have filled them.
 */
class ClusterErasureApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KafkaWorld WORLD = new KafkaWorld();

    @Test
    @DisplayName("issue 14 erasure: in Kafka mode DELETE of a person answers 202 with the command in the log, shows "
            + "it pending until the job is past it, then cuts the log so no retained record names them, and audits "
            + "it without their id")
    void anErasureGoesThroughTheLogAndCutsIt() throws Exception {
        String topic = "erase-api";
        WORLD.kafka().createTopic(topic, 2, Map.of());
        StoreUrl store = WORLD.pg().newDatabase();
        var pipeline = FusionServer.pipeline(ModelConfig.defaults());
        SqlStore.postgres(store, pipeline, true).close();
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
        String body = "{\"batch\":[{\"type\":\"track\",\"messageId\":\"m1\",\"anonymousId\":\"ana-phone\","
                + "\"event\":\"Order Completed\",\"timestamp\":\"2026-03-01T11:59:00Z\",\"properties\":{\"brand\":"
                + "\"glitter\",\"revenue\":12.5}},{\"type\":\"identify\",\"messageId\":\"m2\",\"anonymousId\":"
                + "\"ana-phone\",\"userId\":\"ana\"},{\"type\":\"track\",\"messageId\":\"m3\",\"userId\":\"bea\","
                + "\"event\":\"Order Completed\",\"properties\":{\"brand\":\"glitter\"}}]}";
        var log =
                KafkaLog.open(KafkaUrl.parse(WORLD.kafka().url(topic)), pipeline, store, Duration.ofSeconds(10), clock);
        try (Running job = new Running(SqlStore.postgres(store, pipeline, false), clock);
                Running cluster = new Running(FusionServer.start(
                        FusionConfig.of("127.0.0.1", 0, new Credentials(Running.WRITE_KEY, Running.ADMIN))
                                .withClock(clock),
                        SqlStore.postgres(store, pipeline, false),
                        log))) {
            assertThat(cluster.postJson("/v1/batch", body).status()).isEqualTo(200); // into the topic
            assertThat(job.postJson("/v1/batch", body).status()).isEqualTo(200); // the serving tables, as the job
            assertThat(cluster.get("/api/profiles/ana-phone").status()).isEqualTo(200);

            Running.Reply r = cluster.call("DELETE", "/api/profiles/ana-phone", Running.ADMIN, null);

            assertThat(r.status()).as(r.raw().body()).isEqualTo(202);
            String id = r.body().get("erasure").asText();
            assertThat(id).startsWith("erase-");
            assertThat(r.body().get("status").asText()).isEqualTo("applying");
            // the command is in the topic, keyed by one of their ids, naming the profile and every id
            ConsumerRecord<byte[], byte[]> command = WORLD.kafka().readAll(topic).stream()
                    .filter(c -> new String(c.value(), StandardCharsets.UTF_8).contains("\"erase\""))
                    .findFirst()
                    .orElseThrow();
            JsonNode value = JSON.readTree(command.value());
            assertThat(value.get("type").asText()).isEqualTo("erase");
            assertThat(value.get("messageId").asText()).isEqualTo(id);
            assertThat(value.get("profile").asText()).isEqualTo("ana-phone");
            List<String> ids = new ArrayList<>();
            value.get("ids").forEach(n -> ids.add(n.asText()));
            assertThat(ids).containsExactlyInAnyOrder("ana", "ana-phone");
            assertThat(ids).contains(new String(command.key(), StandardCharsets.UTF_8));
            assertThat(value.get("actor").asText()).isNotBlank();
            // pending: the job has not passed it (log_progress is empty), so nothing is cut
            assertThat(requests(cluster).get(0).get("state").asText()).isEqualTo("applying");
            assertThat(cluster.get("/health")
                            .body()
                            .path("erasures")
                            .path("pending")
                            .asInt())
                    .isEqualTo(1);
            assertThat(namingAna(topic)).isNotEmpty();
            // a later call of someone else, after the command
            assertThat(cluster.postJson(
                                    "/v1/track",
                                    "{\"messageId\":\"m4\",\"userId\":\"bea\",\"event\":\"Order Completed\"}")
                            .status())
                    .isEqualTo(200);

            // the job's sink says it is past everything: the server cuts
            try (var c = DriverManager.getConnection(
                    "jdbc:postgresql://" + store.host() + ":" + store.port() + "/" + store.database(),
                    store.user(),
                    store.password())) {
                var ins = c.prepareStatement("INSERT INTO log_progress (topic, partition, next_offset) VALUES (?,?,?)");
                for (var e : endOffsets(topic).entrySet()) {
                    ins.setString(1, topic);
                    ins.setInt(2, e.getKey());
                    ins.setLong(3, e.getValue());
                    ins.executeUpdate();
                }
            }
            KafkaBroker.await(
                    Duration.ofSeconds(60),
                    "the erasure done",
                    () -> requests(cluster).get(0).get("state").asText().equals("done"));

            assertThat(namingAna(topic))
                    .as("retained records that are ana's or name her")
                    .isEmpty();
            assertThat(WORLD.kafka().readAll(topic).stream()
                            .map(c -> new String(c.value(), StandardCharsets.UTF_8))
                            .filter(v -> v.contains("\"m4\"")))
                    .as("the later call of someone else")
                    .hasSize(1);
            assertThat(requests(cluster).get(0).get("cut").size()).isPositive();
            assertThat(cluster.get("/health")
                            .body()
                            .path("erasures")
                            .path("pending")
                            .asInt())
                    .isZero();
            JsonNode audit = cluster.get("/api/audit?limit=1000").body();
            List<String> erasures = new ArrayList<>();
            audit.forEach(e -> {
                if (e.path("action").asText().equals("erase"))
                    erasures.add(e.path("subject").asText());
            });
            assertThat(erasures).containsExactly("erasure " + id);
        }
    }

    private static Map<Integer, Long> endOffsets(String topic) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", WORLD.kafka().bootstrap()))) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> ask =
                    new java.util.HashMap<>();
            for (int p = 0; p < 2; p++) {
                ask.put(
                        new org.apache.kafka.common.TopicPartition(topic, p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            Map<Integer, Long> out = new java.util.HashMap<>();
            admin.listOffsets(ask).all().get().forEach((tp, info) -> out.put(tp.partition(), info.offset()));
            return out;
        }
    }

    private static JsonNode requests(Running cluster) {
        Running.Reply r = cluster.get("/api/erasures/requests");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.body();
    }

    private static List<Long> namingAna(String topic) {
        return WORLD.kafka().readAll(topic).stream()
                .filter(c -> {
                    String key = new String(c.key(), StandardCharsets.UTF_8);
                    String value = new String(c.value(), StandardCharsets.UTF_8);
                    return key.equals("ana")
                            || key.equals("ana-phone")
                            || value.contains("\"ana\"")
                            || value.contains("\"ana-phone\"");
                })
                .map(ConsumerRecord::offset)
                .toList();
    }
}
