package fusion.server.decisions;

import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.InvalidInput;
import fusion.core.model.Purpose;
import fusion.decisions.Holdout;
import fusion.decisions.OutcomeReports;
import fusion.decisions.UpliftEstimate;
import fusion.decisions.UpliftOutcome;
import fusion.store.DecisionRecords;
import fusion.store.DecisionRecords.DecisionRecord;
import fusion.store.LedgerView;
import fusion.store.Pipeline;
import fusion.store.ProfileView;
import fusion.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Does an action work? Its uplift on an outcome, from the decisions recorded live: the people it
 * was decided for (treated) against the people held out of it (a "nothing" with reason
 * {@code holdout}). Each person counts once, from their first decision for the action (its
 * instant starts their window of N days), and only once the window is over, so both arms are
 * measured over the same length of time. Intention to treat: an act counts as treated whether or
 * not its delivery went through, because the held-out arm is its exact counterpart (the people
 * who would have been given it); dropping failed deliveries would compare unlike groups.
 *
 * <p>The outcomes ({@link UpliftOutcome}) are read from the person's interactions with the
 * deciding brand after the decision, leaving out Fusion's own reports of the decision (contact
 * point {@code decision-<action>}: an "opened" would otherwise count as the treated arm's contact),
 * and from the relationship's ledger for the score changes.
 */
public final class HoldoutUplift {
    /** The longest window asked for, in days. */
    public static final int MAX_DAYS = 365;

    /** Ledger entries read per person for a score change (newest first; older ones are not needed). */
    static final int MAX_LEDGER = 10_000;

    /** One person's first decision for the action: when, for which brand, and in which arm. */
    public record Exposure(String profile, String brand, Instant at, boolean heldOut) {}

    /**
     * The answer: the arms as counted and the estimate.
     *
     * @param from          the first counted decision, empty when none is counted
     * @param to            the last counted decision
     * @param pending       people whose window is not over yet (not counted)
     * @param notInAudience people left out because they are not in the audience now
     */
    public record Report(
            String action,
            Holdout holdout,
            UpliftOutcome outcome,
            int days,
            Optional<String> audience,
            Instant now,
            Optional<Instant> from,
            Optional<Instant> to,
            long treated,
            long heldOut,
            OptionalDouble treatedFigure,
            OptionalDouble heldOutFigure,
            long pending,
            long notInAudience,
            UpliftEstimate estimate) {}

    private final Store store;
    private final Pipeline mapping;

    HoldoutUplift(Store store, Pipeline mapping) {
        this.store = store;
        this.mapping = mapping;
    }

    /** {@code days} from 1 to {@link #MAX_DAYS}, refused naming {@code field} otherwise. */
    public static int days(String field, String text) {
        try {
            int d = Integer.parseInt(text.strip());
            if (d >= 1 && d <= MAX_DAYS) return d;
        } catch (NumberFormatException notANumber) {
            // the message below says what is expected
        }
        throw new InvalidInput(
                field, "expected a whole number of days from 1 to " + MAX_DAYS + " but was '" + text + "'");
    }

    /** The live uplift of {@code action} at {@code now}, for the people {@code inAudience} accepts. */
    Report measure(
            String action,
            Holdout holdout,
            UpliftOutcome outcome,
            int days,
            Optional<String> audience,
            Predicate<String> inAudience,
            Instant now) {
        List<Exposure> exposures = exposures(
                store.decisions().decisionsForAction(action),
                id -> store.profile(id).map(ProfileView::id));
        ToDoubleFunction<Exposure> value = switch (outcome) {
            case PURCHASE, LAPSE -> e -> yesNo(outcome, interactionsOf(e.profile()), e, days);
            case EXPERIENCE, FUSION -> e -> scoreChange(outcome, store, e, days);
        };
        return report(action, holdout, outcome, days, audience, inAudience, now, exposures, value);
    }

    /**
     * Each person's first decision for the action, in the arm it put them in: an act is treated,
     * a "nothing" naming the action held out. Profiles are taken as they are now (a merged one
     * counts once, from its earliest decision); an erased one is gone.
     */
    public static List<Exposure> exposures(
            List<DecisionRecord> decisions, java.util.function.Function<String, Optional<String>> currentId) {
        Map<String, Exposure> first = new LinkedHashMap<>();
        for (DecisionRecord d : decisions) {
            Optional<String> p = currentId.apply(d.profile());
            if (p.isEmpty()) continue;
            boolean heldOut = d.outcome() == DecisionRecords.Outcome.NOTHING;
            Exposure e = new Exposure(p.get(), d.brand(), d.at(), heldOut);
            first.merge(p.get(), e, (a, b) -> a.at().isAfter(b.at()) ? b : a);
        }
        return List.copyOf(first.values());
    }

    /**
     * The report over {@code exposures}, measured at {@code now}: people whose window is over
     * and who are in the audience are counted, in their arm, with {@code value} of them.
     */
    public static Report report(
            String action,
            Holdout holdout,
            UpliftOutcome outcome,
            int days,
            Optional<String> audience,
            Predicate<String> inAudience,
            Instant now,
            List<Exposure> exposures,
            ToDoubleFunction<Exposure> value) {
        List<Double> treated = new ArrayList<>(), heldOut = new ArrayList<>();
        long pending = 0, outside = 0;
        Instant from = null, to = null;
        for (Exposure e : exposures) {
            if (e.at().plus(Duration.ofDays(days)).isAfter(now)) {
                pending++;
                continue;
            }
            if (!inAudience.test(e.profile())) {
                outside++;
                continue;
            }
            (e.heldOut() ? heldOut : treated).add(value.applyAsDouble(e));
            if (from == null || e.at().isBefore(from)) from = e.at();
            if (to == null || e.at().isAfter(to)) to = e.at();
        }
        return new Report(
                action,
                holdout,
                outcome,
                days,
                audience,
                now,
                Optional.ofNullable(from),
                Optional.ofNullable(to),
                treated.size(),
                heldOut.size(),
                treated.stream().mapToDouble(Double::doubleValue).average(),
                heldOut.stream().mapToDouble(Double::doubleValue).average(),
                pending,
                outside,
                UpliftEstimate.of(outcome, treated, heldOut));
    }

    /**
     * 1 or 0: for {@code purchase}, a purchase with the exposure's brand after the decision and
     * within {@code days}; for {@code lapse}, no interaction the person started with that brand in
     * that window. Fusion's own reports of decisions are never counted.
     */
    public static double yesNo(UpliftOutcome outcome, List<Interaction> interactions, Exposure e, int days) {
        Instant end = e.at().plus(Duration.ofDays(days));
        boolean any = interactions.stream()
                .filter(i -> !OutcomeReports.isReport(i))
                .filter(i -> i.brand().id().equals(e.brand()))
                .filter(i -> i.time().isAfter(e.at()) && !i.time().isAfter(end))
                .anyMatch(i -> outcome == UpliftOutcome.PURCHASE
                        ? i.purpose() == Purpose.PURCHASE
                        : i.initiator() == Initiator.CONSUMER);
        return switch (outcome) {
            case PURCHASE -> any ? 1 : 0;
            case LAPSE -> any ? 0 : 1;
            default -> throw new IllegalArgumentException(outcome.label() + " is not a yes/no outcome");
        };
    }

    /**
     * The score after the last ledger entry up to {@code end} minus the score after the last one
     * up to {@code start} (0 before the first: the relationship had no score yet). Scores are the
     * ledger's, as of each event.
     */
    public static double scoreChange(UpliftOutcome outcome, fusion.store.ServingReads reads, Exposure e, int days) {
        return scoreChange(
                outcome, reads.ledger(e.profile(), e.brand(), MAX_LEDGER), e.at(), e.at().plus(Duration.ofDays(days)));
    }

    static double scoreChange(UpliftOutcome outcome, List<LedgerView> newestFirst, Instant start, Instant end) {
        return scoreAt(outcome, newestFirst, end) - scoreAt(outcome, newestFirst, start);
    }

    private static double scoreAt(UpliftOutcome outcome, List<LedgerView> newestFirst, Instant t) {
        for (LedgerView l : newestFirst) {
            if (!l.time().isAfter(t)) return outcome == UpliftOutcome.FUSION ? l.fusionAfter() : l.experienceAfter();
        }
        return 0;
    }

    private List<Interaction> interactionsOf(String profile) {
        List<Interaction> out = new ArrayList<>();
        store.forEachEventOf(
                profile, (seq, call) -> mapping.interaction(call, profile).ifPresent(out::add));
        return out;
    }
}
