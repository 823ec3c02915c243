package fusion.server;

import fusion.core.engine.ModelConfig;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link PrivacyContract} on the embedded store. */
class SqlitePrivacyTest extends PrivacyContract {
    @TempDir
    Path dir;

    private int n;

    @Override
    protected Store newStore() {
        return SqlStore.sqlite(dir.resolve("store-" + n++), FusionServer.pipeline(ModelConfig.defaults()));
    }
}
