package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.TrackMessage;
import fusion.core.engine.ModelConfig;
import fusion.server.access.Credentials;
import fusion.server.log.KafkaLog;
import fusion.server.log.KafkaUrl;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, the stateless ingest tier: {@code serve --log kafka://...} in front of a real KRaft
 * broker in this JVM and a real PostgreSQL. What the topic holds is read back with a plain
 * read_committed consumer and compared with what the clients sent and with what the single node
 * stores for the same requests.
 */
class KafkaIngestTest {
    @RegisterExtension
    static final KafkaWorld WORLD = new KafkaWorld();

    private static int topics;

    @TempDir
    Path dir;

    /** A fresh topic of {@code partitions} and a fresh, migrated PostgreSQL database. */
    private record Setup(String topic, StoreUrl store) {}

    private static Setup setup(int partitions) throws Exception {
        String topic = "calls-" + (++topics);
        WORLD.kafka().createTopic(topic, partitions, Map.of());
        StoreUrl store = WORLD.pg().newDatabase();
        SqlStore.postgres(store, FusionServer.pipeline(ModelConfig.defaults()), true)
                .close();
        return new Setup(topic, store);
    }

    private static FusionServer kafkaServer(Setup s, Clock clock, Duration timeout) {
        var pipeline = FusionServer.pipeline(ModelConfig.defaults());
        var log = KafkaLog.open(KafkaUrl.parse(WORLD.kafka().url(s.topic())), pipeline, s.store(), timeout, clock);
        return FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(Running.WRITE_KEY, Running.ADMIN))
                        .withClock(clock),
                SqlStore.postgres(s.store(), pipeline, false),
                log);
    }

    @Test
    @DisplayName("issue 14 item 3: Segment's Java client through two Kafka-mode servers on one broker: every "
            + "accepted call is in the topic exactly once, keyed by its userId or anonymousId, as its log record")
    void twoServersPutEveryCallInTheTopicOnceWithItsKey() throws Exception {
        Setup s = setup(3);
        Map<String, Message> sent = new ConcurrentHashMap<>();
        try (FusionServer one = kafkaServer(s, Clock.systemUTC(), Duration.ofSeconds(10));
                FusionServer two = kafkaServer(s, Clock.systemUTC(), Duration.ofSeconds(10))) {
            send(one, "ana", "device-a", sent);
            send(two, "bea", "device-b", sent);
        }
        assertThat(sent).hasSize(10);

        List<ConsumerRecord<byte[], byte[]>> records = WORLD.kafka().readAll(s.topic());
        Map<String, Integer> seen = new HashMap<>();
        for (var r : records) {
            JsonNode value = Running.JSON.readTree(r.value());
            String id = value.get("messageId").asText();
            seen.merge(id, 1, Integer::sum);
            Message m = sent.get(id);
            assertThat(m).as("a record the clients sent: " + id).isNotNull();
            String person = m.userId() != null ? m.userId() : m.anonymousId();
            assertThat(new String(r.key(), StandardCharsets.UTF_8))
                    .as("key of " + id)
                    .isEqualTo(person);
            assertThat(value.get("type").asText()).isEqualTo(m.type().name());
            // exactly the single node's record (LogCodec): the envelope around the call as the client
            // sent it, or, for a call whose text holds an escape, the call field by field in this order
            List<String> fields = new ArrayList<>();
            value.fieldNames().forEachRemaining(fields::add);
            if (fields.contains("call")) {
                assertThat(fields)
                        .as("fields of " + id)
                        .containsExactly("type", "messageId", "timestamp", "receivedAt", "call");
                assertThat(value.get("call").get("messageId").asText()).isEqualTo(id);
            } else {
                assertThat(fields)
                        .as("fields of " + id)
                        .isSubsetOf(
                                "type",
                                "messageId",
                                "userId",
                                "anonymousId",
                                "event",
                                "name",
                                "groupId",
                                "previousId",
                                "properties",
                                "traits",
                                "context",
                                "timestamp",
                                "receivedAt");
                assertThat(fields.get(fields.size() - 1)).isEqualTo("receivedAt");
            }
        }
        assertThat(seen)
                .as("every accepted call exactly once")
                .hasSize(10)
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        // one person's calls share a partition, in the order the client sent them
        Map<String, Integer> partitionOf = new HashMap<>();
        for (var r : records) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(partitionOf.putIfAbsent(key, r.partition()) == null || partitionOf.get(key) == r.partition())
                    .as("one partition for " + key)
                    .isTrue();
        }
    }

    /** Five calls of one person, through Segment's own client. */
    private static void send(FusionServer server, String user, String device, Map<String, Message> sent)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(5);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Analytics analytics = Analytics.builder(Running.WRITE_KEY)
                .endpoint("http://127.0.0.1:" + server.port())
                .flushQueueSize(5)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        sent.put(message.messageId(), message);
                        done.countDown();
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failures.add(throwable);
                        done.countDown();
                    }
                })
                .build();
        analytics.enqueue(
                TrackMessage.builder("Product Viewed").anonymousId(device).properties(Map.of("brand", "brewline")));
        analytics.enqueue(
                IdentifyMessage.builder().userId(user).anonymousId(device).traits(Map.of("name", user)));
        analytics.enqueue(TrackMessage.builder("Membership Renewed")
                .userId(user)
                .properties(Map.of("brand", "brewline", "revenue", 30)));
        analytics.enqueue(TrackMessage.builder("Ticket Resolved")
                .userId(user)
                .properties(Map.of("brand", "brewline", "wow", true)));
        analytics.enqueue(AliasMessage.builder(device).userId(user));
        analytics.flush();
        assertThat(done.await(30, TimeUnit.SECONDS))
                .as("the SDK delivered every message")
                .isTrue();
        analytics.shutdown();
        assertThat(failures).isEmpty();
    }

    @Test
    @DisplayName("issue 14 item 3: the topic's values are byte for byte the records the single node stores in "
            + "its events log for the same requests")
    void theTopicHoldsTheSingleNodesLogRecords() throws Exception {
        Setup s = setup(2);
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
        List<String> bodies = List.of(
                "{\"batch\":[{\"type\":\"track\",\"messageId\":\"m1\",\"userId\":\"ana\",\"event\":\"Order Completed\","
                        + "\"timestamp\":\"2026-03-01T11:59:00Z\",\"properties\":{\"brand\":\"glitter\",\"revenue\":12.5,"
                        + "\"items\":[1,2]},\"context\":{\"ip\":\"10.0.0.1\"}},"
                        + "{\"type\":\"identify\",\"messageId\":\"m2\",\"anonymousId\":\"dev\",\"userId\":\"ana\","
                        + "\"traits\":{\"name\":\"Ana \\u00e9\"}},"
                        + "{\"type\":\"track\",\"messageId\":\"m1\",\"userId\":\"ana\",\"event\":\"Order Completed\"}],"
                        + "\"sentAt\":\"2026-03-01T12:00:05Z\"}",
                "{\"batch\":[{\"type\":\"page\",\"messageId\":\"m3\",\"anonymousId\":\"dev-2\",\"name\":\"Home\"},"
                        + "{\"type\":\"group\",\"messageId\":\"m4\",\"userId\":\"ana\",\"groupId\":\"glitter\","
                        + "\"traits\":{\"name\":\"Glitter\"}},{\"type\":\"alias\",\"messageId\":\"m5\","
                        + "\"previousId\":\"dev-2\",\"userId\":\"ana\"},{\"type\":\"track\",\"messageId\":\"m6\","
                        + "\"userId\":\"ana\",\"event\":\"Wishlist Synced\"},{\"type\":\"track\",\"messageId\":\"m6\","
                        + "\"userId\":\"ana\",\"event\":\"Wishlist Synced\"}]}");
        try (Running single = new Running(SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())), clock);
                Running cluster = new Running(kafkaServer(s, clock, Duration.ofSeconds(10)))) {
            for (String body : bodies) {
                var a = single.postJson("/v1/batch", body);
                var b = cluster.postJson("/v1/batch", body);
                assertThat(a.status()).as(a.raw().body()).isEqualTo(200);
                assertThat(b.body())
                        .as("the same answer, duplicates within the batch and unknown events included")
                        .isEqualTo(a.body());
            }
        }
        Map<String, String> stored = new HashMap<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                var rs = c.createStatement().executeQuery("SELECT message_id, body FROM events")) {
            while (rs.next()) stored.put(rs.getString(1), rs.getString(2));
        }
        Map<String, String> topic = new HashMap<>();
        for (var r : WORLD.kafka().readAll(s.topic())) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(topic.put(Running.JSON.readTree(value).get("messageId").asText(), value))
                    .isNull();
        }
        assertThat(stored).hasSize(6);
        assertThat(topic).isEqualTo(stored);
    }

    @Test
    @DisplayName("issue 14 item 3: with the broker down a batch is answered 503 with Retry-After, and every batch "
            + "acknowledged before and after is in the topic")
    void aStoppedBrokerGives503AndLosesNothingAcknowledged() throws Exception {
        Setup s = setup(1);
        List<String> acknowledged = new ArrayList<>();
        try (Running fusion = new Running(kafkaServer(s, Clock.systemUTC(), Duration.ofSeconds(2)))) {
            assertThat(post(fusion, "before", acknowledged).status()).isEqualTo(200);
            WORLD.kafka().stopBroker();
            try {
                var down = post(fusion, "during", acknowledged);
                assertThat(down.status()).as(down.raw().body()).isEqualTo(503);
                assertThat(down.raw().headers().firstValue("Retry-After")).isPresent();
                assertThat(down.body().get("error").asText()).contains("the event log is unavailable");
            } finally {
                WORLD.kafka().startBroker();
            }
            KafkaBroker.await(
                    Duration.ofSeconds(60),
                    "the server produces again",
                    () -> post(fusion, "after", acknowledged).status() == 200);
        }
        assertThat(acknowledged).contains("before-1", "before-2", "after-1", "after-2");
        List<String> inTopic = new ArrayList<>();
        for (var r : WORLD.kafka().readAll(s.topic())) {
            inTopic.add(Running.JSON.readTree(r.value()).get("messageId").asText());
        }
        assertThat(inTopic).as("nothing acknowledged was lost").containsAll(acknowledged);
    }

    private static Running.Reply post(Running fusion, String batch, List<String> acknowledged) {
        String body = "{\"batch\":[{\"type\":\"track\",\"messageId\":\"" + batch + "-1\",\"userId\":\"ana\","
                + "\"event\":\"Order Completed\",\"properties\":{\"revenue\":10}},"
                + "{\"type\":\"track\",\"messageId\":\"" + batch
                + "-2\",\"userId\":\"ana\",\"event\":\"Ticket Resolved\"}]}";
        Running.Reply r = fusion.postJson("/v1/batch", body);
        if (r.status() == 200) {
            acknowledged.add(batch + "-1");
            acknowledged.add(batch + "-2");
        }
        return r;
    }

    @Test
    @DisplayName("issue 14 item 2: /health shows the job's lag: the topic's end offsets minus log_progress, and "
            + "how long ago the oldest call not yet written was received")
    void healthShowsTheJobsLag() throws Exception {
        Setup s = setup(2);
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        var clock = new MutableClock(now);
        try (Running fusion = new Running(kafkaServer(s, clock, Duration.ofSeconds(10)))) {
            // four calls of ana and two of bea, received at 12:00:00; the job has written none yet
            for (int i = 0; i < 4; i++) post1(fusion, "ana-" + i, "ana");
            for (int i = 0; i < 2; i++) post1(fusion, "bea-" + i, "bea");
            int anaPartition = partitionOf(s.topic(), "ana");
            int beaPartition = partitionOf(s.topic(), "bea");
            clock.set(now.plusSeconds(90));
            KafkaBroker.await(
                    Duration.ofSeconds(10),
                    "a fresh health figure",
                    () -> fusion.send(java.net.http.HttpRequest.newBuilder(fusion.uri("/health"))
                                            .build())
                                    .body()
                                    .path("lag")
                                    .path("records")
                                    .asLong()
                            == 6);
            JsonNode lag = health(fusion).get("lag");
            assertThat(lag.get("seconds").asDouble()).isEqualTo(90.0);

            // the job wrote everything of ana's partition, and one record of bea's (if they differ)
            try (var c = DriverManager.getConnection(
                    "jdbc:postgresql://" + s.store().host() + ":" + s.store().port() + "/"
                            + s.store().database(),
                    s.store().user(),
                    s.store().password())) {
                var ins = c.prepareStatement("INSERT INTO log_progress (topic, partition, next_offset) VALUES (?,?,?)");
                ins.setString(1, s.topic());
                ins.setInt(2, anaPartition);
                ins.setLong(3, anaPartition == beaPartition ? 5 : 4);
                ins.executeUpdate();
                if (anaPartition != beaPartition) {
                    ins.setInt(2, beaPartition);
                    ins.setLong(3, 1);
                    ins.executeUpdate();
                }
            }
            KafkaBroker.await(
                    Duration.ofSeconds(10),
                    "the job's progress is seen",
                    () -> health(fusion).path("lag").path("records").asLong() == 1);
            assertThat(health(fusion).get("lag").get("seconds").asDouble()).isEqualTo(90.0);
        }
    }

    private static JsonNode health(Running fusion) {
        return fusion.send(java.net.http.HttpRequest.newBuilder(fusion.uri("/health"))
                        .build())
                .body();
    }

    private static int partitionOf(String topic, String key) {
        return WORLD.kafka().readAll(topic).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(key))
                .findFirst()
                .orElseThrow()
                .partition();
    }

    private static void post1(Running fusion, String id, String user) {
        var r = fusion.postJson(
                "/v1/track",
                "{\"messageId\":\"" + id + "\",\"userId\":\"" + user
                        + "\",\"event\":\"Order Completed\",\"timestamp\":\"2026-03-01T11:59:00Z\"}");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
