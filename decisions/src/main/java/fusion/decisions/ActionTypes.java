package fusion.decisions;

import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import fusion.decisions.Intent.Kind;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The standard action types, one per {@link ActionKind}, in one visible table. The ideas are seed
 * 004's service trends (Plan B, video valet, a service added to the product, politeness rewarded)
 * and seed 002's pyramid (recovery and information fix needs; delight only once they are met).
 */
public final class ActionTypes {
    private ActionTypes() {}

    public static Map<ActionKind, ActionType> standard() {
        Map<ActionKind, ActionType> m = new EnumMap<>(ActionKind.class);
        m.put(ActionKind.PLAN_B, fix(ActionTypes::planB));
        m.put(ActionKind.VIDEO_VALET, fix(ActionTypes::videoValet));
        m.put(ActionKind.SERVICE_RECOVERY, fix(ActionTypes::serviceRecovery));
        m.put(ActionKind.INFORMATION, fix(ActionTypes::information));
        m.put(ActionKind.COURIER_RETURN, ActionTypes::courierReturn);
        m.put(ActionKind.POLITENESS_REWARD, ActionTypes::politenessReward);
        m.put(ActionKind.RENEWAL, ActionTypes::renewal);
        m.put(ActionKind.DELIGHT, ActionTypes::delight);
        m.put(ActionKind.IDEA_CREDIT, ActionTypes::ideaCredit);
        return Map.copyOf(m);
    }

    /** Fixes are contacts about the customer's own problem; the rest are marketing. */
    static ConsentPurpose defaultPurpose(ActionKind kind) {
        return switch (kind) {
            case PLAN_B, VIDEO_VALET, SERVICE_RECOVERY, INFORMATION, COURIER_RETURN -> ConsentPurpose.CONTRACT;
            case POLITENESS_REWARD, RENEWAL, DELIGHT, IDEA_CREDIT -> ConsentPurpose.MARKETING;
        };
    }

    private static ActionType fix(ActionType rule) {
        return new ActionType() {
            @Override
            public Optional<String> relevance(ActionSpec spec, Situation s) {
                return rule.relevance(spec, s);
            }

            @Override
            public boolean fixesNeeds() {
                return true;
            }
        };
    }

    /** Plan B: something ran out, broke or was lost: offer a backup or replacement. */
    static Optional<String> planB(ActionSpec spec, Situation s) {
        return intent(s, Kind.LOST_OR_BROKEN, spec).map(i -> "offer a backup or replacement: " + i.sentence());
    }

    /**
     * Video valet: face to face, when the matter has already cost the customer extra contacts or
     * channel switches (the complaint's strength counts them).
     */
    static Optional<String> videoValet(ActionSpec spec, Situation s) {
        return intent(s, Kind.OPEN_COMPLAINT, spec).map(i -> "offer a video call with an expert: " + i.sentence());
    }

    /** Service recovery: a bad experience or an open complaint, to be turned around. */
    static Optional<String> serviceRecovery(ActionSpec spec, Situation s) {
        return intent(s, Kind.OPEN_COMPLAINT, spec)
                .or(() -> intent(s, Kind.BAD_EXPERIENCE, spec))
                .map(i -> "recover the service: " + i.sentence());
    }

    /** Relevant information: an open question, or research that has not led to a purchase. */
    static Optional<String> information(ActionSpec spec, Situation s) {
        // an answer to the customer's own question is service; pushing information at someone who is
        // merely browsing would be marketing sent under the contract purpose, so research does not count
        return intent(s, Kind.OPEN_QUESTION, spec).map(i -> "send relevant information: the customer " + i.sentence());
    }

    /** A service added to the product: return pick-up by the courier after an online purchase. */
    static Optional<String> courierReturn(ActionSpec spec, Situation s) {
        Set<Channel> online = Set.of(Channel.WEB, Channel.APP);
        return intent(s, Kind.RECENT_PURCHASE, spec)
                .filter(i -> online.contains(i.channel()))
                .map(i -> "offer return pick-up by the courier: the customer " + i.sentence());
    }

    /** Politeness is owed both ways: reward the customer who showed it. */
    static Optional<String> politenessReward(ActionSpec spec, Situation s) {
        return intent(s, Kind.POLITE_BEHAVIOUR, spec).map(i -> "thank and reward: the customer " + i.sentence());
    }

    /** Membership renewal when it falls due. */
    static Optional<String> renewal(ActionSpec spec, Situation s) {
        return intent(s, Kind.RENEWAL_DUE, spec).map(i -> "invite to renew: " + i.sentence());
    }

    /**
     * A small surprise, only when the base of the pyramid holds (latest need met, nothing open) and
     * the experience score, when known, is at least the entry's minimum.
     */
    static Optional<String> delight(ActionSpec spec, Situation s) {
        if (!s.inference().needsMet()) {
            return Optional.empty();
        }
        boolean scoreOk = s.customer()
                .score()
                .map(sc -> sc.experience() >= spec.eligibility().minExperience())
                .orElse(true);
        return scoreOk ? Optional.of("a small surprise: the customer's needs are met") : Optional.empty();
    }

    /** How long after an idea is adopted or shipped its contributors are worth telling. */
    static final java.time.Duration IDEA_CREDIT_WINDOW = java.time.Duration.ofDays(14);

    /**
     * Credit where it is due (seed 004, co-creation): the brand adopted or shipped an idea the
     * customer contributed, within the last {@link #IDEA_CREDIT_WINDOW}. The ideas stream records
     * that as a brand-started interaction at the {@code ideas} contact point that gave the customer
     * value (docs/IDEAS.md); telling them is this action, under its consent purpose like any other.
     */
    static Optional<String> ideaCredit(ActionSpec spec, Situation s) {
        Instant since = s.now().minus(IDEA_CREDIT_WINDOW);
        return s.customer().trajectory().stream()
                .filter(i -> i.contactPoint().id().equals("ideas")
                        && i.initiator() == fusion.core.model.Initiator.BRAND
                        && i.outcome().valueReceived() > 0
                        && i.brand().id().equals(s.customer().brand())
                        && !i.time().isBefore(since)
                        && !i.time().isAfter(s.now()))
                .max(java.util.Comparator.comparing(fusion.core.model.Interaction::time))
                .map(i -> "tell the customer their idea counted: " + i.description());
    }

    private static Optional<Intent> intent(Situation s, Kind kind, ActionSpec spec) {
        return s.inference()
                .first(kind)
                .filter(i -> i.strength() >= spec.eligibility().minStrength());
    }
}
