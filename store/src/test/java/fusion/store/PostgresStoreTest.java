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
    @org.junit.jupiter.api.DisplayName(
            "issue 18: on PostgreSQL too, a person's entries in the sorted runs are found by "
                    + "index, not by scanning the runs (the plan of the view's query over 100,000 entries in five runs)")
    void aReadSeeksTheRunsByIndex() throws Exception {
        fresh().close();
        try (Connection c = database();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO profile_index (run, profile, event_time, seq) "
                    + "SELECT 2 + g % 5, 'p' || (g % 5000), g, g FROM generate_series(1, 100000) g");
            s.execute("INSERT INTO index_runs (name, run, level, entries) "
                    + "SELECT 'profile', r, 0, 20000 FROM generate_series(2, 6) r");
            s.execute("INSERT INTO pair_index (run, party, brand, seq) "
                    + "SELECT 2 + g % 5, 'p' || (g % 5000), 'b' || (g % 3), g FROM generate_series(1, 100000) g");
            s.execute("INSERT INTO index_runs (name, run, level, entries) "
                    + "SELECT 'pair', r, 0, 20000 FROM generate_series(2, 6) r");
            try {
                s.execute("ANALYZE");
                // a nested loop over the runs, each an index condition on (run, owner)
                assertThat(plan(c, "SELECT seq FROM profile_seqs WHERE profile = 'p42'"))
                        .contains("profile_index_pkey")
                        .containsPattern("Index Cond: \\(\\(run = [a-z_.]+\\) AND \\(profile = 'p42'")
                        .doesNotContain("Seq Scan on profile_index ");
                assertThat(plan(c, "SELECT seq FROM pair_seqs WHERE party = 'p42' AND brand = 'b0'"))
                        .contains("pair_index_pkey")
                        .containsPattern("Index Cond: \\(\\(run = [a-z_.]+\\) AND \\(party = 'p42'")
                        .doesNotContain("Seq Scan on pair_index ");
            } finally {
                // the entries planted above are not in the log: the contract's check would rightly refuse them
                s.execute("DELETE FROM profile_index");
                s.execute("DELETE FROM pair_index");
                s.execute("DELETE FROM index_runs");
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
                .as("V10, the latest, keeps the log's indexes as sorted runs")
                .isEqualTo(10);
        SqlStore.postgres(url, pipeline(), false).close();
    }
}
