package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Calls;
import fusion.store.LedgerView;
import fusion.store.Pipeline;
import fusion.store.RelationshipView;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a pair's newest ledger entries, when the writer's memory holds as many as a read asks
 * for, come without the pair index's tables: under ingest every commit drops a read connection's
 * page cache, so each statement a read skips is pages it does not read again. The witness is the
 * index's view itself, taken away beside the open store: a read that still asks it fails.
 */
class LedgerFromMemoryTest {
    private static final Pipeline PIPELINE =
            new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));

    @TempDir
    Path dir;

    @Test
    @DisplayName("issue 18: a pair's newest entries come from memory without the index's tables when memory holds"
            + " the whole limit, and from the tables too when it does not")
    void theNewestEntriesComeFromMemoryAlone() throws Exception {
        // runs of 1,000: none of these 6 entries moves into the tables, all are in memory
        try (SqlStore s =
                SqlStore.sqlite(dir, PIPELINE, StoreSettings.defaults().withIndexRun(1000))) {
            List<SegmentCall> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(Calls.track(
                        "m" + i,
                        "alice",
                        null,
                        "Order Completed",
                        Calls.T0.plusSeconds(i),
                        Map.of("brand", "glitter")));
            }
            s.ingest(calls);
            String id = s.profile("alice").orElseThrow().id();
            List<LedgerView> all = s.ledger(id, "glitter", Integer.MAX_VALUE);
            assertThat(all).as("one entry an event, newest first").hasSize(6);
            assertThat(all).extracting(LedgerView::eventId).containsExactly("m5", "m4", "m3", "m2", "m1", "m0");

            String view;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                    Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'pair_seqs'")) {
                    assertThat(rs.next()).as("the pair index's view").isTrue();
                    view = rs.getString(1);
                }
                st.execute("DROP VIEW pair_seqs");
            }
            try {
                for (int limit : new int[] {1, 3, 6}) {
                    assertThat(s.ledger(id, "glitter", limit))
                            .as("limit %d", limit)
                            .isEqualTo(all.subList(0, limit));
                    RelationshipView r =
                            s.relationships(id, Calls.T0.plusSeconds(60), limit).get(0);
                    assertThat(r.ledger())
                            .as("relationships at limit %d", limit)
                            .isEqualTo(all.subList(0, limit));
                }
                assertThat(s.relationships(id, Calls.T0.plusSeconds(60), 0)
                                .get(0)
                                .ledger())
                        .isEmpty();
                // 7 > the 6 in memory: the tables are asked, and the view is gone
                assertThatThrownBy(() -> s.ledger(id, "glitter", 7))
                        .as("a read that needs the tables asks them")
                        .hasStackTraceContaining("pair_seqs");
            } finally {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                        Statement st = c.createStatement()) {
                    st.execute(view);
                }
            }
            assertThat(s.ledger(id, "glitter", 7)).as("with the view back").isEqualTo(all);
        }
    }
}
