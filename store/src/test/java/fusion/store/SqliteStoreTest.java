package fusion.store;

import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite store, plus what is particular to it. */
class SqliteStoreTest extends StoreContract {
    @TempDir
    Path root;

    private int count;
    private Path last;

    @Override
    protected Store create() {
        last = root.resolve("store-" + count++);
        return SqlStore.sqlite(last, pipeline(), SMALL_RUNS);
    }

    @Override
    protected Store reopen() {
        return SqlStore.sqlite(last, pipeline(), SMALL_RUNS);
    }

    @org.junit.jupiter.api.Test
    void theEmbeddedStoreIsOneFileInWalMode() throws Exception {
        fresh().ingest(java.util.List.of(
                Calls.track("w1", "ana", null, "Order Completed", Calls.T0, java.util.Map.of("revenue", 5))));
        org.assertj.core.api.Assertions.assertThat(last.resolve("fusion.db")).exists();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + last.resolve("fusion.db"));
                Statement s = c.createStatement();
                var rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            org.assertj.core.api.Assertions.assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Override
    protected Connection database() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + last.resolve("fusion.db"));
    }

    @Override
    protected Store migrateAndReopen() {
        return reopen(); // the embedded store migrates as it opens
    }

    @Override
    protected void forceSchemaVersion(int version) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + last.resolve("fusion.db"));
                Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = " + version);
        }
    }
}
