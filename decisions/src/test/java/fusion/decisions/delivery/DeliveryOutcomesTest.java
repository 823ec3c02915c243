package fusion.decisions.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.InvalidInput;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import fusion.decisions.ActionKind;
import fusion.decisions.Catalogue;
import fusion.decisions.ConsentCheck;
import fusion.decisions.CustomerContext;
import fusion.decisions.Decision;
import fusion.decisions.DecisionConfig;
import fusion.decisions.DecisionService;
import fusion.decisions.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryOutcomesTest {
    private final Instant at = Instant.parse("2026-03-10T12:00:00Z");

    private DeliveryOutcomes.Callback callback(ActionKind kind, DeliveryOutcomes.Event event) {
        return new DeliveryOutcomes.Callback("d1", "alice", "acme", "action-1", kind, Channel.EMAIL, event, at);
    }

    @Test
    void deliveredIsABrandContactAndOpenedACustomerOne() {
        Interaction delivered =
                DeliveryOutcomes.toInteraction(callback(ActionKind.PLAN_B, DeliveryOutcomes.Event.DELIVERED));
        assertThat(delivered.initiator()).isEqualTo(Initiator.BRAND);
        assertThat(delivered.outcome()).isEqualTo(Outcome.NEUTRAL);
        assertThat(delivered.id()).isEqualTo("d1:delivered");
        Interaction opened = DeliveryOutcomes.toInteraction(callback(ActionKind.PLAN_B, DeliveryOutcomes.Event.OPENED));
        assertThat(opened.initiator()).isEqualTo(Initiator.CONSUMER);
        assertThat(opened.contactPoint().channel()).isEqualTo(Channel.EMAIL);
    }

    @Test
    void anAcceptedFixMeetsTheNeedAndAnAcceptedSurpriseIsAWow() {
        Interaction fix = DeliveryOutcomes.toInteraction(callback(ActionKind.PLAN_B, DeliveryOutcomes.Event.ACCEPTED));
        assertThat(fix.purpose()).isEqualTo(Purpose.SERVICE);
        assertThat(fix.outcome().need()).isEqualTo(Need.MET);
        Interaction wow = DeliveryOutcomes.toInteraction(callback(ActionKind.DELIGHT, DeliveryOutcomes.Event.ACCEPTED));
        assertThat(wow.outcome().wow()).isTrue();
        assertThat(wow.outcome().valueReceived()).isPositive();
        Interaction renewal =
                DeliveryOutcomes.toInteraction(callback(ActionKind.RENEWAL, DeliveryOutcomes.Event.ACCEPTED));
        assertThat(renewal.purpose()).isEqualTo(Purpose.RENEWAL);
        Interaction declined =
                DeliveryOutcomes.toInteraction(callback(ActionKind.DELIGHT, DeliveryOutcomes.Event.DECLINED));
        assertThat(declined.outcome()).isEqualTo(Outcome.NEUTRAL);
    }

    @Test
    void anAcceptedPlanBClosesTheMatterSoTheNextDecisionNoLongerSeesAnUnmetNeed() {
        Interaction broken = new Interaction(
                "b1",
                "alice",
                Brand.own("acme"),
                ContactPoint.of(Channel.APP),
                Purpose.SERVICE,
                Initiator.CONSUMER,
                at.minusSeconds(3600),
                Outcome.NEUTRAL,
                List.of("charger"),
                "my charger is broken");
        DecisionService service = new DecisionService(Catalogue.defaults(), DecisionConfig.defaults());
        CustomerContext before = CustomerContext.builder("alice", "acme")
                .consent(ConsentCheck.ALLOW_ALL)
                .interaction(broken)
                .build();
        assertThat(service.decide(before, at).hasReason(ReasonCode.NEED_UNMET)).isTrue();
        Interaction accepted =
                DeliveryOutcomes.toInteraction(callback(ActionKind.PLAN_B, DeliveryOutcomes.Event.ACCEPTED));
        Decision after = service.decide(before.toBuilder().interaction(accepted).build(), at.plusSeconds(60));
        assertThat(after.hasReason(ReasonCode.NEED_UNMET)).isFalse();
    }

    @Test
    void aCallbackBodyIsParsedAndABadFieldIsNamed() {
        String json = "{\"decision_id\":\"d1\",\"customer\":\"alice\",\"brand\":\"acme\",\"action_id\":\"a\","
                + "\"type\":\"plan_b\",\"channel\":\"email\",\"event\":\"accepted\",\"at\":\"2026-03-10T12:00:00Z\"}";
        assertThat(DeliveryOutcomes.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(callback(ActionKind.PLAN_B, DeliveryOutcomes.Event.ACCEPTED)
                        .withActionId("a"));
        assertThatThrownBy(() ->
                        DeliveryOutcomes.parse(json.replace("accepted", "liked").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("event");
        assertThatThrownBy(() -> DeliveryOutcomes.parse(
                        json.replace("2026-03-10T12:00:00Z", "yesterday").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("at");
    }
}
