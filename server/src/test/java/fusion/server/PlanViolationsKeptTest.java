package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.TrackingPlan;
import fusion.server.access.Credentials;
import fusion.server.plan.PlanFile;
import fusion.server.plan.PlanViolations;
import fusion.store.PlanViolationRecords;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, tracking plan: violations are kept in the store (schema v6), so a restart keeps their
 * counts and samples, and they are written in coalesced flushes, not once per event.
 */
class PlanViolationsKeptTest {
    @TempDir
    Path dir;

    /** The store a server runs on; {@code reopen}: the same one as before. */
    protected Store store(boolean reopen) {
        return SqlStore.sqlite(dir.resolve("data"), FusionServer.pipeline(ModelConfig.defaults(), plan()));
    }

    TrackingPlan plan() {
        try {
            Path file = dir.resolve("plan.json");
            if (!Files.exists(file)) Files.writeString(file, TrackingPlanModesTest.PLAN);
            return PlanFile.read(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Running start(boolean reopen) {
        return new Running(FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(Running.WRITE_KEY, Running.ADMIN))
                        .withTrackingPlan(plan()),
                store(reopen)));
    }

    private static void track(Running s, String id, String event, String properties) {
        var r = s.postJson(
                "/v1/track",
                "{\"messageId\":\"" + id + "\",\"userId\":\"ana\",\"event\":\"" + event
                        + "\",\"timestamp\":\"2026-11-01T10:00:00Z\",\"properties\":" + properties + "}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }

    private static JsonNode counter(JsonNode violations, String event) {
        for (JsonNode v : violations.get("violations"))
            if (v.get("event").asText().equals(event)) return v;
        throw new AssertionError("no counter for " + event + " in " + violations);
    }

    private static List<String> sampleIds(JsonNode counter) {
        List<String> out = new ArrayList<>();
        counter.get("samples").forEach(s -> out.add(s.get("messageId").asText()));
        return out;
    }

    @Test
    @DisplayName("issue 16 tracking plan: violations survive a restart, their counts added to and their samples "
            + "the newest five, across two restarts")
    void violationsSurviveARestart() {
        String since;
        try (Running s = start(false)) {
            for (int i = 1; i <= 7; i++) track(s, "w" + i, "Wondered", "{}");
            track(s, "o1", "Order Completed", "{\"revenue\":10}");
            JsonNode before = s.get("/api/tracking-plan/violations").body();
            assertThat(before.get("total").asLong()).isEqualTo(8);
            since = before.get("since").asText();
        }
        try (Running s = start(true)) {
            JsonNode after = s.get("/api/tracking-plan/violations").body();
            assertThat(after.get("total").asLong()).isEqualTo(8);
            assertThat(after.get("since").asText()).isEqualTo(since);
            JsonNode wondered = counter(after, "Wondered");
            assertThat(wondered.get("count").asLong()).isEqualTo(7);
            assertThat(wondered.get("kind").asText()).isEqualTo("unknown event");
            assertThat(sampleIds(wondered)).containsExactly("w3", "w4", "w5", "w6", "w7");
            JsonNode order = counter(after, "Order Completed");
            assertThat(order.get("field").asText()).isEqualTo("properties.order_id");
            assertThat(order.get("kind").asText()).isEqualTo("missing property");
            assertThat(sampleIds(order)).containsExactly("o1");
            track(s, "w8", "Wondered", "{}");
            track(s, "w9", "Wondered", "{}");
        }
        try (Running s = start(true)) {
            JsonNode again = s.get("/api/tracking-plan/violations").body();
            JsonNode wondered = counter(again, "Wondered");
            assertThat(wondered.get("count").asLong()).isEqualTo(9);
            assertThat(sampleIds(wondered)).containsExactly("w5", "w6", "w7", "w8", "w9");
            assertThat(again.get("total").asLong()).isEqualTo(10);
            assertThat(again.get("sources").get(0).get("mode").asText()).isEqualTo("flag");
        }
    }

    /** The store's records, counting the writes made through them. */
    static final class CountingRecords implements PlanViolationRecords {
        final PlanViolationRecords real;
        final List<Integer> writes = new ArrayList<>();

        CountingRecords(PlanViolationRecords real) {
            this.real = real;
        }

        @Override
        public List<Counter> counters() {
            return real.counters();
        }

        @Override
        public void add(List<Counter> increments) {
            writes.add(increments.size());
            real.add(increments);
        }
    }

    private static SegmentCall call(String id, Instant at) {
        return new SegmentCall(
                SegmentCall.Type.TRACK,
                id,
                "ana",
                null,
                "Wondered",
                null,
                null,
                null,
                Map.of(),
                Map.of(),
                Map.of(),
                at,
                at);
    }

    @Test
    @DisplayName("issue 16 tracking plan: a thousand violations of two counters are kept in one write of two "
            + "increments, and a flush with nothing new writes nothing")
    void writesAreCoalesced() {
        try (Store store = store(false)) {
            CountingRecords records = new CountingRecords(store.planViolations());
            PlanViolations v = PlanViolations.keptIn(records, Instant.parse("2026-12-01T00:00:00Z"));
            Instant at = Instant.parse("2026-12-01T10:00:00Z");
            IntStream.range(0, 1000)
                    .forEach(i -> v.record(
                            i % 2 == 0 ? "web" : "app",
                            call("m" + i, at.plusSeconds(i)),
                            List.of(new TrackingPlan.Violation(
                                    TrackingPlan.Kind.UNKNOWN_EVENT, "Wondered", "event", "not in the plan")),
                            false));
            assertThat(records.writes).isEmpty(); // counting never waits for the store
            v.flush();
            v.flush();
            assertThat(records.writes).containsExactly(2);
            List<PlanViolationRecords.Counter> kept = store.planViolations().counters();
            assertThat(kept).hasSize(2);
            assertThat(kept).allSatisfy(c -> {
                assertThat(c.count()).isEqualTo(500);
                assertThat(c.samples()).hasSize(5);
            });
            PlanViolationRecords.Counter web = kept.stream()
                    .filter(c -> c.source().equals("web"))
                    .findFirst()
                    .orElseThrow();
            assertThat(web.first()).isEqualTo(at);
            assertThat(web.samples().get(4).messageId()).isEqualTo("m998");
        }
    }
}
