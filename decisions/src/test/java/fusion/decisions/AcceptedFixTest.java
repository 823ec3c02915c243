package fusion.decisions;

import static fusion.decisions.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.model.Interaction;
import fusion.decisions.delivery.DeliveryOutcomes;
import fusion.decisions.delivery.DeliveryOutcomes.Callback;
import fusion.decisions.delivery.DeliveryOutcomes.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A hand-worked follow-up: the charger breaks on day 19.9, Plan B is decided at noon on day 20, the
 * receiver reports it delivered a minute later and accepted an hour later, and Fusion decides again
 * four days on. By docs/DECISIONS.md an accepted fix meets the need (service purpose, need met,
 * later than the breakage), which closes the matter: the base of the pyramid holds again and no
 * second Plan B is due. The accepted report's description, {@code "accepted: plan-b-replacement"},
 * is Fusion's label and contains the breakage word "replacement"; it must not reopen the matter.
 */
class AcceptedFixTest {
    private final DecisionService service = new DecisionService(Catalogue.defaults(), DecisionConfig.defaults());
    private final IntentInference inference = new IntentInference(IntentInference.Settings.defaults());
    private final Instant noon = day(20);
    private final Instant fourDaysOn = day(24);

    private CustomerContext.Builder customer(List<Interaction> trajectory) {
        return CustomerContext.builder("c", BRAND)
                .zone(ZoneId.of("Europe/Rome"))
                .consent(ConsentCheck.ALLOW_ALL)
                .trajectory(trajectory);
    }

    /** The breakage, the Plan B decided for it, and the receiver's reports: delivered, then {@code answer}. */
    private List<Interaction> afterPlanB(Event answer, List<SentAction> sent) {
        List<Interaction> trajectory = new ArrayList<>(List.of(broken("c", day(19.9), "charger")));
        Decision first = service.decide(customer(trajectory).build(), noon);
        assertThat(first).as("%s", first.reasons()).isInstanceOf(Decision.Act.class);
        Decision.Act planB = (Decision.Act) first;
        assertThat(planB.kind()).isEqualTo(ActionKind.PLAN_B);
        assertThat(planB.actionId()).isEqualTo("plan-b-replacement");
        sent.add(new SentAction(planB.actionId(), planB.channel(), planB.sendAt(), planB.decisionId()));
        for (var report : List.of(
                new Callback(
                        planB.decisionId(),
                        "c",
                        BRAND,
                        planB.actionId(),
                        planB.kind(),
                        planB.channel(),
                        Event.DELIVERED,
                        noon.plus(Duration.ofMinutes(1))),
                new Callback(
                        planB.decisionId(),
                        "c",
                        BRAND,
                        planB.actionId(),
                        planB.kind(),
                        planB.channel(),
                        answer,
                        noon.plus(Duration.ofHours(1))))) {
            trajectory.add(DeliveryOutcomes.toInteraction(report));
        }
        assertThat(trajectory.get(2).description()).isEqualTo(answer.label() + ": plan-b-replacement");
        return trajectory;
    }

    @Test
    @DisplayName("issue 12 item 14: breakage, Plan B decided, Plan B accepted: the matter is closed and four days "
            + "later no second Plan B is decided")
    void anAcceptedPlanBClosesTheMatterAndNoSecondPlanBFollows() {
        List<SentAction> sent = new ArrayList<>();
        List<Interaction> trajectory = afterPlanB(Event.ACCEPTED, sent);

        IntentInference.Inference read = inference.infer(trajectory, BRAND, fourDaysOn);
        assertThat(read.has(Intent.Kind.LOST_OR_BROKEN))
                .as("%s", read.intents())
                .isFalse();
        assertThat(read.needUnmet()).as(read.needReason()).isFalse();
        assertThat(read.needsMet())
                .as("the accepted fix met the need, the latest known")
                .isTrue();

        Decision later = service.decide(customer(trajectory).sent(sent).build(), fourDaysOn);
        if (later instanceof Decision.Act act) {
            assertThat(act.kind()).as("%s", act.reasons()).isNotEqualTo(ActionKind.PLAN_B);
        }
        assertThat(later.reasons()).extracting(Reason::code).doesNotContain(ReasonCode.NEED_UNMET);
    }

    @Test
    @DisplayName("issue 12 item 14: a declined Plan B leaves the breakage open (only an accepted fix closes it)")
    void aDeclinedPlanBLeavesTheBreakageOpen() {
        List<Interaction> trajectory = afterPlanB(Event.DECLINED, new ArrayList<>());
        IntentInference.Inference read = inference.infer(trajectory, BRAND, fourDaysOn);
        assertThat(read.first(Intent.Kind.LOST_OR_BROKEN))
                .as("%s", read.intents())
                .isPresent()
                .get()
                .extracting(Intent::evidence)
                .isEqualTo(trajectory.get(0).id());
        assertThat(read.needUnmet()).isTrue();
    }

    @Test
    @DisplayName("issue 12 item 14: the customer's own words still count: 'I need a replacement' is a breakage")
    void theCustomersOwnWordReplacementIsStillABreakage() {
        Interaction said = event(
                "c",
                fusion.core.model.Purpose.SERVICE,
                fusion.core.model.Initiator.CONSUMER,
                fusion.core.model.Channel.CHAT,
                day(19.9),
                fusion.core.model.Outcome.NEUTRAL,
                "I need a replacement");
        assertThat(inference.infer(List.of(said), BRAND, noon).has(Intent.Kind.LOST_OR_BROKEN))
                .isTrue();
        assertThat(OutcomeReports.isReport(said)).isFalse();
    }
}
