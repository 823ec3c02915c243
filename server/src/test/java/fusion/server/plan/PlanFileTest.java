package fusion.server.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.TrackingPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlanFileTest {
    @TempDir
    Path dir;

    static final String GOOD = "{\"defaultMode\":\"flag\",\"sources\":{\"web\":\"block\",\"legacy\":\"allow\"},"
            + "\"events\":[{\"name\":\"Order Completed\",\"purpose\":\"purchase\",\"need\":\"met\","
            + "\"properties\":{\"order_id\":{\"type\":\"string\",\"required\":true},\"revenue\":\"number\"}},"
            + "{\"name\":\"Plan Upgraded\",\"purpose\":\"renewal\",\"initiator\":\"consumer\"}]}";

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a purpose that is not one | \"purpose\":\"purchase\" | \"purpose\":\"buy\" | $.events[0].purpose",
                "a misspelt key | \"required\":true | \"requird\":true | $.events[0].properties.order_id.requird",
                "a property type that is not one | \"revenue\":\"number\" | \"revenue\":\"money\" | "
                        + "$.events[0].properties.revenue",
                "a mode that is not one | \"web\":\"block\" | \"web\":\"drop\" | $.sources.web",
                "an event planned twice | \"Plan Upgraded\" | \"order completed\" | $.events[1].name",
                "a channel that is not one | \"need\":\"met\" | \"channel\":\"pigeon\" | $.events[0].channel",
                "a negative value received | \"need\":\"met\" | \"valueReceived\":-1 | $.events[0].valueReceived",
            })
    @DisplayName("issue 16 tracking plan: a plan file that does not fit is refused at start, naming the JSON path")
    void aBadPlanIsRefusedNamingItsPath(String what, String from, String to, String path) throws Exception {
        Path p = write("plan.json", GOOD.replace(from, to));
        assertThatThrownBy(() -> PlanFile.read(p))
                .isInstanceOf(InvalidInput.class)
                .satisfies(e -> assertThat(((InvalidInput) e).field()).isEqualTo(path));
    }

    @Test
    @DisplayName("issue 16 tracking plan: a file that is not JSON is refused with its line and column")
    void unreadableJsonIsRefused() throws Exception {
        Path p = write("plan.json", "{\"events\": [\n  {\"name\": }\n]}");
        assertThatThrownBy(() -> PlanFile.read(p)).hasMessageContaining("$: not readable as JSON at line 2");
    }

    @Test
    @DisplayName("issue 16 tracking plan: the same plan in YAML reads as the JSON one")
    void yamlReadsAsJson() throws Exception {
        String yaml = """
                defaultMode: flag
                sources:
                  web: block
                  legacy: allow
                events:
                  - name: Order Completed
                    purpose: purchase
                    need: met
                    properties:
                      order_id: {type: string, required: true}
                      revenue: number
                  - name: Plan Upgraded
                    purpose: renewal
                    initiator: consumer
                """;
        assertThat(PlanFile.read(write("plan.yaml", yaml))).isEqualTo(PlanFile.read(write("plan.json", GOOD)));
    }

    @Test
    @DisplayName("issue 16 tracking plan: a call is checked for an unknown event, a missing required property and a "
            + "mistyped one, each naming its field; other call types and consent events are not checked")
    void callsAreCheckedAgainstThePlan() throws Exception {
        TrackingPlan plan = PlanFile.read(write("plan.json", GOOD));
        assertThat(plan.mode("web")).isEqualTo(TrackingPlan.Mode.BLOCK);
        assertThat(plan.mode("legacy")).isEqualTo(TrackingPlan.Mode.ALLOW);
        assertThat(plan.mode("anything")).isEqualTo(TrackingPlan.Mode.FLAG);
        assertThat(plan.check(track("Order Completed", Map.of("order_id", "o1", "revenue", 3))))
                .isEmpty();
        assertThat(plan.check(track("order completed ", Map.of("revenue", "3"))))
                .extracting(TrackingPlan.Violation::kind, TrackingPlan.Violation::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TrackingPlan.Kind.MISSING_PROPERTY, "properties.order_id"),
                        org.assertj.core.groups.Tuple.tuple(TrackingPlan.Kind.MISTYPED_PROPERTY, "properties.revenue"));
        assertThat(plan.check(track("Wondered", Map.of())))
                .extracting(TrackingPlan.Violation::kind, TrackingPlan.Violation::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(TrackingPlan.Kind.UNKNOWN_EVENT, "event"));
        assertThat(plan.check(track("Consent Granted", Map.of()))).isEmpty();
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        assertThat(plan.check(new SegmentCall(
                        SegmentCall.Type.PAGE,
                        "p",
                        "u",
                        null,
                        null,
                        "Home",
                        null,
                        null,
                        Map.of(),
                        Map.of(),
                        Map.of(),
                        t,
                        t)))
                .isEmpty();
    }

    @Test
    @DisplayName("issue 16 tracking plan: --tracking-plan (FUSION_TRACKING_PLAN) is a setting, validated at start with "
            + "the flag and the JSON path named")
    void theSettingIsValidatedAtStart() throws Exception {
        Path p = write("plan.json", GOOD.replace("\"purpose\":\"purchase\"", "\"purpose\":\"buy\""));
        assertThatThrownBy(() -> fusion.server.ConfigValues.of(Map.of("FUSION_TRACKING_PLAN", p.toString())))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("--tracking-plan")
                .hasMessageContaining("$.events[0].purpose: expected one of");
        Path good = write("good.json", GOOD);
        assertThat(fusion.server.ConfigValues.of(Map.of("FUSION_TRACKING_PLAN", good.toString()))
                        .trackingPlan()
                        .mode("web"))
                .isEqualTo(TrackingPlan.Mode.BLOCK);
        assertThat(fusion.server.ConfigValues.of(Map.of()).trackingPlan()).isEqualTo(PlanFile.standard());
    }

    static SegmentCall track(String event, Map<String, Object> properties) {
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        return new SegmentCall(
                SegmentCall.Type.TRACK,
                "m-" + event,
                "u",
                null,
                event,
                null,
                null,
                null,
                properties,
                Map.of(),
                Map.of(),
                t,
                t);
    }
}
