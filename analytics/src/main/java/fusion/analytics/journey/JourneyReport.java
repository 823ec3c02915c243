package fusion.analytics.journey;

import java.time.Instant;
import java.util.List;

/**
 * Everything known about trajectories as of one instant: plain records, ready to serialise.
 *
 * @param asOf          journeys with no interaction since {@code asOf - dropOutGap} count as ended
 * @param brands        per segment and brand: transitions, paths, step times, stalls
 * @param contactPoints per segment, brand and contact point: delight and failed-need rates
 * @param leakage       purchases at one brand after research at another, per research contact point
 * @param researchKept  per brand researched: purchases that followed here versus elsewhere
 * @param orbit         per segment: each brand's share of interactions and of money
 * @param lateEvents    events older than their party's open journey with the brand; they count
 *                      for contact points and orbit but not for trajectories (see {@link JourneyStats})
 */
public record JourneyReport(
        Instant asOf,
        List<BrandJourneys> brands,
        List<ContactPointRates> contactPoints,
        List<Leakage> leakage,
        List<ResearchKept> researchKept,
        List<OrbitShare> orbit,
        long lateEvents) {

    /**
     * Trajectories of one segment with one brand.
     *
     * @param journeys        journeys started (ended or not)
     * @param endedJourneys   journeys that ended by a gap longer than the drop-out gap
     * @param stalledJourneys ended journeys whose last step was not a purchase or a renewal
     * @param customerStartedInteractions interactions the customer chose to start (a visit, a call)
     * @param brandStartedInteractions    interactions the brand started (an email, a delivery, a call back)
     * @param customerStartedJourneys     journeys whose first step the customer started
     * @param brandStartedJourneys        journeys whose first step the brand started
     */
    public record BrandJourneys(
            String segment,
            String brand,
            long interactions,
            long journeys,
            long endedJourneys,
            long stalledJourneys,
            List<Transition> channelTransitions,
            List<Transition> purposeTransitions,
            List<PathCount> topPaths,
            StepTimes stepTimes,
            List<Stall> stalls,
            long customerStartedInteractions,
            long brandStartedInteractions,
            long customerStartedJourneys,
            long brandStartedJourneys) {}

    /** Steps from {@code from} to {@code to}, and their share of all steps leaving {@code from}. */
    public record Transition(String from, String to, long count, double probability) {}

    /** A channel path and how many journeys took it. */
    public record PathCount(List<String> channels, long journeys) {}

    /** Time between consecutive steps of a journey (nearest-rank quantiles), in seconds. */
    public record StepTimes(long steps, double medianSeconds, double p90Seconds) {}

    /** Journeys that stalled after this last step. */
    public record Stall(String contactPoint, String purpose, long journeys) {}

    /**
     * Moments of delight ({@code Outcome.wow}) per interaction, and failed needs
     * ({@code Outcome.need == FAILED}) per interaction whose need is known (met or failed).
     * {@code failedNeedRate} is {@code null} when no interaction there had a known need (a page
     * view, a catalogue screen): the rate is undefined, not 0, and the dashboard says so.
     */
    public record ContactPointRates(
            String segment,
            String brand,
            String contactPoint,
            String channel,
            long interactions,
            long delights,
            double delightRate,
            long needsKnown,
            long needsFailed,
            Double failedNeedRate) {}

    /** Purchases at {@code purchaseBrand} within the window after research at {@code researchBrand}. */
    public record Leakage(String researchBrand, String researchContactPoint, String purchaseBrand, long purchases) {}

    /**
     * Purchases that followed research at {@code brand} within the window: at the brand itself, or
     * at other brands (a purchase elsewhere counts once even after research at several points).
     */
    public record ResearchKept(String brand, long purchasedHere, long purchasedElsewhere, double leakageRate) {}

    /** One brand's share of a segment's interactions and money (its share of orbit). */
    public record OrbitShare(
            String segment,
            String brand,
            boolean competitor,
            long interactions,
            double interactionShare,
            double money,
            double moneyShare) {}
}
