package fusion.store.sql;

import static fusion.store.Calls.T0;
import static fusion.store.Calls.track;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentMapping;
import fusion.store.Pipeline;
import fusion.store.RelationshipView;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: SQLite's read connections keep their prepared statements between reads ({@link
 * Queries}). A kept statement left mid-result would hold its connection in an old read snapshot:
 * later reads on it would miss newer writes, and checkpoints could not empty the WAL. One read
 * connection here, so every read reuses the same statements.
 */
class KeptStatementsTest {
    private static final Pipeline PIPELINE =
            new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));

    @TempDir
    Path dir;

    private static SqlStore oneReader(Path dir) {
        return SqlStore.sqlite(dir, PIPELINE, new StoreSettings(32, 1, 100_000, 200_000));
    }

    private static void order(SqlStore s, int n) {
        s.ingest(List.of(track(
                "m" + n,
                "ana",
                null,
                "Order Completed",
                T0.plus(Duration.ofHours(n)),
                Map.of("brand", "glitter", "revenue", 10))));
    }

    @Test
    @DisplayName("issue 18: reads on one connection with kept statements see every order written before them")
    void readsOnKeptStatementsSeeEveryEarlierWrite() {
        try (SqlStore s = oneReader(dir)) {
            for (int n = 1; n <= 25; n++) {
                order(s, n);
                String id = s.profile("ana").orElseThrow().id();
                List<RelationshipView> rel = s.relationships(id, T0.plus(Duration.ofDays(30)), 100);
                // n orders so far, each one event of the pair and one ledger entry, and one timeline item
                assertThat(rel)
                        .singleElement()
                        .extracting(RelationshipView::events)
                        .isEqualTo((long) n);
                assertThat(rel.get(0).ledger()).as("ledger after order %d", n).hasSize(n);
                assertThat(rel.get(0).ledger().get(0).eventId()).isEqualTo("m" + n);
                assertThat(s.ledger(id, "glitter", 3)).hasSize(Math.min(3, n));
                assertThat(s.timeline(id, 100)).hasSize(n);
                assertThat(s.profile("ana").orElseThrow().events()).isEqualTo(n);
            }
        }
    }

    @Test
    @DisplayName("issue 18: kept statements hold no read snapshot between reads, so a checkpoint empties the WAL")
    void keptStatementsLetACheckpointEmptyTheWal() throws Exception {
        try (SqlStore s = oneReader(dir)) {
            for (int n = 1; n <= 5; n++) order(s, n);
            String id = s.profile("ana").orElseThrow().id();
            s.relationships(id, T0.plus(Duration.ofDays(30)), 10);
            s.timeline(id, 10);
            s.ledger(id, "glitter", 10);
            s.profile("nobody"); // the identity look-ups that find nothing
            s.profile("ana"); // and last, one that finds its row
            for (int n = 6; n <= 10; n++) order(s, n);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertThat(rs.next()).isTrue();
                // busy 0: no connection's snapshot kept the checkpoint from the end of the WAL; log 0: emptied
                assertThat(rs.getInt(1)).as("busy").isZero();
                assertThat(rs.getInt(2)).as("WAL frames left").isZero();
            }
        }
    }

    @Test
    @DisplayName("issue 18: a read that failed leaves its connection's kept statements usable: once the cause is"
            + " gone the same read answers")
    void aFailedReadDoesNotPoisonTheKeptStatements() throws Exception {
        try (SqlStore s = oneReader(dir)) {
            order(s, 1);
            order(s, 2);
            String id = s.profile("ana").orElseThrow().id();
            // every entry asked for: the pair index's view is always read, so its statement is kept
            int before = s.ledger(id, "glitter", Integer.MAX_VALUE).size();
            assertThat(before).isEqualTo(2);
            String view;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                    Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'pair_seqs'")) {
                    assertThat(rs.next()).isTrue();
                    view = rs.getString(1);
                }
                st.execute("DROP VIEW pair_seqs");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.ledger(id, "glitter", Integer.MAX_VALUE))
                        .as("the view is gone")
                        .hasStackTraceContaining("pair_seqs");
                st.execute(view);
            }
            assertThat(s.ledger(id, "glitter", Integer.MAX_VALUE))
                    .as("the same read on the same (only) read connection, the view back")
                    .hasSize(2);
        }
    }
}
