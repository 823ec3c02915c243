package fusion.store;

import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite store. */
class SqliteStoreTest extends StoreContract {
    @TempDir
    Path root;
    private int count;
    private Path last;

    @Override
    protected Store create() {
        last = root.resolve("store-" + count++);
        return SqlStore.sqlite(last, pipeline());
    }

    @Override
    protected Store reopen() {
        return SqlStore.sqlite(last, pipeline());
    }

    @Override
    protected void forceSchemaVersion(int version) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + last.resolve("fusion.db"));
             Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = " + version);
        }
    }
}
