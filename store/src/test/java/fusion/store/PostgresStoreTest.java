package fusion.store;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on a real PostgreSQL server (see {@link PostgresServer}), plus what only a
 * server database has: copying an embedded store into it, and surviving an outage.
 */
class PostgresStoreTest extends StoreContract {
    private PostgresServer server;
    private StoreUrl last;

    @BeforeEach
    void server() {
        var s = PostgresServer.shared();
        if (!PostgresServer.required()) {
            Assumptions.assumeTrue(s.isPresent(), "PostgreSQL is not installed (apt-get install postgresql)");
        }
        server = s.orElseThrow(() -> new IllegalStateException("CI must have PostgreSQL: .ci/run installs it"));
    }

    @Override
    protected Store create() {
        last = server.newDatabase();
        return SqlStore.postgres(last, pipeline(), true, SMALL_RUNS);
    }

    @Override
    protected Store reopen() {
        return SqlStore.postgres(last, pipeline(), false, SMALL_RUNS);
    }

    @Override
    protected Connection database() throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + last.host() + ":" + last.port() + "/" + last.database(), last.user(), "");
    }

    @Override
    protected Store migrateAndReopen() {
        SqlStore.migrate(last);
        return reopen();
    }

    @Override
    protected void forceSchemaVersion(int version) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://" + last.host() + ":" + last.port() + "/" + last.database(),
                        last.user(),
                        "");
                Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = " + version);
        }
    }

    @Test
    void anEmbeddedStoreCopiedIntoPostgresHasExactlyTheSameState(@TempDir Path dir) {
        Store embedded = SqlStore.sqlite(dir, pipeline());
        try {
            List<fusion.core.segment.SegmentCall> traffic = Calls.random(11, 1_000);
            for (int i = 0; i < traffic.size(); i += 250) embedded.ingest(traffic.subList(i, i + 250));
            Store pg = fresh();
            Replay.Report report = Replay.run(embedded, pg, new PrintStream(new ByteArrayOutputStream()));
            assertThat(report.differences()).isEmpty();
            assertThat(pg.digest()).isEqualTo(embedded.digest());
        } finally {
            embedded.close();
        }
    }

    @Test
    @org.junit.jupiter.api.DisplayName("issue 18: on PostgreSQL the log's views read the log and the ledger through "
            + "their own indexes (events_profile, ledger_pair), and the sorted runs stay empty")
    void theViewsReadTheLogByItsIndexes() throws Exception {
        Store store = fresh();
        store.ingest(List.of(
                Calls.track("m1", "ana", null, "Order Completed", Calls.T0, java.util.Map.of("brand", "glitter"))));
        try (Connection c = database();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO events (seq, message_id, type, name, profile, event_time, received_at, brand, "
                    + "channel, purpose, scored, body) SELECT 10 + g, 'x' || g, 'track', 'e', 'p' || (g % 5000), g, g, "
                    + "'b', NULL, NULL, 0, '{}' FROM generate_series(1, 100000) g");
            s.execute(
                    "INSERT INTO ledger (seq, party, brand, time, event_id, kind, experience_before, experience_after, "
                            + "fusion_before, fusion_after, faded, note, contributions, state) SELECT 10 + g, 'p' || (g % 5000), "
                            + "'b' || (g % 3), g, 'x' || g, 0, 0, 0, 0, 0, 0, '', '\\x00', '\\x00' FROM generate_series(1, 100000) g");
            try {
                s.execute("ANALYZE");
                assertThat(plan(c, "SELECT seq FROM profile_seqs WHERE profile = 'p42'"))
                        .contains("events_profile")
                        .doesNotContain("Seq Scan on events");
                assertThat(plan(c, "SELECT seq FROM pair_seqs WHERE party = 'p42' AND brand = 'b0'"))
                        .contains("ledger_pair")
                        .doesNotContain("Seq Scan on ledger");
                assertThat(
                                fusion.store.sql.SortedRunsCheck.rows(
                                        c,
                                        "SELECT "
                                                + "(SELECT COUNT(*) FROM profile_index_recent) + (SELECT COUNT(*) FROM profile_index) "
                                                + "+ (SELECT COUNT(*) FROM pair_index_recent) + (SELECT COUNT(*) FROM pair_index)"))
                        .as("PostgreSQL writes no sorted runs")
                        .containsExactly("0");
            } finally {
                // the rows planted above are not a log the store wrote
                s.execute("DELETE FROM events WHERE seq > 10");
                s.execute("DELETE FROM ledger WHERE seq > 10");
            }
        }
    }

    private static String plan(Connection c, String query) throws Exception {
        return String.join("\n", fusion.store.sql.SortedRunsCheck.rows(c, "EXPLAIN " + query));
    }

    @Test
    void aStoreThatWasNeverMigratedIsRefusedUntilMigrateRuns() {
        StoreUrl url = server.newDatabase();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SqlStore.postgres(url, pipeline(), false))
                .hasMessageContaining("run ./fusion migrate");
        assertThat(SqlStore.migrate(url))
                .as("V15, the latest, drops the ledger's brand index: a brand's series reads its pairs")
                .isEqualTo(15);
        SqlStore.postgres(url, pipeline(), false).close();
    }
}
