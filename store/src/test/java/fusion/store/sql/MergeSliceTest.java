package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A merge step's size does not grow with the run size (issue 18: runs of 100,000 merging eight at a time). */
class MergeSliceTest {
    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @DisplayName(
            "eight runs of 6,000 entries merge in steps of at most 40,000 entries (not 8 x 6,000), and every entry is merged once")
    void aMergeStepMovesAtMostASlice(@TempDir Path dir) throws Exception {
        int runSize = 6_000;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            Migrations.apply(c, Dialect.SQLITE);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // eight runs of level 0, each of 6,000 entries spread over the same 500 profiles
                for (int run = 1; run <= SortedRuns.FANOUT; run++) {
                    s.execute(
                            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " + (runSize - 1)
                                    + ") INSERT INTO profile_index (run, profile, event_time, seq) SELECT " + run
                                    + ", 'p' || (i % 500), i, " + run + " * 1000000 + i FROM n");
                    s.execute("INSERT INTO index_runs (name, run, level, entries, merging_into) VALUES ('profile', "
                            + run + ", 0, " + runSize + ", NULL)");
                }
            }
            c.commit();
            long total = (long) SortedRuns.FANOUT * runSize;
            assertThat(SortedRuns.PROFILE.step(c, 0, runSize, List.of())).isEqualTo(SortedRuns.Step.STARTED);
            c.commit();
            long into = count(c, "SELECT MAX(run) FROM index_runs WHERE name = 'profile'");
            long before = 0;
            int steps = 0;
            SortedRuns.Step step;
            do {
                step = SortedRuns.PROFILE.step(c, 0, runSize, List.of());
                c.commit();
                steps++;
                long now = count(c, "SELECT COUNT(*) FROM profile_index WHERE run = " + into);
                assertThat(now - before).as("entries moved by step %d", steps).isLessThanOrEqualTo(SortedRuns.SLICE);
                before = now;
            } while (step == SortedRuns.Step.SLICED && steps < 100);
            assertThat(step).isEqualTo(SortedRuns.Step.MERGED);
            // at least total / SLICE steps are needed, so more than one: a slice of a run's worth each
            // (48,000 here) would have taken one
            assertThat(steps).isGreaterThanOrEqualTo((int) ((total + SortedRuns.SLICE - 1) / SortedRuns.SLICE));
            assertThat(count(c, "SELECT COUNT(*) FROM profile_index")).isEqualTo(total);
            assertThat(count(c, "SELECT COUNT(DISTINCT seq) FROM profile_index WHERE run = " + into))
                    .isEqualTo(total);
            assertThat(count(c, "SELECT COUNT(*) FROM index_runs WHERE name = 'profile'"))
                    .isEqualTo(1);
        }
    }
}
