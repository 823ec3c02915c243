package fusion.store.sql;

import static fusion.store.Calls.T0;
import static fusion.store.Calls.track;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.model.Interaction;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Pipeline;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the walks of the whole log ({@code forEachEvent}, {@code forEachInteraction}) read it
 * in pages, each page a short read of its own ({@link SqlStore#WALK_PAGE} rows), so a walk holds no
 * read snapshot while its consumer works: one held through a whole walk kept SQLite's checkpoints
 * from reaching the end of the WAL, which grew without bound while walks followed each other.
 */
class LogWalksTest {
    private static final Pipeline PIPELINE =
            new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
    /** More than two pages. */
    private static final int EVENTS = 2 * SqlStore.WALK_PAGE + 345;

    @TempDir
    Path dir;

    /** Event {@code n} (from 1): every third is a page view, which scores nothing; the others are orders. */
    private static SegmentCall event(int n) {
        return track(
                "e" + n,
                "u" + (n % 50),
                null,
                n % 3 == 0 ? "Page Viewed Somewhere" : "Order Completed",
                T0.plus(Duration.ofMinutes(n)),
                Map.of("brand", "glitter", "revenue", n));
    }

    private static void write(SqlStore s, int from, int to) {
        for (int n = from; n <= to; n += 100) {
            List<SegmentCall> batch = new ArrayList<>();
            for (int k = n; k <= Math.min(to, n + 99); k++) batch.add(event(k));
            s.ingest(batch);
        }
    }

    /** TRUNCATE: every frame of the WAL into fusion.db, then the WAL emptied; busy when a reader's snapshot still needs the WAL. */
    private int[] checkpoint() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=200");
            try (ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertThat(rs.next()).isTrue();
                return new int[] {rs.getInt(1), rs.getInt(2)};
            }
        }
    }

    @Test
    @DisplayName(
            "issue 18 (h-wal): in the middle of a walk of the log, with events written after it began, a checkpoint empties the WAL: the walk holds no snapshot while its consumer works")
    void aWalkHoldsNoSnapshotWhileItsConsumerWorks() throws Exception {
        try (SqlStore s = SqlStore.sqlite(dir, PIPELINE)) {
            write(s, 1, EVENTS);
            List<int[]> seen = new ArrayList<>();
            int[] given = {0};
            s.forEachEvent(0, (seq, call) -> {
                if (++given[0] != SqlStore.WALK_PAGE + 500) return;
                try {
                    // frames in the WAL that the walk's start did not see, then a checkpoint of all of it
                    s.ingest(List.of(event(EVENTS + 1)));
                    seen.add(checkpoint());
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0)[0])
                    .as("busy: a snapshot kept the checkpoint from the WAL's end")
                    .isZero();
            assertThat(seen.get(0)[1]).as("WAL frames left after TRUNCATE").isZero();
        }
    }

    @Test
    @DisplayName(
            "issue 18 (h-wal): a walk of the log across several pages gives every event after its start position once, in log order, and stops at the log's end when it began")
    void aWalkGivesEachEventOnceUpToTheEndItStartedAt() {
        try (SqlStore s = SqlStore.sqlite(dir, PIPELINE)) {
            write(s, 1, EVENTS);
            List<String> ids = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            s.forEachEvent(0, (seq, call) -> {
                seqs.add(seq);
                ids.add(call.messageId());
                // written during the walk, after its start: not part of it
                if (ids.size() % 700 == 0) s.ingest(List.of(event(EVENTS + ids.size())));
            });
            List<String> expected = new ArrayList<>();
            for (int n = 1; n <= EVENTS; n++) expected.add("e" + n);
            assertThat(ids).containsExactlyElementsOf(expected);
            assertThat(seqs).isSorted().doesNotHaveDuplicates();

            List<String> after = new ArrayList<>();
            s.forEachEvent(seqs.get(1_234), (seq, call) -> after.add(call.messageId()));
            // the log now holds the EVENTS, then the three written during the walk (at 700, 1,400, 2,100)
            List<String> tail = new ArrayList<>(expected.subList(1_235, EVENTS));
            tail.addAll(List.of("e" + (EVENTS + 700), "e" + (EVENTS + 1_400), "e" + (EVENTS + 2_100)));
            assertThat(after).containsExactlyElementsOf(tail);
        }
    }

    @Test
    @DisplayName(
            "issue 18 (h-wal): a walk of the interactions across several pages gives each scored event once, in log order, and skips the events that score nothing")
    void aWalkOfInteractionsGivesEachScoredEventOnce() {
        try (SqlStore s = SqlStore.sqlite(dir, PIPELINE)) {
            write(s, 1, EVENTS);
            List<String> ids = new ArrayList<>();
            s.forEachInteraction((Interaction i) -> ids.add(i.id()));
            List<String> expected = new ArrayList<>();
            for (int n = 1; n <= EVENTS; n++) if (n % 3 != 0) expected.add("e" + n);
            assertThat(ids).containsExactlyElementsOf(expected);
        }
    }
}
