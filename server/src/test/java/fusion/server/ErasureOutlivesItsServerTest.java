package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.ModelConfig;
import fusion.server.access.Credentials;
import fusion.server.log.KafkaLog;
import fusion.server.log.KafkaUrl;
import fusion.store.Pipeline;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 leftovers, item 1: the cut an erasure owes Kafka's log is kept in PostgreSQL
 * ({@code log_cuts}), not in the memory of the server that took the request. Server A takes the
 * DELETE and is stopped before the job is past the command; server B, built afresh on the same
 * store and topic (nothing shared with A but PostgreSQL and Kafka), finishes the cut. The job's
 * progress is written into {@code log_progress} by hand, as its sink would.
 */
class ErasureOutlivesItsServerTest {
    @RegisterExtension
    static final KafkaWorld WORLD = new KafkaWorld();

    @Test
    @DisplayName("issue 14 leftovers item 1: a server takes an erasure and stops before the job passes the command; "
            + "a second server started afterwards shows it pending on /health and the requests route, and cuts the "
            + "log once the job is past it, so no retained record is the person's or names them")
    void aSecondServerFinishesTheCutTheFirstOneOwed() throws Exception {
        String topic = "erase-restart";
        WORLD.kafka().createTopic(topic, 2, Map.of());
        StoreUrl store = WORLD.pg().newDatabase();
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

        KafkaLog log =
                KafkaLog.open(KafkaUrl.parse(WORLD.kafka().url(topic)), pipeline, store, Duration.ofSeconds(10), clock);
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

    @Test
    @DisplayName("issue 14 handoff: the erasure also cuts the job's handoff topic, up to the person's merge, only once "
            + "every handoff before it is of a merge the job committed, and never a later merge's handoff")
    void theHandoffTopicIsCutUpToThePersonsMergeOnceNothingBeforeItIsAwaited() throws Exception {
        String topic = "erase-handoff";
        WORLD.kafka().createTopic(topic, 2, Map.of());
        String handoffs = topic + ".handoff.fusion-job";
        WORLD.kafka().createTopic(handoffs, 1, Map.of());
        StoreUrl store = WORLD.pg().newDatabase();
        Pipeline pipeline = FusionServer.pipeline(ModelConfig.defaults());
        SqlStore.postgres(store, pipeline, true).close();
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
        String body = "{\"batch\":[{\"type\":\"track\",\"messageId\":\"m1\",\"anonymousId\":\"ana-phone\","
                + "\"event\":\"Order Completed\",\"properties\":{\"brand\":\"glitter\",\"revenue\":12.5}},"
                + "{\"type\":\"identify\",\"messageId\":\"m2\",\"anonymousId\":\"ana-phone\",\"userId\":\"ana\"}]}";
        try (Running job = new Running(SqlStore.postgres(store, pipeline, false), clock)) {
            assertThat(job.postJson("/v1/batch", body).status()).isEqualTo(200); // the serving tables, as the job
        }
        // the job's handoffs, as its engine subtasks wrote them (not in seq order: two subtasks): ana's merge at
        // seq 2, bea's at 9 (after the erasure, still awaited), cid's at 3, and dan's at 12, written later
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                Map.of("bootstrap.servers", WORLD.kafka().bootstrap()),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (var h : List.of(
                    handoff(2, "ana", "ana-phone"), handoff(9, "bea", "bea-phone"), handoff(3, "cid", "cid-tab"))) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(handoffs, 0, null, h))
                        .get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        KafkaLog log =
                KafkaLog.open(KafkaUrl.parse(WORLD.kafka().url(topic)), pipeline, store, Duration.ofSeconds(10), clock);
        try (Running server = new Running(FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(Running.WRITE_KEY, Running.ADMIN))
                        .withClock(clock),
                SqlStore.postgres(store, pipeline, false),
                log))) {
            assertThat(server.postJson("/v1/batch", body).status()).isEqualTo(200);
            Running.Reply r = server.call("DELETE", "/api/profiles/ana-phone", Running.ADMIN, null);
            assertThat(r.status()).as(r.raw().body()).isEqualTo(202);
            // the job is past the command, its committed position in the log's order being seq 5 (the erasure 4)
            progress(store, topic, endOffsets(topic, 2));
            progress(store, topic + "/seq", Map.of(0, 6L));
            KafkaBroker.await(Duration.ofSeconds(60), "the events topic cut", () -> {
                log.settleErasures();
                return namingAna(topic).isEmpty();
            });
            log.settleErasures();
            JsonNode pending = requests(server).get(0);
            assertThat(pending.get("state").asText()).isEqualTo("cutting");
            assertThat(pending.get("waiting").get("-1").asLong())
                    .as("the last handoff to cut: cid's, at offset 2")
                    .isEqualTo(2);
            assertThat(handoffSeqs(handoffs))
                    .as("bea's merge at 9 is not committed and lies before cid's: nothing is cut yet")
                    .containsExactly(2L, 9L, 3L);

            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                    Map.of("bootstrap.servers", WORLD.kafka().bootstrap()),
                    new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                handoffs, 0, null, handoff(12, "dan", "dan-tab")))
                        .get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            progress(store, topic + "/seq", Map.of(0, 10L)); // bea's merge is done
            KafkaBroker.await(Duration.ofSeconds(60), "the erasure done", () -> {
                log.settleErasures();
                return requests(server).get(0).get("state").asText().equals("done");
            });
        }
        var retained = WORLD.kafka().readAll(handoffs);
        assertThat(retained.stream()
                        .filter(c -> new String(c.value(), StandardCharsets.ISO_8859_1).contains("ana"))
                        .toList())
                .as("retained handoff records naming ana")
                .isEmpty();
        assertThat(handoffSeqs(handoffs))
                .as("dan's later merge is kept; the marker (-1), written at the cut, follows it")
                .containsExactly(12L, -1L);
        byte[] marker = retained.get(1).value();
        assertThat(java.nio.ByteBuffer.wrap(marker).get()).isEqualTo((byte) 2);
        assertThat(java.nio.ByteBuffer.wrap(marker, 1, 8).getLong())
                .as("the marker's bound: the committed seq at the cut")
                .isEqualTo(9);
    }

    /** A handoff record as the job writes it: version 1, seq, survivor, absorbed, the states (here naming them). */
    private static byte[] handoff(long seq, String survivor, String absorbed) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(seq);
            out.writeUTF(survivor);
            out.writeUTF(absorbed);
            byte[] states = ("glitter " + absorbed + " 12.5").getBytes(StandardCharsets.UTF_8);
            out.writeInt(states.length);
            out.write(states);
        }
        return bytes.toByteArray();
    }

    /** The seq of each retained handoff record in offset order, -1 for a cut marker. */
    private static List<Long> handoffSeqs(String topic) {
        return WORLD.kafka().readAll(topic).stream()
                .map(c -> c.value()[0] == 2
                        ? -1L
                        : java.nio.ByteBuffer.wrap(c.value(), 1, 8).getLong())
                .toList();
    }

    private static Running server(String topic, StoreUrl store, Pipeline pipeline, Clock clock) {
        KafkaLog log =
                KafkaLog.open(KafkaUrl.parse(WORLD.kafka().url(topic)), pipeline, store, Duration.ofSeconds(10), clock);
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
        try (var admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", WORLD.kafka().bootstrap()))) {
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
