package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentMapping;
import fusion.store.Pipeline;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uplift route ({@code GET /api/actions/{id}/uplift}) reads one action's decisions in time
 * order; with the V9 index each store's planner finds them by the index, in order, instead of
 * scanning and sorting every decision. The query is the one {@link SqlDecisionRecords} runs.
 */
class DecisionsByActionIndexTest {
    private static final String QUERY = "SELECT * FROM decisions WHERE action = 'welcome-offer' ORDER BY at, id";

    @Test
    @DisplayName("issue 14 leftovers item 3: on SQLite, one action's decisions are searched by the decisions_action "
            + "index and come in order without a sort")
    void sqliteSearchesTheIndex(@TempDir Path dir) throws Exception {
        SqlStore.sqlite(dir, new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own")))
                .close();
        List<String> plan = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + QUERY)) {
            while (rs.next()) plan.add(rs.getString("detail"));
        }
        assertThat(plan)
                .as("SQLite's plan")
                .anyMatch(line -> line.startsWith("SEARCH decisions USING") && line.contains("INDEX decisions_action"));
        assertThat(plan).as("SQLite's plan").noneMatch(line -> line.contains("TEMP B-TREE"));
    }

    @Test
    @DisplayName("issue 14 leftovers item 3: on PostgreSQL, one action's decisions can be read by an index scan on "
            + "decisions_action, in order without a sort")
    void postgresCanScanTheIndex() throws Exception {
        var maybe = PostgresServer.shared();
        if (!PostgresServer.required())
            org.junit.jupiter.api.Assumptions.assumeTrue(maybe.isPresent(), "PostgreSQL is not installed");
        StoreUrl url = maybe.orElseThrow().newDatabase();
        SqlStore.migrate(url);
        List<String> plan = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url.jdbc(), url.properties());
                Statement s = c.createStatement()) {
            // an empty table is cheaper to scan: the question is whether an index can serve the query
            s.execute("SET enable_seqscan = off");
            try (ResultSet rs = s.executeQuery("EXPLAIN " + QUERY)) {
                while (rs.next()) plan.add(rs.getString(1));
            }
        }
        assertThat(plan).as("PostgreSQL's plan").anyMatch(line -> line.contains("decisions_action"));
        assertThat(plan)
                .as("PostgreSQL's plan")
                .noneMatch(line -> line.strip().startsWith("Sort") || line.contains("-> Sort"));
    }
}
