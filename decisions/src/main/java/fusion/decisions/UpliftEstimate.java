package fusion.decisions;

import java.util.List;
import java.util.Locale;

/**
 * An action's uplift on one outcome from the people of its two arms, or a plain statement that
 * there are too few of them for an interval to mean anything. The same code serves the live
 * figures (the {@code decisions} table) and {@code ./fusion simulate} (a replay of history).
 */
public sealed interface UpliftEstimate {
    /**
     * Fewest people per arm before an interval is given: below it the normal approximations
     * behind both intervals are not to be trusted.
     */
    int MIN_PER_ARM = 30;

    /**
     * Fewest people with, and without, a yes/no outcome in each arm: the usual condition
     * ({@code n p >= 5} and {@code n (1 - p) >= 5}) for the Wald interval of {@link Uplift}.
     */
    int MIN_EACH_WAY = 5;

    /** One sentence that says what was found, for a dashboard or a report. */
    String sentence();

    /** A yes/no outcome: rates per arm and their difference. */
    record Proportions(UpliftOutcome outcome, Uplift uplift) implements UpliftEstimate {
        @Override
        public String sentence() {
            return String.format(
                    Locale.ROOT,
                    "%s: %.1f%% of %d treated against %.1f%% of %d held out, uplift %+.1f points"
                            + " (95%% interval %+.1f to %+.1f)",
                    outcome.label(),
                    100 * uplift.treatedRate(),
                    uplift.treated(),
                    100 * uplift.heldOutRate(),
                    uplift.heldOut(),
                    100 * uplift.uplift(),
                    100 * uplift.low(),
                    100 * uplift.high());
        }
    }

    /** A score change: means per arm and their difference. */
    record Means(UpliftOutcome outcome, MeanUplift uplift) implements UpliftEstimate {
        @Override
        public String sentence() {
            return String.format(
                    Locale.ROOT,
                    "%s: mean change %+.3f for %d treated against %+.3f for %d held out, uplift %+.3f"
                            + " (95%% interval %+.3f to %+.3f)",
                    outcome.label(),
                    uplift.treatedMean(),
                    uplift.treated(),
                    uplift.heldOutMean(),
                    uplift.heldOut(),
                    uplift.uplift(),
                    uplift.low(),
                    uplift.high());
        }
    }

    /** No interval: an arm is too small; {@code why} says which and what it needs. */
    record TooFew(long treated, long heldOut, String why) implements UpliftEstimate {
        @Override
        public String sentence() {
            return "too few people: " + why;
        }
    }

    /**
     * The estimate for {@code outcome} from each arm's values, one per person: 1 or 0 for a yes/no
     * outcome, the score change otherwise.
     */
    static UpliftEstimate of(UpliftOutcome outcome, List<Double> treated, List<Double> heldOut) {
        for (var arm : List.of(treated, heldOut)) {
            if (arm.size() < MIN_PER_ARM) {
                return new TooFew(
                        treated.size(),
                        heldOut.size(),
                        String.format(
                                Locale.ROOT,
                                "the %s arm has %d people whose window is over; an interval needs at least %d in"
                                        + " each arm (treated %d, held out %d)",
                                arm == treated ? "treated" : "held-out",
                                arm.size(),
                                MIN_PER_ARM,
                                treated.size(),
                                heldOut.size()));
            }
        }
        if (!outcome.yesNo()) {
            return new Means(outcome, MeanUplift.of(array(treated), array(heldOut)));
        }
        long yes1 = treated.stream().filter(v -> v > 0.5).count();
        long yes0 = heldOut.stream().filter(v -> v > 0.5).count();
        String thin = thin("treated", yes1, treated.size(), outcome);
        if (thin == null) thin = thin("held-out", yes0, heldOut.size(), outcome);
        if (thin != null) return new TooFew(treated.size(), heldOut.size(), thin);
        return new Proportions(outcome, Uplift.of(treated.size(), yes1, heldOut.size(), yes0));
    }

    /** Why an arm is too thin for the Wald interval, or null when it is not. */
    private static String thin(String arm, long yes, long people, UpliftOutcome outcome) {
        if (yes >= MIN_EACH_WAY && people - yes >= MIN_EACH_WAY) return null;
        return String.format(
                Locale.ROOT,
                "the %s arm has %d of %d people with the outcome (%s); an interval needs at least %d with"
                        + " and %d without it in each arm",
                arm,
                yes,
                people,
                outcome.label(),
                MIN_EACH_WAY,
                MIN_EACH_WAY);
    }

    private static double[] array(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
