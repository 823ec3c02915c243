package fusion.server;

import fusion.core.engine.ModelConfig;
import fusion.store.Store;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/** {@link PlanViolationsKeptTest} on PostgreSQL (a throw-away database; required when CI is set). */
class PostgresPlanViolationsKeptTest extends PlanViolationsKeptTest {
    private StoreUrl url;

    @BeforeEach
    void needsPostgres() {
        if (!PostgresServer.required()) {
            Assumptions.assumeTrue(PostgresServer.shared().isPresent(), "PostgreSQL is not installed");
        }
    }

    @Override
    protected Store store(boolean reopen) {
        if (!reopen || url == null) url = PostgresServer.shared().orElseThrow().newDatabase();
        return SqlStore.postgres(url, FusionServer.pipeline(ModelConfig.defaults(), plan()), true);
    }
}
