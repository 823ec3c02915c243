package fusion.server.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.EventDefaults;
import fusion.core.segment.EventMapping;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.StandardEvents;
import fusion.core.segment.TrackingPlan;
import fusion.server.FusionServer;
import fusion.server.demo.Scenario;
import fusion.server.http.SegmentParser;
import fusion.store.StateDigest;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultPlanTest {
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    @DisplayName("issue 16 tracking plan: the default plan file declares exactly the built-in events, each with the "
            + "meaning StandardEvents gives it")
    void theDefaultPlanDeclaresTheBuiltInEvents() {
        TrackingPlan plan = PlanFile.standard();
        List<EventMapping> builtIn = StandardEvents.all();
        assertThat(plan.events()).hasSameSizeAs(builtIn);
        for (TrackingPlan.Event e : plan.events()) {
            Optional<EventDefaults> code = Optional.empty();
            for (EventMapping m : builtIn) {
                code = m.match(EventMapping.normalize(e.name()));
                if (code.isPresent()) break;
            }
            assertThat(code).as(e.name()).contains(e.meaning());
            assertThat(e.properties()).as(e.name()).isEmpty();
        }
        assertThat(plan.defaultMode()).isEqualTo(TrackingPlan.Mode.FLAG);
    }

    @Test
    @DisplayName("issue 16 tracking plan: the default plan gives the same state digest as today's built-in mapping "
            + "on the demo's traffic, and a plan that changes one event's meaning does not")
    void theDefaultPlanScoresTheDemoAsTodaysMapping() {
        List<SegmentCall> calls = demo();
        StateDigest today = digest(dir.resolve("today"), FusionServer.pipeline(ModelConfig.defaults()), calls);
        StateDigest plan =
                digest(dir.resolve("plan"), FusionServer.pipeline(ModelConfig.defaults(), PlanFile.standard()), calls);
        assertThat(plan.differences(today)).isEmpty();
        assertThat(today.rows().get("ledger")).isGreaterThan(1_000L);
        // the digest sees a plan's mapping: one meaning changed (a ticket becomes research) differs
        TrackingPlan standard = PlanFile.standard();
        List<TrackingPlan.Event> changed = new ArrayList<>();
        for (TrackingPlan.Event e : standard.events()) {
            changed.add(
                    e.name().equals("Ticket Created")
                            ? new TrackingPlan.Event(
                                    e.name(), EventDefaults.of(fusion.core.model.Purpose.RESEARCH), e.properties())
                            : e);
        }
        var altered = new TrackingPlan(changed, standard.sources(), standard.defaultMode());
        StateDigest other =
                digest(dir.resolve("altered"), FusionServer.pipeline(ModelConfig.defaults(), altered), calls);
        assertThat(other.differences(today)).isNotEmpty();
    }

    private static List<SegmentCall> demo() {
        SegmentParser parser = new SegmentParser();
        List<SegmentCall> calls = new ArrayList<>();
        for (ObjectNode m : new Scenario(7, 400, NOW).messages()) calls.add(parser.call(m, NOW));
        return calls;
    }

    private static StateDigest digest(Path at, fusion.store.Pipeline pipeline, List<SegmentCall> calls) {
        try (Store store = SqlStore.sqlite(at, pipeline)) {
            for (int i = 0; i < calls.size(); i += 500) store.ingest(calls.subList(i, Math.min(calls.size(), i + 500)));
            return store.digest();
        }
    }
}
