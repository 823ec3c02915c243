package fusion.decisions;

import fusion.core.model.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Decides the next best action for one customer at one instant, or nothing, and says why.
 *
 * <p>The order is fixed and every step leaves a reason (docs/DECISIONS.md):
 * <ol>
 *   <li>infer intents and the state of basic needs from the trajectory;</li>
 *   <li>pyramid: while a need is unmet, only actions that fix needs stay eligible;</li>
 *   <li>relevance: the action's type must find a reason in the intents;</li>
 *   <li>cooldown: the same action is not repeated within its cooldown;</li>
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
        inferred.intents().forEach(i -> context.add(Reason.of(ReasonCode.INTENT, "the customer " + i.sentence())));
        if (inferred.needUnmet()) {
            context.add(Reason.of(ReasonCode.NEED_UNMET, "a basic need is unmet: " + inferred.needReason()
                    + "; only fixes are eligible"));
        }

        List<Reason> rejected = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (ActionSpec spec : catalogue.actions()) {
            ActionType type = types.get(spec.kind());
            if (inferred.needUnmet() && !type.fixesNeeds()) {
                rejected.add(Reason.of(ReasonCode.NOT_A_FIX, spec.id() + " does not fix the unmet need"));
                continue;
            }
            var why = type.relevance(spec, situation);
            if (why.isEmpty()) {
                rejected.add(Reason.of(ReasonCode.NOT_RELEVANT, spec.id() + " does not fit the situation"));
                continue;
            }
            var cooling = ctx.sent().stream().filter(s -> s.actionId().equals(spec.id()))
                    .filter(s -> s.at().plus(spec.cooldown()).isAfter(now)).max(Comparator.comparing(SentAction::at));
            if (cooling.isPresent()) {
                rejected.add(Reason.of(ReasonCode.COOLDOWN, spec.id() + " was decided at " + cooling.get().at()
                        + "; cooldown " + spec.cooldown() + " not over"));
                continue;
            }
            String lowValue = lowValue(spec, ctx);
            if (lowValue != null) {
                rejected.add(Reason.of(ReasonCode.LOW_VALUE, spec.id() + ": " + lowValue));
                continue;
            }
            candidates.add(new Candidate(spec, why.get()));
        }

        if (candidates.isEmpty()) {
            return new Decision.Nothing(ctx.customer(), now, concat(noCandidate(inferred, rejected), context, rejected));
        }
        List<Reason> blocked = new ArrayList<>();
        ChannelBehaviour observed = ChannelBehaviour.observe(ctx.trajectory());
        for (Candidate c : candidates) {
            for (Channel channel : channelOrder(c.spec(), ctx, observed)) {
                Decision d = tryChannel(c, channel, ctx, observed, now, context, blocked, rejected);
                if (d != null) {
                    return d;
                }
            }
        }
        return new Decision.Nothing(ctx.customer(), now, concat(List.of(blocked.get(0)), context,
                concat(blocked.subList(1, blocked.size()), rejected, List.of())));
    }

    private Decision tryChannel(Candidate c, Channel channel, CustomerContext ctx, ChannelBehaviour observed,
                                Instant now, List<Reason> context, List<Reason> blocked,
                                List<Reason> rejected) {
        ActionSpec spec = c.spec();
        ConsentVerdict consent = ctx.consent().check(spec.purpose(), channel, now);
        if (!consent.allowed()) {
            blocked.add(Reason.of(ReasonCode.NO_CONSENT, spec.id() + " on " + channel.label() + ": no "
                    + spec.purpose().label() + " consent now (" + consent.reason() + ")"));
            return null;
        }
        Instant sendAt = config.quietHours().nextAllowed(now, ctx.zone());
        if (!sendAt.equals(now)) {
            ConsentVerdict later = ctx.consent().check(spec.purpose(), channel, sendAt);
            if (!later.allowed()) {
                blocked.add(Reason.of(ReasonCode.NO_CONSENT, spec.id() + " on " + channel.label()
                        + ": no " + spec.purpose().label() + " consent at the deferred time " + sendAt
                        + " (" + later.reason() + ")"));
                return null;
            }
            consent = later;
        }
        var channelCap = config.caps().channelCap(channel);
        if (channelCap.isPresent() && !channelCap.get().allows(ctx.sent(), channel, sendAt)) {
            blocked.add(Reason.of(ReasonCode.CAPPED_CHANNEL, spec.id() + " on " + channel.label() + ": at most "
                    + channelCap.get().max() + " per " + channelCap.get().window() + " on this channel"));
            return null;
        }
        var overall = config.caps().overall();
        if (!overall.allows(ctx.sent(), null, sendAt)) {
            blocked.add(Reason.of(ReasonCode.CAPPED_OVERALL, spec.id() + ": at most " + overall.max()
                    + " contacts per " + overall.window() + " over all channels"));
            return null;
        }
        List<Reason> reasons = new ArrayList<>();
        reasons.add(Reason.of(ReasonCode.ACTION_CHOSEN, spec.id() + ": " + c.why()));
        reasons.add(channelReason(channel, ctx, observed));
        reasons.add(Reason.of(ReasonCode.CONSENT_GIVEN, spec.purpose().label() + " consent on "
                + channel.label() + ": " + consent.reason()));
        if (!sendAt.equals(now)) {
            reasons.add(Reason.of(ReasonCode.QUIET_HOURS_DEFERRED, "quiet hours " + config.quietHours().start()
                    + "-" + config.quietHours().end() + " in " + ctx.zone() + "; send at " + sendAt));
        }
        reasons.addAll(context);
        reasons.addAll(blocked);
        reasons.addAll(rejected);
        return new Decision.Act(decisionId(ctx.customer(), spec.id(), channel, now), ctx.customer(), spec.id(),
                spec.kind(), channel, spec.purpose(), now, sendAt, reasons);
    }

    private static Reason channelReason(Channel channel, CustomerContext ctx, ChannelBehaviour observed) {
        if (ctx.statedChannels().contains(channel)) {
            return Reason.of(ReasonCode.CHANNEL_STATED_PREFERENCE, "the customer prefers " + channel.label());
        }
        if (observed.pointsFor(channel) > 0) {
            return Reason.of(ReasonCode.CHANNEL_OBSERVED, "the customer starts or answers contacts on "
                    + channel.label() + " (" + observed.pointsFor(channel) + " points)");
        }
        return Reason.of(ReasonCode.CHANNEL_CATALOGUE_ORDER, channel.label() + " is the action's next channel");
    }

    /** Stated preference first, then observed use, then the catalogue's order (stable sort). */
    static List<Channel> channelOrder(ActionSpec spec, CustomerContext ctx, ChannelBehaviour observed) {
        List<Channel> stated = ctx.statedChannels();
        return spec.channels().stream().sorted(Comparator
                .comparingInt((Channel c) -> stated.contains(c) ? stated.indexOf(c) : Integer.MAX_VALUE)
                .thenComparing(Comparator.comparingInt(observed::pointsFor).reversed())).toList();
    }

    private static String lowValue(ActionSpec spec, CustomerContext ctx) {
        Eligibility e = spec.eligibility();
        if (ctx.predictedValue().isPresent() && ctx.predictedValue().getAsDouble() < e.minPredictedValue()) {
            return "predicted value " + ctx.predictedValue().getAsDouble() + " is below " + e.minPredictedValue();
        }
        if (ctx.probabilityAlive().isPresent() && ctx.probabilityAlive().getAsDouble() < e.minProbabilityAlive()) {
            return "probability alive " + ctx.probabilityAlive().getAsDouble() + " is below "
                    + e.minProbabilityAlive();
        }
        return null;
    }

    private static List<Reason> noCandidate(IntentInference.Inference inferred, List<Reason> rejected) {
        if (inferred.needUnmet()) {
            return List.of(Reason.of(ReasonCode.UNMET_NEED_NO_FIX, "a basic need is unmet ("
                    + inferred.needReason() + ") and no fix is eligible now"));
        }
        for (ReasonCode code : List.of(ReasonCode.LOW_VALUE, ReasonCode.COOLDOWN)) {
            var first = rejected.stream().filter(r -> r.code() == code).findFirst();
            if (first.isPresent()) {
                return List.of(first.get());
            }
        }
        return List.of(Reason.of(ReasonCode.NOTHING_RELEVANT, inferred.intents().isEmpty()
                ? "no intent in the recent trajectory" : "no action in the catalogue fits the intents"));
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
