package fusion.server;

import fusion.store.sql.PostgresServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a Kafka-mode server test runs against, started once per test class: a Kafka broker in this
 * JVM and the tests' PostgreSQL (the class is skipped with the reason where PostgreSQL is missing
 * and not required; CI requires it). {@code @RegisterExtension static final KafkaWorld WORLD = new KafkaWorld();}
 */
final class KafkaWorld implements BeforeAllCallback, AfterAllCallback {
    private KafkaBroker kafka;
    private PostgresServer pg;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        var maybe = PostgresServer.shared();
        if (!PostgresServer.required()) Assumptions.assumeTrue(maybe.isPresent(), "PostgreSQL is not installed");
        pg = maybe.orElseThrow();
        kafka = new KafkaBroker();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) kafka.close();
        kafka = null;
    }

    KafkaBroker kafka() {
        if (kafka == null) throw new IllegalStateException("the broker runs only inside the test class");
        return kafka;
    }

    PostgresServer pg() {
        if (pg == null) throw new IllegalStateException("PostgreSQL is known only inside the test class");
        return pg;
    }
}
