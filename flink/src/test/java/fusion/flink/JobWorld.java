package fusion.flink;

import fusion.store.sql.PostgresServer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a job test runs against, started once per test class: a Kafka broker in this JVM and the
 * tests' PostgreSQL (skipped with the reason where PostgreSQL is missing and not required). The
 * MiniCluster is a second extension ({@link #miniCluster}), registered beside this one:
 *
 * <pre>{@code
 * @RegisterExtension static final MiniClusterExtension FLINK = JobWorld.miniCluster(4);
 * @RegisterExtension static final JobWorld WORLD = new JobWorld();
 * }</pre>
 */
final class JobWorld implements BeforeAllCallback, AfterAllCallback {
    private Broker broker;
    private PostgresServer postgres;

    /** A MiniCluster of one TaskManager with {@code slots} task slots. */
    static MiniClusterExtension miniCluster(int slots) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .build());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = Broker.postgres();
        broker = Broker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) broker.close();
        broker = null;
    }

    Broker broker() {
        if (broker == null) throw new IllegalStateException("the broker runs only inside the test class");
        return broker;
    }

    PostgresServer postgres() {
        if (postgres == null) throw new IllegalStateException("PostgreSQL is known only inside the test class");
        return postgres;
    }
}
