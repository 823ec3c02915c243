package fusion.decisions;

import static fusion.decisions.ReasonCode.*;

import fusion.core.model.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides the next best action for one customer at one instant, or nothing, and says why.
 *
 * <p>The order is fixed and every step leaves a reason (docs/DECISIONS.md):
 * <ol>
 *   <li>infer intents and the state of basic needs from the trajectory;</li>
 *   <li>pyramid: while a need is unmet, only actions that fix needs stay eligible;</li>
 *   <li>relevance: the action's type must find a reason in the intents;</li>
 *   <li>cooldown: the same action is not repeated within its cooldown, nor before the customer has
 *       been in touch since it was sent;</li>
 *   <li>value: predicted value and probability alive must reach the entry's minimum;</li>
 *   <li>for the eligible actions, highest priority first, each channel in the customer's order
 *       (stated, then observed, then the catalogue's): consent at that instant, quiet hours
 *       (which defer the send; consent is asked again for the deferred instant), then the caps
 *       per channel and overall at the send instant;</li>
 *   <li>the first action and channel through every gate is the answer; if none, nothing, with
 *       the reason that stopped the best candidate.</li>
 * </ol>
 * Pure apart from the consent function: time is passed in and the decision id is derived from the
 * customer, action, channel and instant, so a replay produces the same ids.
 */
public final class DecisionService {
    private final Catalogue catalogue;
    private final DecisionConfig config;
    private final Map<ActionKind, ActionType> types;
    private final IntentInference inference;

    public DecisionService(Catalogue catalogue, DecisionConfig config) {
        this(catalogue, config, ActionTypes.standard());
    }

    /** With other plug-ins than the standard ones; every type in the catalogue needs one. */
    public DecisionService(Catalogue catalogue, DecisionConfig config, Map<ActionKind, ActionType> types) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.config = Objects.requireNonNull(config, "config");
        this.types = Map.copyOf(types);
        for (ActionSpec a : catalogue.actions()) {
            if (!this.types.containsKey(a.kind())) {
                throw new IllegalArgumentException("action '" + a.id() + "': no plug-in registered for type "
                        + a.kind().label());
            }
        }
        this.inference = new IntentInference(config.intent());
    }

    public DecisionConfig config() {
        return config;
    }

    public Decision decide(CustomerContext ctx, Instant now) {
        IntentInference.Inference inferred = inference.infer(ctx.trajectory(), ctx.brand(), now);
        Situation situation = new Situation(ctx, inferred, now);
        List<Reason> context = new ArrayList<>();
        for (Intent i : inferred.intents()) {
            context.add(Reason.of(INTENT, "the customer " + i.sentence()));
        }
        if (inferred.needUnmet()) {
            context.add(Reason.of(
                    NEED_UNMET, "a basic need is unmet: " + inferred.needReason() + "; only fixes are eligible"));
        }

        List<Reason> rejected = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (ActionSpec spec : catalogue.actions()) {
            ActionType type = types.get(spec.kind());
            Optional<String> why =
                    inferred.needUnmet() && !type.fixesNeeds() ? Optional.empty() : type.relevance(spec, situation);
            Optional<Reason> rejection = screen(spec, type, why, inferred, ctx, now);
            if (rejection.isPresent()) {
                rejected.add(rejection.get());
            } else {
                candidates.add(new Candidate(spec, why.orElseThrow()));
            }
        }
        if (candidates.isEmpty()) {
            return new Decision.Nothing(
                    ctx.customer(), now, concat(List.of(noCandidate(inferred, rejected)), context, rejected));
        }

        List<Reason> blocked = new ArrayList<>();
        ChannelBehaviour observed = ChannelBehaviour.observe(ctx.trajectory());
        for (Candidate c : candidates) {
            for (Channel channel : channelOrder(c.spec(), ctx, observed)) {
                Optional<Reason> block = gate(c.spec(), channel, ctx, now);
                if (block.isPresent()) {
                    blocked.add(block.get());
                    continue;
                }
                if (c.spec().holdout().holdsOut(c.spec().id(), ctx.customer())) {
                    // the control group: would have had this action on this channel, gets nothing
                    return new Decision.Nothing(
                            ctx.customer(),
                            now,
                            concat(
                                    List.of(Reason.of(
                                            HOLDOUT,
                                            c.spec().id()
                                                    + " would have gone out on " + channel.label()
                                                    + "; the customer is in its holdout ("
                                                    + Math.round(
                                                            c.spec().holdout().share() * 100)
                                                    + "% held out to measure it)")),
                                    context,
                                    blocked,
                                    rejected),
                            Optional.of(c.spec().id()));
                }
                List<Reason> reasons = new ArrayList<>(chosen(c, channel, ctx, observed, now));
                return new Decision.Act(
                        decisionId(ctx.customer(), c.spec().id(), channel, now),
                        ctx.customer(),
                        c.spec().id(),
                        c.spec().kind(),
                        channel,
                        c.spec().purpose(),
                        now,
                        sendAt(ctx, now),
                        concat(reasons, context, blocked, rejected));
            }
        }
        return new Decision.Nothing(
                ctx.customer(),
                now,
                concat(List.of(blocked.get(0)), context, blocked.subList(1, blocked.size()), rejected));
    }

    /** Steps 1-4: the pyramid, relevance, cooldown, value. Empty when the action stays eligible. */
    private static Optional<Reason> screen(
            ActionSpec spec,
            ActionType type,
            Optional<String> why,
            IntentInference.Inference inferred,
            CustomerContext ctx,
            Instant now) {
        if (inferred.needUnmet() && !type.fixesNeeds()) {
            return Optional.of(Reason.of(NOT_A_FIX, spec.id() + " does not fix the unmet need"));
        }
        if (why.isEmpty()) {
            return Optional.of(Reason.of(NOT_RELEVANT, spec.id() + " does not fit the situation"));
        }
        String audience = spec.eligibility().audience();
        if (audience != null && !ctx.audiences().test(audience)) {
            return Optional.of(Reason.of(
                    ReasonCode.NOT_IN_AUDIENCE,
                    spec.id() + " is only for audience '" + audience + "', which the customer is not in"));
        }
        Optional<SentAction> cooling = ctx.sent().stream()
                .filter(s -> s.actionId().equals(spec.id()))
                .filter(s -> s.at().plus(spec.cooldown()).isAfter(now))
                .max(Comparator.comparing(SentAction::at));
        if (cooling.isPresent()) {
            return Optional.of(Reason.of(
                    COOLDOWN,
                    spec.id() + " was decided for "
                            + cooling.get().at() + "; its cooldown of " + spec.cooldown()
                            + " is not over"));
        }
        // not bombarding: once an action went out, it waits for the customer to be in touch again
        Optional<Instant> lastHeard = ctx.trajectory().stream()
                .filter(i -> i.initiator() == fusion.core.model.Initiator.CONSUMER
                        && !i.time().isAfter(now))
                .map(fusion.core.model.Interaction::time)
                .max(Comparator.naturalOrder());
        Optional<SentAction> unanswered = ctx.sent().stream()
                .filter(s -> s.actionId().equals(spec.id()))
                .filter(s -> lastHeard.isEmpty() || !s.at().isBefore(lastHeard.get()))
                .max(Comparator.comparing(SentAction::at));
        if (unanswered.isPresent()) {
            return Optional.of(Reason.of(
                    COOLDOWN,
                    spec.id() + " was decided for " + unanswered.get().at()
                            + " and the customer has not been in touch since; it is not repeated until they are"));
        }
        return lowValue(spec, ctx).map(s -> Reason.of(LOW_VALUE, spec.id() + ": " + s));
    }

    /**
     * Steps 5-7 for one channel: consent now, consent at the deferred instant, caps at the send
     * instant. Empty when the action may go out on the channel.
     */
    private Optional<Reason> gate(ActionSpec spec, Channel channel, CustomerContext ctx, Instant now) {
        String where = spec.id() + " on " + channel.label();
        String purpose = spec.purpose().label();
        ConsentVerdict consent = ctx.consent().check(spec.purpose(), channel, now);
        if (!consent.allowed()) {
            return Optional.of(
                    Reason.of(NO_CONSENT, where + ": no " + purpose + " consent now (" + consent.reason() + ")"));
        }
        Instant sendAt = sendAt(ctx, now);
        if (!sendAt.equals(now)) {
            ConsentVerdict later = ctx.consent().check(spec.purpose(), channel, sendAt);
            if (!later.allowed()) {
                return Optional.of(Reason.of(
                        NO_CONSENT,
                        where + ": no " + purpose + " consent at the deferred time " + sendAt + " (" + later.reason()
                                + ")"));
            }
        }
        Optional<FrequencyCaps.Cap> channelCap = config.caps().channelCap(channel);
        if (channelCap.isPresent() && !channelCap.get().allows(ctx.sent(), channel, sendAt)) {
            return Optional.of(Reason.of(
                    CAPPED_CHANNEL,
                    where + ": at most " + channelCap.get().max() + " per "
                            + channelCap.get().window() + " on it"));
        }
        FrequencyCaps.Cap overall = config.caps().overall();
        if (!overall.allows(ctx.sent(), null, sendAt)) {
            return Optional.of(Reason.of(
                    CAPPED_OVERALL,
                    spec.id() + ": at most " + overall.max() + " contacts per " + overall.window()
                            + " over all channels"));
        }
        return Optional.empty();
    }

    private Instant sendAt(CustomerContext ctx, Instant now) {
        return config.quietHours().nextAllowed(now, ctx.zone());
    }

    /** The reasons of an act: why this action, why this channel, the consent, the timing. */
    private List<Reason> chosen(
            Candidate c, Channel channel, CustomerContext ctx, ChannelBehaviour observed, Instant now) {
        ActionSpec spec = c.spec();
        Instant sendAt = sendAt(ctx, now);
        ConsentVerdict consent = ctx.consent().check(spec.purpose(), channel, sendAt);
        List<Reason> reasons = new ArrayList<>();
        reasons.add(Reason.of(ACTION_CHOSEN, spec.id() + ": " + c.why()));
        reasons.add(channelReason(channel, ctx, observed));
        reasons.add(Reason.of(
                CONSENT_GIVEN, spec.purpose().label() + " consent on " + channel.label() + ": " + consent.reason()));
        if (!sendAt.equals(now)) {
            QuietHours q = config.quietHours();
            reasons.add(Reason.of(
                    QUIET_HOURS_DEFERRED,
                    "quiet hours " + q.start() + "-" + q.end() + " in " + ctx.zone() + "; send at " + sendAt));
        }
        return reasons;
    }

    private static Reason channelReason(Channel channel, CustomerContext ctx, ChannelBehaviour observed) {
        if (ctx.statedChannels().contains(channel)) {
            return Reason.of(CHANNEL_STATED_PREFERENCE, "the customer prefers " + channel.label());
        }
        if (observed.pointsFor(channel) > 0) {
            return Reason.of(
                    CHANNEL_OBSERVED,
                    "the customer starts or answers contacts on " + channel.label() + " (" + observed.pointsFor(channel)
                            + " points)");
        }
        return Reason.of(CHANNEL_CATALOGUE_ORDER, channel.label() + " is the action's next channel");
    }

    /** Stated preference first, then observed use, then the catalogue's order (stable sort). */
    static List<Channel> channelOrder(ActionSpec spec, CustomerContext ctx, ChannelBehaviour observed) {
        List<Channel> stated = ctx.statedChannels();
        Comparator<Channel> byStated =
                Comparator.comparingInt(c -> stated.contains(c) ? stated.indexOf(c) : Integer.MAX_VALUE);
        Comparator<Channel> byObserved = Comparator.comparingInt(observed::pointsFor);
        return spec.channels().stream()
                .sorted(byStated.thenComparing(byObserved.reversed()))
                .toList();
    }

    /** Absent predictions never block: a new customer can still be helped. */
    private static Optional<String> lowValue(ActionSpec spec, CustomerContext ctx) {
        Eligibility e = spec.eligibility();
        double value = ctx.predictedValue().orElse(Double.POSITIVE_INFINITY);
        if (value < e.minPredictedValue()) {
            return Optional.of("predicted value " + value + " is below " + e.minPredictedValue());
        }
        double alive = ctx.probabilityAlive().orElse(1.0);
        if (alive < e.minProbabilityAlive()) {
            return Optional.of("probability alive " + alive + " is below " + e.minProbabilityAlive());
        }
        return Optional.empty();
    }

    private static Reason noCandidate(IntentInference.Inference inferred, List<Reason> rejected) {
        if (inferred.needUnmet()) {
            return Reason.of(
                    UNMET_NEED_NO_FIX,
                    "a basic need is unmet (" + inferred.needReason() + ") and no fix is eligible now");
        }
        for (ReasonCode code : List.of(LOW_VALUE, COOLDOWN)) {
            Optional<Reason> first =
                    rejected.stream().filter(r -> r.code() == code).findFirst();
            if (first.isPresent()) {
                return first.get();
            }
        }
        return Reason.of(
                NOTHING_RELEVANT,
                inferred.intents().isEmpty()
                        ? "no intent in the recent trajectory"
                        : "no action in the catalogue fits the intents");
    }

    static String decisionId(String customer, String actionId, Channel channel, Instant at) {
        String key = customer + '\u0000' + actionId + '\u0000' + channel.name() + '\u0000' + at;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @SafeVarargs
    private static List<Reason> concat(List<Reason>... parts) {
        List<Reason> all = new ArrayList<>();
        for (List<Reason> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    private record Candidate(ActionSpec spec, String why) {}
}
