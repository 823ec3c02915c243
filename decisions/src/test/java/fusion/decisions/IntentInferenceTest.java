package fusion.decisions;

import static fusion.decisions.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import fusion.decisions.Intent.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntentInferenceTest {
    private final IntentInference inference = new IntentInference(IntentInference.Settings.defaults());

    private IntentInference.Inference infer(List<Interaction> t) {
        return inference.infer(t, BRAND, day(20));
    }

    @Test
    void repeatedResearchOnOneProductWithoutPurchaseIsResearchingThatProduct() {
        var r = infer(List.of(
                research("c", day(15), "tent-x"), research("c", day(18), "tent-x"), research("c", day(19), "stove")));
        assertThat(r.first(Kind.RESEARCHING)).hasValueSatisfying(i -> {
            assertThat(i.subject()).isEqualTo("tent-x");
            assertThat(i.strength()).isEqualTo(2);
        });
        assertThat(r.needUnmet()).isFalse();
    }

    @Test
    void aPurchaseAfterTheResearchEndsIt() {
        var r = infer(List.of(
                research("c", day(15), "tent-x"),
                research("c", day(16), "tent-x"),
                purchase("c", day(17), Channel.WEB, "tent-x")));
        assertThat(r.has(Kind.RESEARCHING)).isFalse();
        assertThat(r.has(Kind.RECENT_PURCHASE)).isTrue();
    }

    @Test
    void researchAtACompetitorStillCounts() {
        Interaction atRival = new Interaction(
                "r1",
                "c",
                Brand.competitor("rival"),
                ContactPoint.of(Channel.WEB),
                Purpose.RESEARCH,
                Initiator.CONSUMER,
                day(18),
                Outcome.NEUTRAL,
                List.of("tent-x"),
                "");
        var r = infer(List.of(research("c", day(17), "tent-x"), atRival));
        assertThat(r.has(Kind.RESEARCHING)).isTrue();
    }

    @Test
    void anUnresolvedComplaintIsOpenAndMeansANeedIsUnmet() {
        var r = infer(List.of(complaint("c", day(18), "late delivery"), complaint("c", day(19), "late delivery")));
        assertThat(r.first(Kind.OPEN_COMPLAINT))
                .hasValueSatisfying(i -> assertThat(i.strength()).isEqualTo(1));
        assertThat(r.needUnmet()).isTrue();
        assertThat(r.needReason()).contains("late delivery");
    }

    @Test
    void aResolutionClosesTheComplaintAndTheNeedIsMetAgain() {
        var r = infer(List.of(complaint("c", day(18), "late delivery"), resolved("c", day(19))));
        assertThat(r.has(Kind.OPEN_COMPLAINT)).isFalse();
        assertThat(r.needUnmet()).isFalse();
        assertThat(r.needsMet()).isTrue();
    }

    @Test
    void aBrokenProductIsLostOrBrokenUntilReplaced() {
        var open = infer(List.of(broken("c", day(19), "charger")));
        assertThat(open.first(Kind.LOST_OR_BROKEN))
                .hasValueSatisfying(i -> assertThat(i.subject()).isEqualTo("charger"));
        assertThat(open.needUnmet()).isTrue();
        var fixed = infer(List.of(broken("c", day(18), "charger"), resolved("c", day(19))));
        assertThat(fixed.has(Kind.LOST_OR_BROKEN)).isFalse();
    }

    @Test
    void renewalIsDueAYearAfterTheLastOneWithinTheWindow() {
        assertThat(inference
                        .infer(List.of(renewal("c", day(20 - 350))), BRAND, day(20))
                        .has(Kind.RENEWAL_DUE))
                .isTrue();
        assertThat(inference
                        .infer(List.of(renewal("c", day(20 - 200))), BRAND, day(20))
                        .has(Kind.RENEWAL_DUE))
                .isFalse();
    }

    @Test
    void eventsAfterNowAreIgnored() {
        var r = inference.infer(List.of(complaint("c", day(25), "x")), BRAND, day(20));
        assertThat(r.intents()).isEmpty();
        assertThat(r.needUnmet()).isFalse();
    }

    @Test
    void politeBehaviourIsCounted() {
        var r = infer(List.of(politeVisit("c", day(10)), politeVisit("c", day(12))));
        assertThat(r.first(Kind.POLITE_BEHAVIOUR))
                .hasValueSatisfying(i -> assertThat(i.strength()).isEqualTo(2));
    }

    @Test
    void aQuestionWithoutAnswerIsOpen() {
        Interaction q = event(
                "c",
                Purpose.RESEARCH,
                Initiator.CONSUMER,
                Channel.CHAT,
                day(19),
                Outcome.NEUTRAL,
                "Does the tent fit four people?",
                "tent-x");
        assertThat(infer(List.of(q)).has(Kind.OPEN_QUESTION)).isTrue();
    }
}
