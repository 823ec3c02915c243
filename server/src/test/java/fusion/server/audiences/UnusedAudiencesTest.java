package fusion.server.audiences;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionServer;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: every event's interaction kept in memory for audiences survives young collections
 * until it is promoted; while no audience is defined nothing is kept, and a preview or the first
 * definition reads everyone from the log with the same answers.
 */
@DisplayName("issue 18 audiences: no interaction is kept in memory while no audience is defined")
class UnusedAudiencesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-05-10T12:00:00Z");
    private static final String BUYERS = "{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":1}";

    @Test
    @DisplayName(
            "events settled with no audience keep nothing; a preview and the first definition still see everyone; deleting the last audience drops them again")
    void nothingKeptWithoutAnAudience(@TempDir Path dir) throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Store store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            AudienceService audiences = new AudienceService(store, null, null, clock);
            // by hand: u0..u5 each view a product; u0, u2 and u4 also buy: 9 interactions, 6 people, 3 buyers
            List<SegmentCall> batch = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                batch.add(AudienceCalls.track("v" + p, "u" + p, "Product Viewed", NOW.minus(Duration.ofDays(2))));
                if (p % 2 == 0)
                    batch.add(AudienceCalls.track("o" + p, "u" + p, "Order Completed", NOW.minus(Duration.ofDays(1))));
            }
            store.ingest(batch);
            audiences.settle();
            assertThat(audiences.keptInteractions())
                    .as("no audience is defined")
                    .isZero();

            var preview = audiences.preview(JSON.readTree(BUYERS), 10);
            assertThat(preview.people()).isEqualTo(6);
            assertThat(preview.size()).isEqualTo(3);
            assertThat(preview.sample()).containsExactly("u0", "u2", "u4");
            assertThat(audiences.keptInteractions())
                    .as("a preview with no audience defined keeps nothing after it")
                    .isZero();

            audiences.save("buyers", null, JSON.readTree(BUYERS));
            assertThat(audiences.members("buyers")).containsExactlyInAnyOrder("u0", "u2", "u4");
            assertThat(audiences.keptInteractions())
                    .as("with an audience defined, everyone's interactions are kept")
                    .isEqualTo(9);

            store.ingest(List.of(AudienceCalls.track("o1", "u1", "Order Completed", NOW.minus(Duration.ofHours(1)))));
            assertThat(audiences.members("buyers")).containsExactlyInAnyOrder("u0", "u1", "u2", "u4");
            assertThat(audiences.members("buyers")).isEqualTo(audiences.evaluateFromLog("buyers"));
            assertThat(audiences.keptInteractions()).isEqualTo(10);

            audiences.delete("buyers");
            store.ingest(List.of(AudienceCalls.track("v9", "u9", "Product Viewed", NOW.minus(Duration.ofHours(1)))));
            assertThat(audiences.keptInteractions())
                    .as("the last audience deleted")
                    .isZero();
            // defined again: everyone, the events settled while none was defined included, from the log
            audiences.save("buyers", null, JSON.readTree(BUYERS));
            assertThat(audiences.members("buyers")).containsExactlyInAnyOrder("u0", "u1", "u2", "u4");
            assertThat(audiences.keptInteractions()).isEqualTo(11);
        }
    }
}
