package fusion.flink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real Kafka broker (KRaft, one combined node) inside the test JVM, on loopback. */
final class Broker implements AutoCloseable {
    private final KafkaClusterTestKit kit;

    private Broker(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    static Broker start() throws Exception {
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                // one broker: without these the transaction and offsets topics wait for replicas for a minute
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return new Broker(kit);
    }

    String bootstrapServers() {
        return kit.bootstrapServers();
    }

    void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get();
        }
    }

    /**
     * Sends each (key, value) in order, acks=all, one request in flight, and waits for every
     * acknowledgement: a record the broker did not take fails the test here, not later as a missing
     * event. Not the idempotent producer: on this test broker, starved of CPU by the job in the same
     * JVM, it reset its sequence numbers, the broker refused every later batch (OutOfOrderSequence)
     * and, with the acknowledgements unchecked, 68 of 3,000 records never reached the topic. A retry
     * here may write a record twice, which the job drops as the resent duplicate it is.
     */
    void produce(String topic, List<Map.Entry<String, String>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (var r : records) {
                sent.add(producer.send(new ProducerRecord<>(
                        topic,
                        r.getKey().getBytes(StandardCharsets.UTF_8),
                        r.getValue().getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                try {
                    sent.get(i).get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(
                            "the broker did not take record " + i + " of " + sent.size() + " for " + topic,
                            e.getCause());
                }
            }
        }
    }

    /** Sends one record to the given partition. */
    void produce(String topic, int partition, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            topic,
                            partition,
                            key.getBytes(StandardCharsets.UTF_8),
                            value.getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
    }

    /** Each partition's end offset, as the broker reports it. */
    Map<Integer, Long> endOffsets(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (int i = 0; i < partitions; i++) ask.put(new TopicPartition(topic, i), OffsetSpec.latest());
            Map<Integer, Long> out = new HashMap<>();
            admin.listOffsets(ask).all().get().forEach((tp, info) -> out.put(tp.partition(), info.offset()));
            return out;
        }
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the test broker stopped", e);
        } catch (Exception e) {
            throw new IllegalStateException("the test broker did not stop cleanly", e);
        }
    }

    /**
     * The tests' PostgreSQL, shared by the tests of this JVM. Without one the test is skipped, with
     * the reason in the report, unless the build requires it (CI does: .ci/run installs it).
     */
    static fusion.store.sql.PostgresServer postgres() {
        var s = fusion.store.sql.PostgresServer.shared();
        if (!fusion.store.sql.PostgresServer.required()) {
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    s.isPresent(), "PostgreSQL is not installed (apt-get install postgresql)");
        }
        return s.orElseThrow(() -> new IllegalStateException("CI must have PostgreSQL: .ci/run installs it"));
    }
}
