package fusion.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker (KRaft, one combined broker and controller) inside this JVM, on loopback,
 * from Kafka's own test kit: what the cluster demo and the Kafka-mode bench run against so that
 * nothing needs installing. Its log directories are temporary and go with {@link #close}.
 */
final class DemoBroker implements AutoCloseable {
    private final KafkaClusterTestKit kit;

    private DemoBroker(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    static DemoBroker start() throws Exception {
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
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
        } catch (Exception e) {
            kit.close();
            throw e;
        }
        return new DemoBroker(kit);
    }

    String bootstrapServers() {
        return kit.bootstrapServers();
    }

    void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("the demo's Kafka broker did not stop cleanly: " + e.getMessage(), e);
        }
    }
}
