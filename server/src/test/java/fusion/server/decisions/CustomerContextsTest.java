package fusion.server.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.consent.ConsentPolicy;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionServer;
import fusion.server.models.CustomerValueService;
import fusion.server.privacy.ConsentService;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The context a decision is made in carries the customer-value model's figures for the person. */
class CustomerContextsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void predictedValueAndProbabilityAliveComeFromTheFittedModel(@TempDir Path dir) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Store store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            List<SegmentCall> calls = new ArrayList<>();
            for (int c = 0; c < 40; c++) {
                for (int k = 0; k <= c % 5; k++) {
                    Instant at = NOW.minus(Duration.ofDays(200 - 13L * k - c));
                    calls.add(new SegmentCall(
                            SegmentCall.Type.TRACK,
                            "m" + c + "-" + k,
                            "c" + c,
                            null,
                            "Order Completed",
                            null,
                            null,
                            null,
                            Map.of("brand", "glitter", "revenue", 20 + c),
                            Map.of(),
                            Map.of(),
                            at,
                            at));
                }
            }
            store.ingest(calls);
            ConsentService consent = new ConsentService(store, ConsentPolicy.standard(), clock);
            CustomerValueService values = CustomerValueService.once(store, clock);
            CustomerContexts contexts = new CustomerContexts(
                    store,
                    FusionServer.pipeline(ModelConfig.defaults()),
                    consent,
                    values,
                    (profile, audience) -> false);
            var with = contexts.build(store.profile("c4").orElseThrow(), "glitter", NOW);
            var expected = values.value("c4", "glitter");
            assertThat(expected.lifetimeValue()).as(expected.message()).isNotNull();
            assertThat(with.predictedValue().getAsDouble()).isEqualTo(expected.lifetimeValue());
            assertThat(with.probabilityAlive().getAsDouble())
                    .isEqualTo(expected.probabilityAlive())
                    .isBetween(0.0, 1.0);
        }
    }
}
