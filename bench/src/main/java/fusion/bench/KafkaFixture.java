package fusion.bench;

import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * What the Kafka mode of {@code run-ingest-http.sh} runs the ingest tier against, in a JVM of its
 * own so that the server's CPU is the server's alone: a KRaft broker (Kafka's test kit, one
 * combined node, loopback) with the topic, and a PostgreSQL database with Fusion's schema (the
 * one named, else a throw-away server from the system's binaries). Prints {@code bootstrap=...}
 * and {@code store=...}, then runs until its standard input closes.
 *
 * <p>Usage: {@code KafkaFixture TOPIC PARTITIONS [postgresql://...]}
 */
public final class KafkaFixture {
    private KafkaFixture() {}

    public static void main(String[] a) throws Exception {
        String topic = a[0];
        int partitions = Integer.parseInt(a[1]);
        StoreUrl store = a.length > 2
                ? StoreUrl.parse(a[2])
                : PostgresServer.shared()
                        .orElseThrow(() -> new IllegalStateException(
                                "no PostgreSQL: install it (apt-get install postgresql) or set FUSION_BENCH_STORE"))
                        .newDatabase();
        if (a.length > 2) SqlStore.dropAll(store); // the bench's own database: a run starts empty
        SqlStore.migrate(store);
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kit.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        System.out.println("bootstrap=" + kit.bootstrapServers());
        System.out.println("store=postgresql://" + store.user()
                + (store.password() == null ? "" : ":" + store.password()) + "@" + store.host() + ":" + store.port()
                + "/" + store.database());
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // runs until the script closes our standard input (or kills us)
            }
        } catch (IOException e) {
            // the script is gone
        }
        kit.close();
    }
}
