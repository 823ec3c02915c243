package fusion.decisions;

import static fusion.decisions.Events.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.Channel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("issue 16 audiences: an action eligible only for an audience")
class AudienceGateTest {
    private final Instant noon = day(20);

    /** The default catalogue with every plan-B action gated by the audience "vip". */
    private static DecisionService gated() {
        List<ActionSpec> specs = new ArrayList<>();
        for (ActionSpec s : Catalogue.defaults().actions()) {
            Eligibility e = s.eligibility();
            specs.add(
                    s.kind() != ActionKind.PLAN_B
                            ? s
                            : new ActionSpec(
                                    s.id(),
                                    s.kind(),
                                    s.channels(),
                                    s.cooldown(),
                                    s.priority(),
                                    s.purpose(),
                                    new Eligibility(
                                            e.minPredictedValue(),
                                            e.minProbabilityAlive(),
                                            e.minStrength(),
                                            e.minExperience(),
                                            "vip"),
                                    s.title()));
        }
        return new DecisionService(new Catalogue(specs), DecisionConfig.defaults());
    }

    private CustomerContext.Builder brokenCharger() {
        return CustomerContext.builder("c", BRAND)
                .zone(ZoneId.of("Europe/Rome"))
                .consent(ConsentCheck.ALLOW_ALL)
                .interaction(broken("c", day(19.9), "charger"))
                .statedChannels(Channel.EMAIL);
    }

    @Test
    @DisplayName(
            "issue 16 item 4: a member of the audience gets the gated action, a non-member is refused with NOT_IN_AUDIENCE")
    void gate() {
        Decision member =
                gated().decide(brokenCharger().audiences("vip"::equals).build(), noon);
        assertThat(member).isInstanceOf(Decision.Act.class);
        assertThat(((Decision.Act) member).kind()).isEqualTo(ActionKind.PLAN_B);

        Decision outsider = gated().decide(brokenCharger().audiences(a -> false).build(), noon);
        assertThat(outsider).isNotInstanceOf(Decision.Act.class);
        assertThat(outsider.hasReason(ReasonCode.NOT_IN_AUDIENCE))
                .as("%s", outsider.reasons())
                .isTrue();
        assertThat(outsider.reasons().toString()).contains("audience 'vip'");
    }

    @Test
    @DisplayName(
            "issue 16 item 4: the catalogue reads eligibility.audience and refuses a malformed id naming the field")
    void catalogueField() throws Exception {
        String good =
                "{\"actions\":[{\"id\":\"vip-fix\",\"type\":\"plan_b\",\"channels\":[\"email\"],\"cooldown\":\"P1D\","
                        + "\"priority\":1,\"eligibility\":{\"audience\":\"vip\"}}]}";
        Catalogue c = Catalogue.read(new ByteArrayInputStream(good.getBytes(StandardCharsets.UTF_8)));
        assertThat(c.find("vip-fix").orElseThrow().eligibility().audience()).isEqualTo("vip");
        String bad = good.replace("\"vip\"}", "\"V I P\"}");
        assertThatThrownBy(() -> Catalogue.read(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidCatalogue.class)
                .hasMessageContaining("eligibility.audience");
    }
}
