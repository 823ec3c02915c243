package fusion.decisions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CatalogueTest {

    private static Catalogue parse(String json) throws Exception {
        return Catalogue.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theDefaultCatalogueHasOneActionOfEveryTypeHighestPriorityFirst() {
        Catalogue c = Catalogue.defaults();
        assertThat(c.actions()).extracting(ActionSpec::kind).containsExactlyInAnyOrder(ActionKind.values());
        assertThat(c.actions()).extracting(ActionSpec::priority).isSortedAccordingTo((a, b) -> b - a);
        ActionSpec planB = c.find("plan-b-replacement").orElseThrow();
        assertThat(planB.channels())
                .containsExactly(Channel.MESSAGING, Channel.APP, Channel.EMAIL, Channel.CHAT, Channel.PHONE);
        assertThat(planB.cooldown()).isEqualTo(Duration.ofDays(3));
        assertThat(planB.purpose()).isEqualTo(ConsentPurpose.CONTRACT);
        assertThat(c.find("small-surprise").orElseThrow().eligibility().minPredictedValue())
                .isEqualTo(50);
    }

    @Test
    void thePurposeDefaultsFromTheType() throws Exception {
        Catalogue c = parse("{\"actions\":[{\"id\":\"r\",\"type\":\"renewal\",\"channels\":[\"email\"],"
                + "\"cooldown\":\"P1D\",\"priority\":1},{\"id\":\"f\",\"type\":\"service-recovery\","
                + "\"channels\":[\"phone\"],\"cooldown\":\"PT12H\",\"priority\":2}]}");
        assertThat(c.find("r").orElseThrow().purpose()).isEqualTo(ConsentPurpose.MARKETING);
        assertThat(c.find("f").orElseThrow().purpose()).isEqualTo(ConsentPurpose.CONTRACT);
        assertThat(c.actions().get(0).id()).isEqualTo("f");
    }

    static Stream<Arguments> broken() {
        String ok = "\"id\":\"a\",\"type\":\"plan_b\",\"channels\":[\"email\"],\"cooldown\":\"P1D\",\"priority\":1";
        return Stream.of(
                Arguments.of("{}", "$.actions"),
                Arguments.of("{\"actions\": [", "$: not valid JSON"),
                Arguments.of("{\"actions\":[{" + ok.replace("plan_b", "teleport") + "}]}", "$.actions[0].type"),
                Arguments.of(
                        "{\"actions\":[{" + ok.replace("[\"email\"]", "[\"pigeon\"]") + "}]}",
                        "$.actions[0].channels[0]"),
                Arguments.of("{\"actions\":[{" + ok.replace("[\"email\"]", "[]") + "}]}", "$.actions[0].channels"),
                Arguments.of("{\"actions\":[{" + ok.replace("P1D", "7 days") + "}]}", "$.actions[0].cooldown"),
                Arguments.of("{\"actions\":[{" + ok + ",\"colour\":\"red\"}]}", "$.actions[0].colour"),
                Arguments.of(
                        "{\"actions\":[{" + ok + ",\"eligibility\":{\"min_value\":3}}]}",
                        "$.actions[0].eligibility.min_value"),
                Arguments.of(
                        "{\"actions\":[{" + ok + ",\"eligibility\":{\"min_probability_alive\":3}}]}",
                        "$.actions[0].eligibility"),
                Arguments.of("{\"actions\":[{" + ok + ",\"purpose\":\"spam\"}]}", "$.actions[0].purpose"),
                Arguments.of("{\"actions\":[{" + ok + "},{" + ok + "}]}", "duplicate id 'a'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("broken")
    void aBrokenCatalogueIsRefusedNamingWhere(String json, String where) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(InvalidCatalogue.class)
                .hasMessageContaining(where);
    }

    @Test
    void anActionWhoseTypeHasNoPluginIsRefusedWhenTheServiceIsBuilt() {
        assertThatThrownBy(() -> new DecisionService(
                        Catalogue.defaults(),
                        DecisionConfig.defaults(),
                        java.util.Map.of(
                                ActionKind.PLAN_B, ActionTypes.standard().get(ActionKind.PLAN_B))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no plug-in");
    }
}
