package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.ModelConfig;
import fusion.server.access.Credentials;
import fusion.server.log.KafkaLog;
import fusion.server.log.KafkaUrl;
import fusion.store.Pipeline;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 leftovers, item 1: the cut an erasure owes Kafka's log is kept in PostgreSQL
 * ({@code log_cuts}), not in the memory of the server that took the request. Server A takes the
 * DELETE and is stopped before the job is past the command; server B, built afresh on the same
 * store and topic (nothing shared with A but PostgreSQL and Kafka), finishes the cut. The job's
 * progress is written into {@code log_progress} by hand, as its sink would.
 */
class ErasureOutlivesItsServerTest {
    private static KafkaBroker kafka;
    private static PostgresServer pg;

    @BeforeAll
    static void start() throws Exception {
        var maybe = PostgresServer.shared();
        if (!PostgresServer.required()) Assumptions.assumeTrue(maybe.isPresent(), "PostgreSQL is not installed");
        pg = maybe.orElseThrow();
        kafka = new KafkaBroker();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) kafka.close();
    }

    @Test
    @DisplayName("issue 14 leftovers item 1: a server takes an erasure and stops before the job passes the command; "
            + "a second server started afterwards shows it pending on /health and the requests route, and cuts the "
            + "log once the job is past it, so no retained record is the person's or names them")
    void aSecondServerFinishesTheCutTheFirstOneOwed() throws Exception {
        String topic = "erase-restart";
        kafka.createTopic(topic, 2, Map.of());
        StoreUrl store = pg.newDatabase();
        Pipeline pipeline = FusionServer.pipeline(ModelConfig.defaults());
        SqlStore.postgres(store, pipeline, true).close();
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
        String body = "{\"batch\":[{\"type\":\"track\",\"messageId\":\"m1\",\"anonymousId\":\"ana-phone\","
                + "\"event\":\"Order Completed\",\"properties\":{\"brand\":\"glitter\",\"revenue\":12.5}},"
                + "{\"type\":\"identify\",\"messageId\":\"m2\",\"anonymousId\":\"ana-phone\",\"userId\":\"ana\"},"
                + "{\"type\":\"track\",\"messageId\":\"m3\",\"userId\":\"bea\",\"event\":\"Order Completed\","
                + "\"properties\":{\"brand\":\"glitter\"}}]}";
        String id;
        try (Running job = new Running(SqlStore.postgres(store, pipeline, false), clock)) {
            assertThat(job.postJson("/v1/batch", body).status()).isEqualTo(200); // the serving tables, as the job
        }
        try (Running a = server(topic, store, pipeline, clock)) {
            assertThat(a.postJson("/v1/batch", body).status()).isEqualTo(200);
            Running.Reply r = a.call("DELETE", "/api/profiles/ana-phone", Running.ADMIN, null);
            assertThat(r.status()).as(r.raw().body()).isEqualTo(202);
            id = r.body().get("erasure").asText();
        } // server A stops: the job has not applied the command yet
        assertThat(namingAna(topic)).as("records of ana before any cut").isNotEmpty();

        KafkaLog log = KafkaLog.open(KafkaUrl.parse(kafka.url(topic)), pipeline, store, Duration.ofSeconds(10), clock);
        try (Running b = new Running(FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(Running.WRITE_KEY, Running.ADMIN))
                        .withClock(clock),
                SqlStore.postgres(store, pipeline, false),
                log))) {
            log.settleErasures(); // the job has not passed the command: nothing to do
            JsonNode pending = requests(b);
            assertThat(pending).as("B's requests route").hasSize(1);
            assertThat(pending.get(0).get("id").asText()).isEqualTo(id);
            assertThat(pending.get(0).get("state").asText()).isEqualTo("applying");
            assertThat(b.get("/health").body().path("erasures").path("pending").asInt())
                    .isEqualTo(1);
            assertThat(namingAna(topic)).isNotEmpty();

            progress(store, topic, endOffsets(topic, 2)); // the job's sink is past everything
            KafkaBroker.await(Duration.ofSeconds(60), "the erasure done by server B", () -> {
                log.settleErasures();
                return requests(b).get(0).get("state").asText().equals("done");
            });

            assertThat(namingAna(topic))
                    .as("retained records that are ana's or name her")
                    .isEmpty();
            assertThat(requests(b).get(0).get("cut").size()).isPositive();
            assertThat(b.get("/health").body().path("erasures").path("pending").asInt())
                    .isZero();
        }
        try (var c = connect(store);
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT * FROM log_cuts")) {
            var meta = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    assertThat(String.valueOf(rs.getObject(i)))
                            .as("log_cuts." + meta.getColumnName(i) + " holds no id of the person")
                            .doesNotContain("ana");
                }
            }
        }
    }

    private static Running server(String topic, StoreUrl store, Pipeline pipeline, Clock clock) {
        KafkaLog log = KafkaLog.open(KafkaUrl.parse(kafka.url(topic)), pipeline, store, Duration.ofSeconds(10), clock);
        return new Running(FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(Running.WRITE_KEY, Running.ADMIN))
                        .withClock(clock),
                SqlStore.postgres(store, pipeline, false),
                log));
    }

    private static JsonNode requests(Running server) {
        Running.Reply r = server.get("/api/erasures/requests");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.body();
    }

    static java.sql.Connection connect(StoreUrl store) throws java.sql.SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + store.host() + ":" + store.port() + "/" + store.database(),
                store.user(),
                store.password());
    }

    static void progress(StoreUrl store, String topic, Map<Integer, Long> next) throws Exception {
        try (var c = connect(store);
                var ins = c.prepareStatement("INSERT INTO log_progress (topic, partition, next_offset) VALUES (?,?,?) "
                        + "ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset")) {
            for (var e : next.entrySet()) {
                ins.setString(1, topic);
                ins.setInt(2, e.getKey());
                ins.setLong(3, e.getValue());
                ins.executeUpdate();
            }
        }
    }

    static Map<Integer, Long> endOffsets(String topic, int partitions) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> ask =
                    new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                ask.put(
                        new org.apache.kafka.common.TopicPartition(topic, p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            Map<Integer, Long> out = new java.util.HashMap<>();
            admin.listOffsets(ask).all().get().forEach((tp, info) -> out.put(tp.partition(), info.offset()));
            return out;
        }
    }

    private static List<Long> namingAna(String topic) {
        return kafka.readAll(topic).stream()
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
