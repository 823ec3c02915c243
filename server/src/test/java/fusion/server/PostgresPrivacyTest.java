package fusion.server;

import fusion.core.engine.ModelConfig;
import fusion.store.Store;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/** {@link PrivacyContract} on PostgreSQL (a throw-away cluster; required when CI is set). */
class PostgresPrivacyTest extends PrivacyContract {
    @BeforeEach
    void needsPostgres() {
        if (!PostgresServer.required()) {
            Assumptions.assumeTrue(PostgresServer.shared().isPresent(), "PostgreSQL is not installed");
        }
    }

    @Override
    protected Store newStore() {
        return SqlStore.postgres(
                PostgresServer.shared().orElseThrow().newDatabase(),
                FusionServer.pipeline(ModelConfig.defaults()),
                true);
    }
}
