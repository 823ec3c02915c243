package fusion.store.sql;

import static fusion.store.Calls.T0;
import static fusion.store.Calls.identify;
import static fusion.store.Calls.track;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeInOneBatchTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("a profile scored and then absorbed by a merge in the same batch leaves no relationship row")
    void anAbsorbedPairScoredInTheSameBatchLeavesNoRow() {
        try (SqlStore s = SqlStore.sqlite(
                dir,
                new fusion.store.Pipeline(
                        new fusion.core.engine.Engine(fusion.core.engine.ModelConfig.defaults()),
                        fusion.core.segment.SegmentMapping.standard("own")))) {
            s.ingest(List.of(
                    track("a1", "ana", null, "Order Completed", T0, Map.of("brand", "glitter", "revenue", 10))));
            s.ingest(List.of(
                    track(
                            "b1",
                            null,
                            "d-9",
                            "Order Completed",
                            T0.plusSeconds(5),
                            Map.of("brand", "glitter", "revenue", 5)),
                    track(
                            "b2",
                            null,
                            "d-9",
                            "Order Completed",
                            T0.plusSeconds(6),
                            Map.of("brand", "other", "revenue", 5)),
                    identify("b3", "ana", "d-9", T0.plusSeconds(10), Map.of())));
            List<String> parties = s.readWith("rows", c -> {
                List<String> out = new ArrayList<>();
                try (ResultSet rs = c.createStatement()
                        .executeQuery("SELECT party || '/' || brand FROM relationships ORDER BY 1")) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            });
            List<String> profiles = s.readWith("rows", c -> {
                List<String> out = new ArrayList<>();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM profiles ORDER BY 1")) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            });
            assertThat(profiles).containsExactly("ana");
            assertThat(parties).containsExactly("ana/glitter", "ana/other");
        }
    }
}
