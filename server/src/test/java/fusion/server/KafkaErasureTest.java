package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.log.KafkaLog;
import fusion.server.log.KafkaUrl;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 item 4: a person's erasure reaches Kafka's retained log. The topic is read back with a
 * plain consumer; the job's progress is what its sink would commit, written into log_progress.
 */
class KafkaErasureTest {
    @RegisterExtension
    static final KafkaWorld WORLD = new KafkaWorld();

    @Test
    @DisplayName("issue 14 item 4: after erasure, once the job has read past them, none of the person's records "
            + "and no record naming them is in the retained log; later records of others stay")
    void erasedRecordsLeaveTheRetainedLog() throws Exception {
        String topic = "erase-1";
        WORLD.kafka().createTopic(topic, 2, Map.of());
        StoreUrl store = WORLD.pg().newDatabase();
        SqlStore.postgres(store, FusionServer.pipeline(ModelConfig.defaults()), true)
                .close();
        try (KafkaLog log = open(topic, store)) {
            List<SegmentCall> before = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                before.add(call("a" + i, "ana", null, Map.of("brand", "glitter")));
                before.add(call("b" + i, "bea", null, Map.of("brand", "glitter")));
            }
            before.add(call("d1", null, "dev-ana", Map.of()));
            before.add(call("c1", "cy", null, Map.of("brand", "glitter", "co_parties", List.of("ana"))));
            log.append(before);
            int readTo = WORLD.kafka().readAll(topic).size();

            // the job has not read anything: nothing is cut, and what is pending is said
            var waiting = log.erase(List.of("ana", "dev-ana"), Duration.ofMillis(300));
            assertThat(waiting.cut()).isEmpty();
            assertThat(waiting.pending()).isNotEmpty();
            assertThat(WORLD.kafka().readAll(topic)).hasSize(readTo);

            // the job reads everything so far; the rest comes after the erasure
            progress(store, topic, endOffsets(topic));
            var done = log.erase(List.of("ana", "dev-ana"), Duration.ofSeconds(10));
            assertThat(done.pending()).isEmpty();
            log.append(List.of(call("b9", "bea", null, Map.of("brand", "glitter"))));
        }
        List<String> left = new ArrayList<>();
        for (var r : WORLD.kafka().readAll(topic)) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isNotIn("ana", "dev-ana");
            assertThat(value).doesNotContain("\"ana\"", "dev-ana");
            left.add(Running.JSON.readTree(value).get("messageId").asText());
        }
        assertThat(left).contains("b9");
    }

    private static KafkaLog open(String topic, StoreUrl store) {
        return KafkaLog.open(
                KafkaUrl.parse(WORLD.kafka().url(topic)),
                FusionServer.pipeline(ModelConfig.defaults()),
                store,
                Duration.ofSeconds(10),
                Clock.systemUTC());
    }

    private static SegmentCall call(String id, String user, String anon, Map<String, Object> properties) {
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        return new SegmentCall(
                SegmentCall.Type.TRACK,
                id,
                user,
                anon,
                "Order Completed",
                null,
                null,
                null,
                properties,
                Map.of(),
                Map.of(),
                t,
                t);
    }

    private static Map<Integer, Long> endOffsets(String topic) {
        Map<Integer, Long> ends = new java.util.TreeMap<>();
        for (var r : WORLD.kafka().readAll(topic)) ends.merge(r.partition(), r.offset() + 1, Math::max);
        return ends;
    }

    /** What the job's sink commits with the serving rows. */
    private static void progress(StoreUrl s, String topic, Map<Integer, Long> next) throws Exception {
        try (var c = DriverManager.getConnection(
                "jdbc:postgresql://" + s.host() + ":" + s.port() + "/" + s.database(), s.user(), s.password())) {
            var ins = c.prepareStatement("INSERT INTO log_progress (topic, partition, next_offset) VALUES (?,?,?)");
            for (var e : next.entrySet()) {
                ins.setString(1, topic);
                ins.setInt(2, e.getKey());
                ins.setLong(3, e.getValue());
                ins.executeUpdate();
            }
        }
    }
}
