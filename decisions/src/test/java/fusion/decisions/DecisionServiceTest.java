package fusion.decisions;

import static fusion.decisions.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.consent.ConsentPurpose;
import fusion.core.engine.Score;
import fusion.core.model.Channel;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DecisionServiceTest {
    private final DecisionService service = new DecisionService(Catalogue.defaults(), DecisionConfig.defaults());
    /** 12:00 UTC: daytime in Europe. */
    private final Instant noon = day(20);

    private CustomerContext.Builder customer() {
        return CustomerContext.builder("c", BRAND)
                .zone(ZoneId.of("Europe/Rome"))
                .consent(ConsentCheck.ALLOW_ALL);
    }

    private Decision.Act act(Decision d) {
        assertThat(d).as("%s", d.reasons()).isInstanceOf(Decision.Act.class);
        return (Decision.Act) d;
    }

    private Decision.Nothing nothing(Decision d) {
        assertThat(d).as("%s", d.reasons()).isInstanceOf(Decision.Nothing.class);
        return (Decision.Nothing) d;
    }

    @Test
    void aBrokenProductGetsPlanBNowOnThePreferredChannel() {
        var d = act(service.decide(
                customer()
                        .interaction(broken("c", day(19.9), "charger"))
                        .statedChannels(Channel.EMAIL)
                        .build(),
                noon));
        assertThat(d.kind()).isEqualTo(ActionKind.PLAN_B);
        assertThat(d.channel()).isEqualTo(Channel.EMAIL);
        assertThat(d.sendsNow()).isTrue();
        assertThat(d.primary().code()).isEqualTo(ReasonCode.ACTION_CHOSEN);
        assertThat(d.hasReason(ReasonCode.CHANNEL_STATED_PREFERENCE)).isTrue();
        assertThat(d.hasReason(ReasonCode.NEED_UNMET)).isTrue();
    }

    @Test
    void withoutAStatedPreferenceTheObservedChannelWins() {
        var d = act(service.decide(
                customer()
                        .interaction(research("c", day(18), "tent-x"))
                        .interaction(event(
                                "c",
                                fusion.core.model.Purpose.RESEARCH,
                                fusion.core.model.Initiator.CONSUMER,
                                Channel.MESSAGING,
                                day(19),
                                fusion.core.model.Outcome.NEUTRAL,
                                "is tent-x waterproof?",
                                "tent-x"))
                        .build(),
                noon));
        assertThat(d.kind()).isEqualTo(ActionKind.INFORMATION);
        assertThat(d.channel()).isEqualTo(Channel.MESSAGING);
        assertThat(d.hasReason(ReasonCode.CHANNEL_OBSERVED)).isTrue();
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 15 item 4: a customer who prefers chat and asked on chat is answered on chat")
    void aQuestionAskedOnChatByACustomerWhoPrefersChatIsAnsweredOnChat() {
        var d = act(service.decide(
                customer()
                        .interaction(research("c", day(18), "tent-x"))
                        .interaction(event(
                                "c",
                                fusion.core.model.Purpose.RESEARCH,
                                fusion.core.model.Initiator.CONSUMER,
                                Channel.CHAT,
                                day(19),
                                fusion.core.model.Outcome.NEUTRAL,
                                "is tent-x waterproof?",
                                "tent-x"))
                        .statedChannels(Channel.CHAT)
                        .build(),
                noon));
        assertThat(d.kind()).isEqualTo(ActionKind.INFORMATION);
        assertThat(d.channel()).isEqualTo(Channel.CHAT);
        assertThat(d.hasReason(ReasonCode.CHANNEL_STATED_PREFERENCE)).isTrue();
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 15 item 4: the default catalogue reaches every channel a customer can prefer: chat, phone, in store and social too")
    void theDefaultCatalogueReachesEveryPreferableChannel() {
        var reached = Catalogue.defaults().actions().stream()
                .flatMap(a -> a.channels().stream())
                .collect(java.util.stream.Collectors.toSet());
        assertThat(reached)
                .contains(
                        Channel.CHAT,
                        Channel.PHONE,
                        Channel.STORE,
                        Channel.SOCIAL,
                        Channel.EMAIL,
                        Channel.APP,
                        Channel.MESSAGING);
        // a complaint can be put right where the customer prefers: by phone or in store
        for (Channel preferred : new Channel[] {Channel.PHONE, Channel.STORE, Channel.CHAT}) {
            var d = act(service.decide(
                    customer()
                            .interaction(complaint("c", day(19), "rude cashier"))
                            .statedChannels(preferred)
                            .build(),
                    noon));
            assertThat(d.channel()).as("prefers %s", preferred).isEqualTo(preferred);
        }
    }

    @Test
    void browsingAloneIsNoQuestionSoNoInformationIsPushedUnderTheServicePurpose() {
        var d = nothing(service.decide(
                customer()
                        .interaction(research("c", day(18), "tent-x"))
                        .interaction(research("c", day(19), "tent-x"))
                        .build(),
                noon));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.NOTHING_RELEVANT);
    }

    @Test
    void anOpenComplaintWithRepeatedContactsGetsAVideoValetOffer() {
        var d = act(service.decide(
                customer()
                        .interaction(complaint("c", day(18), "tent leaks"))
                        .interaction(complaint("c", day(19), "tent leaks"))
                        .interaction(complaint("c", day(19.5), "tent leaks"))
                        .build(),
                noon));
        assertThat(d.kind()).isEqualTo(ActionKind.VIDEO_VALET);
        // the offer goes where the customer complained three times (chat), not to a channel they never used
        assertThat(d.channel()).isEqualTo(Channel.CHAT);
        assertThat(d.hasReason(ReasonCode.CHANNEL_OBSERVED)).isTrue();
    }

    @Test
    void aSingleComplaintGetsServiceRecovery() {
        var d = act(service.decide(
                customer().interaction(complaint("c", day(19), "rude cashier")).build(), noon));
        assertThat(d.kind()).isEqualTo(ActionKind.SERVICE_RECOVERY);
    }

    @Test
    void anOnlinePurchaseGetsTheCourierReturnService() {
        var d = act(service.decide(
                customer()
                        .interaction(purchase("c", day(19), Channel.WEB, "jeans"))
                        .build(),
                noon));
        assertThat(d.kind()).isEqualTo(ActionKind.COURIER_RETURN);
    }

    @Test
    void aPoliteCustomerIsRewarded() {
        var d = act(
                service.decide(customer().interaction(politeVisit("c", day(19))).build(), noon));
        assertThat(d.kind()).isEqualTo(ActionKind.POLITENESS_REWARD);
    }

    @Test
    void aMemberWhoseRenewalIsDueIsInvited() {
        var d = act(service.decide(
                customer().interaction(renewal("c", day(20 - 355))).build(), noon));
        assertThat(d.kind()).isEqualTo(ActionKind.RENEWAL);
    }

    @Test
    void aValuableCustomerWhoseNeedsAreMetGetsASurprise() {
        var d = act(service.decide(
                customer()
                        .interaction(metNeed("c", day(19)))
                        .predictedValue(300)
                        .probabilityAlive(0.9)
                        .score(new Score(70, 1, 60, 0.6, 0.6, 0))
                        .build(),
                noon));
        assertThat(d.kind()).isEqualTo(ActionKind.DELIGHT);
    }

    @Test
    void noConsentMeansNothingWithNoConsent() {
        var d = nothing(service.decide(
                customer()
                        .interaction(broken("c", day(19), "charger"))
                        .consent(ConsentCheck.DENY_ALL)
                        .build(),
                noon));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.NO_CONSENT);
    }

    @Test
    void consentThatExpiredBeforeNowIsNoConsent() {
        Instant expiry = day(19);
        ConsentCheck expiring = (p, c, at) -> at.isBefore(expiry)
                ? ConsentVerdict.allow("granted until " + expiry)
                : ConsentVerdict.deny("grant expired at " + expiry);
        var d = nothing(service.decide(
                customer()
                        .interaction(broken("c", day(18.5), "charger"))
                        .consent(expiring)
                        .build(),
                noon));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.NO_CONSENT);
        assertThat(d.primary().sentence()).contains("expired");
    }

    @Test
    void consentForServiceButNotMarketingStillGetsTheFix() {
        ConsentCheck serviceOnly = (p, c, at) ->
                p == ConsentPurpose.CONTRACT ? ConsentVerdict.allow("service") : ConsentVerdict.deny("no marketing");
        assertThat(act(service.decide(
                                customer()
                                        .interaction(broken("c", day(19), "charger"))
                                        .consent(serviceOnly)
                                        .build(),
                                noon))
                        .kind())
                .isEqualTo(ActionKind.PLAN_B);
        assertThat(nothing(service.decide(
                                customer()
                                        .interaction(politeVisit("c", day(19)))
                                        .consent(serviceOnly)
                                        .build(),
                                noon))
                        .primary()
                        .code())
                .isEqualTo(ReasonCode.NO_CONSENT);
    }

    @Test
    void aCustomerAtTheOverallCapGetsNothingCapped() {
        var b = customer().interaction(broken("c", day(19), "charger"));
        for (int k = 0; k < 3; k++) {
            b.sent(new SentAction("other-" + k, Channel.values()[k], noon.minus(Duration.ofDays(k + 1)), "d" + k));
        }
        var d = nothing(service.decide(b.build(), noon));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.CAPPED_OVERALL);
    }

    @Test
    void aCappedChannelFallsBackToTheNextChannel() {
        var d = act(service.decide(
                customer()
                        .interaction(broken("c", day(19), "charger"))
                        .sent(new SentAction("x", Channel.APP, noon.minus(Duration.ofHours(2)), "d1"))
                        .build(),
                noon));
        assertThat(d.channel())
                .as("app is observed (the breakage was reported there) but capped")
                .isEqualTo(Channel.MESSAGING);
        assertThat(d.hasReason(ReasonCode.CAPPED_CHANNEL)).isTrue();
    }

    @Test
    void everyChannelCappedMeansNothingCappedChannel() {
        var b = customer().interaction(broken("c", day(19), "charger"));
        for (Channel c : new Channel[] {Channel.MESSAGING, Channel.APP, Channel.EMAIL}) {
            b.sent(new SentAction("x-" + c, c, noon.minus(Duration.ofHours(3)), "d" + c));
        }
        var d = nothing(service.decide(b.build(), noon));
        assertThat(d.primary().code()).isIn(ReasonCode.CAPPED_CHANNEL, ReasonCode.CAPPED_OVERALL);
        assertThat(d.hasReason(ReasonCode.CAPPED_CHANNEL)).isTrue();
    }

    @Test
    void duringQuietHoursTheSendIsDeferredToTheirMorning() {
        Instant lateInTokyo = Instant.parse("2026-03-30T14:30:00Z"); // 23:30 in Tokyo
        var d = act(service.decide(
                customer()
                        .zone(ZoneId.of("Asia/Tokyo"))
                        .interaction(broken("c", lateInTokyo.minus(Duration.ofHours(1)), "charger"))
                        .build(),
                lateInTokyo));
        assertThat(d.sendsNow()).isFalse();
        assertThat(d.sendAt()).isEqualTo(Instant.parse("2026-03-30T23:00:00Z")); // 08:00 in Tokyo
        assertThat(d.hasReason(ReasonCode.QUIET_HOURS_DEFERRED)).isTrue();
    }

    @Test
    void consentThatEndsBeforeTheDeferredSendMeansNothing() {
        Instant lateInRome = Instant.parse("2026-03-20T22:00:00Z");
        Instant end = lateInRome.plus(Duration.ofHours(2));
        ConsentCheck untilMidnight = (p, c, at) ->
                at.isBefore(end) ? ConsentVerdict.allow("until " + end) : ConsentVerdict.deny("revoked at " + end);
        var d = nothing(service.decide(
                customer()
                        .interaction(broken("c", lateInRome.minusSeconds(600), "charger"))
                        .consent(untilMidnight)
                        .build(),
                lateInRome));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.NO_CONSENT);
        assertThat(d.primary().sentence()).contains("deferred");
    }

    @Test
    void anUnmetNeedBlocksOffersAndWithoutAFixTheAnswerIsUnmetNeedNoFix() {
        Catalogue offersOnly = new Catalogue(Catalogue.defaults().actions().stream()
                .filter(a -> a.kind() == ActionKind.POLITENESS_REWARD)
                .toList());
        var svc = new DecisionService(offersOnly, DecisionConfig.defaults());
        var d = nothing(svc.decide(
                customer()
                        .interaction(politeVisit("c", day(18)))
                        .interaction(complaint("c", day(19), "lost parcel"))
                        .build(),
                noon));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.UNMET_NEED_NO_FIX);
        assertThat(d.hasReason(ReasonCode.NOT_A_FIX)).isTrue();
    }

    @Test
    void anUnmetNeedPicksTheFixOverAHigherValueOffer() {
        var d = act(service.decide(
                customer()
                        .interaction(purchase("c", day(18), Channel.WEB, "jeans"))
                        .interaction(complaint("c", day(19), "wrong size"))
                        .build(),
                noon));
        assertThat(d.kind()).isEqualTo(ActionKind.SERVICE_RECOVERY);
        assertThat(d.hasReason(ReasonCode.NOT_A_FIX)).isTrue();
    }

    @Test
    void anActionIsNotRepeatedWithinItsCooldown() {
        var d = nothing(service.decide(
                customer()
                        .interaction(broken("c", day(19), "charger"))
                        .sent(new SentAction("plan-b-replacement", Channel.EMAIL, day(19.5), "d0"))
                        .sent(new SentAction("unused", Channel.EMAIL, day(10), "d1"))
                        .build(),
                noon));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.UNMET_NEED_NO_FIX);
        assertThat(d.hasReason(ReasonCode.COOLDOWN)).isTrue();
        Catalogue rewardOnly = new Catalogue(Catalogue.defaults().actions().stream()
                .filter(a -> a.kind() == ActionKind.POLITENESS_REWARD)
                .toList());
        var polite = nothing(new DecisionService(rewardOnly, DecisionConfig.defaults())
                .decide(
                        customer()
                                .interaction(politeVisit("c", day(19)))
                                .sent(new SentAction("politeness-reward", Channel.APP, day(5), "d0"))
                                .build(),
                        noon));
        assertThat(polite.primary().code()).isEqualTo(ReasonCode.COOLDOWN);
    }

    @Test
    void afterItsCooldownAnActionWaitsUntilTheCustomerHasBeenInTouchAgain() {
        // plan B went out on day 10 for a broken charger; the cooldown is long over by "noon"
        var waiting = nothing(service.decide(
                customer()
                        .interaction(broken("c", day(9), "charger"))
                        .sent(new SentAction("plan-b-replacement", Channel.EMAIL, day(10), "d0"))
                        .build(),
                noon));
        assertThat(waiting.hasReason(ReasonCode.COOLDOWN)).isTrue();
        assertThat(waiting.reasons()).anySatisfy(r -> assertThat(r.sentence()).contains("has not been in touch since"));
        // once the customer writes again about it, the action is eligible again
        var again = act(service.decide(
                customer()
                        .interaction(broken("c", day(9), "charger"))
                        .interaction(broken("c", day(19), "charger"))
                        .sent(new SentAction("plan-b-replacement", Channel.EMAIL, day(10), "d0"))
                        .build(),
                noon));
        assertThat(again.kind()).isEqualTo(ActionKind.PLAN_B);
    }

    @Test
    void aCustomerWithNoIntentGetsNothingRelevant() {
        var d = nothing(service.decide(customer().build(), noon));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.NOTHING_RELEVANT);
    }

    @Test
    void aLowValueCustomerGetsNoSurpriseAndTheReasonIsLowValue() {
        var d = nothing(service.decide(
                customer()
                        .interaction(metNeed("c", day(19)))
                        .predictedValue(5)
                        .probabilityAlive(0.9)
                        .build(),
                noon));
        assertThat(d.primary().code()).isEqualTo(ReasonCode.LOW_VALUE);
    }

    @Test
    void theSameInputGivesTheSameDecisionId() {
        var ctx = customer().interaction(broken("c", day(19), "charger")).build();
        assertThat(act(service.decide(ctx, noon)).decisionId())
                .isEqualTo(act(service.decide(ctx, noon)).decisionId());
    }
}
