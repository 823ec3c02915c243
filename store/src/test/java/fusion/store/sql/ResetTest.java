package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The demo's {@code --reset} on PostgreSQL: every Fusion table goes, so the schema can be made again. */
class ResetTest {

    @Test
    @DisplayName("a PostgreSQL store reset with dropAll migrates again to the current schema, log_progress included")
    void aResetDatabaseMigratesAgain() throws Exception {
        StoreUrl url = TestDatabases.fresh();
        int version = SqlStore.migrate(url);
        SqlStore.dropAll(url);
        // before log_progress was in dropAll's list, this failed: relation "log_progress" already exists
        assertThat(SqlStore.migrate(url)).isEqualTo(version);
        try (Connection c = DriverManager.getConnection(url.jdbc(), url.properties());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM log_progress")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }
}
