package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Calls;
import fusion.store.Pipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's sizes are settings that reach the writer, and out-of-range ones are refused naming the field. */
class StoreSettingsTest {
    @TempDir
    Path dir;

    private int ids;

    @Test
    @DisplayName("issue 13: the writer's party cache holds as many parties as the setting says, no more")
    void theCachedPartiesSettingBoundsTheWritersCache() {
        // 3,000 parties, then all 3,000 again. With room for 100,000 (the default) every state is still
        // cached: no database read. With room for 1,000, at most 1,000 of them can be cached when they come
        // back, so at least 2,000 are read from the database again (Caffeine's policy decides which).
        assertThat(readsWhenEveryoneComesBack(StoreSettings.defaults())).isZero();
        assertThat(readsWhenEveryoneComesBack(new StoreSettings(32, 4, 1_000, 200_000)))
                .isGreaterThanOrEqualTo(2_000);
    }

    @Test
    @DisplayName("issue 13: store sizes out of range are refused naming the field and the accepted range")
    void outOfRangeSizesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new StoreSettings(0, 4, 100_000, 200_000))
                .hasMessage("writerGroup: expected 1 to 1024 but was 0");
        assertThatThrownBy(() -> new StoreSettings(32, 65, 100_000, 200_000))
                .hasMessage("readPool: expected 1 to 64 but was 65");
        assertThatThrownBy(() -> new StoreSettings(32, 4, 999, 200_000))
                .hasMessage("cachedParties: expected 1000 to 10000000 but was 999");
        assertThatThrownBy(() -> new StoreSettings(32, 4, 100_000, 10_000_001))
                .hasMessage("cachedIdentities: expected 1000 to 10000000 but was 10000001");
    }

    private long readsWhenEveryoneComesBack(StoreSettings settings) {
        Path data = dir.resolve("s" + settings.cachedParties());
        try (SqlStore store = SqlStore.sqlite(
                data, new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own")), settings)) {
            for (int from = 0; from < 3_000; from += 500) store.ingest(calls(from, from + 500));
            long before = store.writerLoads();
            for (int from = 0; from < 3_000; from += 500) store.ingest(calls(from, from + 500));
            return store.writerLoads() - before;
        }
    }

    private List<SegmentCall> calls(int from, int to) {
        List<SegmentCall> calls = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids++;
            calls.add(Calls.track(
                    "m" + ids,
                    "u" + i,
                    null,
                    "Order Completed",
                    Calls.T0.plusSeconds(ids),
                    Map.of("description", "fine", "revenue", 5)));
        }
        return calls;
    }
}
