package fusion.server.journeys;

import fusion.analytics.attribution.Attribution;
import fusion.analytics.attribution.Attribution.AttributionResult;
import fusion.analytics.attribution.ConversionPath;
import fusion.analytics.journey.JourneyNextStep;
import fusion.analytics.journey.JourneyReport;
import fusion.analytics.journey.JourneySettings;
import fusion.analytics.journey.JourneyStats;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.InvalidInput;
import fusion.store.Interactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Customer incidence on live data. Journey statistics (transitions, paths, stalls, leakage,
 * share of orbit, delight and failed-need rates per contact point) are kept incrementally: each
 * committed batch updates them in O(1) per event; a restart, an erasure or an identity merge
 * rebuilds them from the log at the next read. Both give the same answer (tested). Attribution and the next-step chains are fitted
 * on demand from the log's journeys and cached for a minute.
 */
public final class JourneyService implements Interactions.Listener {
    private static final Duration FIT_TTL = Duration.ofMinutes(1);

    private final Interactions store;
    private final Clock clock;
    private final JourneySettings settings;
    private JourneyStats stats;
    private boolean stale = true;
    private Fitted fitted;

    private record Fitted(Instant at, List<Interaction> history, JourneyNextStep nextStep) {}

    /** What a journey step is named by in attribution. */
    public enum Token {
        CHANNEL(i -> i.contactPoint().channel().label()),
        CONTACT_POINT(i -> i.contactPoint().id()),
        PURPOSE(i -> i.purpose().label());

        private final Function<Interaction, String> name;

        Token(Function<Interaction, String> name) {
            this.name = name;
        }

        public static Token parse(String raw) {
            if (raw == null || raw.isBlank()) return CHANNEL;
            return switch (raw.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
                case "channel" -> CHANNEL;
                case "contactpoint" -> CONTACT_POINT;
                case "purpose" -> PURPOSE;
                default ->
                    throw new InvalidInput("by", "expected channel, contact_point or purpose but was '" + raw + "'");
            };
        }
    }

    public JourneyService(Interactions store, Clock clock, JourneySettings settings) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.stats = new JourneyStats(settings);
        store.listen(this);
    }

    /**
     * Adds the batch's interactions. A merge moves a person's past interactions to another
     * profile, which per-party statistics cannot follow incrementally: the statistics are then
     * marked stale and rebuilt from the log at the next read.
     */
    @Override
    public synchronized void committed(List<Interaction> interactions, boolean merged) {
        if (merged) stale = true;
        if (stale) return;
        for (Interaction i : interactions) stats.add(i);
    }

    @Override
    public synchronized void rebuilt() {
        stale = true;
        fitted = null;
    }

    public synchronized JourneyReport report(Instant asOf) {
        if (stale) {
            JourneyStats fresh = new JourneyStats(settings);
            store.forEachInteraction(fresh::add);
            stats = fresh;
            stale = false;
        }
        return stats.report(asOf);
    }

    /**
     * The report over the interactions of {@code parties} only (an audience's members), computed
     * from the log, with every party in the segment {@code segment} (the audience's id).
     */
    public JourneyReport report(Instant asOf, String segment, java.util.function.Predicate<String> parties) {
        JourneySettings scoped = new JourneySettings(
                settings.dropOutGap(), settings.leakageWindow(), settings.topPaths(), party -> segment);
        JourneyStats fresh = new JourneyStats(scoped);
        store.forEachInteraction(i -> {
            if (parties.test(i.party())) fresh.add(i);
        });
        return fresh.report(asOf);
    }

    /** The same report computed from scratch from the log (the batch path; equal to {@link #report}). */
    public JourneyReport rebuild(Instant asOf) {
        JourneyStats fresh = new JourneyStats(settings);
        store.forEachInteraction(fresh::add);
        return fresh.report(asOf);
    }

    /** Attribution of conversions and value to steps of the log's journeys, by {@code token}. */
    public AttributionResult attribution(Token token, int... orders) {
        return attribution(token, party -> true, orders);
    }

    /** Attribution over the journeys of {@code parties} only (an audience's members). */
    public AttributionResult attribution(Token token, java.util.function.Predicate<String> parties, int... orders) {
        Fitted f = fitted();
        List<Interaction> history =
                f.history().stream().filter(i -> parties.test(i.party())).toList();
        List<ConversionPath> paths = JourneyNextStep.paths(history, settings, f.at(), token.name);
        return Attribution.of(paths, orders);
    }

    /**
     * The next step of {@code profile}'s current journey with each brand it has one with. The
     * journey's steps come as three parallel lists: channel, purpose, and who started the contact
     * ({@code customer}: chosen by the customer; {@code brand}: an email, a delivery, a call back).
     */
    public record BrandNextStep(
            String brand,
            List<String> journeyChannels,
            List<String> journeyPurposes,
            List<String> journeyInitiators,
            JourneyNextStep.Prediction prediction) {}

    public List<BrandNextStep> nextStep(String profile) {
        Fitted f = fitted();
        List<Interaction> mine =
                f.history().stream().filter(i -> i.party().equals(profile)).toList();
        List<String> brands =
                mine.stream().map(i -> i.brand().id()).distinct().sorted().toList();
        List<BrandNextStep> out = new ArrayList<>();
        for (String brand : brands) {
            List<Interaction> journey = currentJourney(
                    mine.stream()
                            .filter(i -> i.brand().id().equals(brand))
                            .sorted(Comparator.comparing(Interaction::time))
                            .toList(),
                    f.at());
            if (journey.isEmpty()) continue;
            out.add(new BrandNextStep(
                    brand,
                    journey.stream()
                            .map(i -> i.contactPoint().channel().label())
                            .toList(),
                    journey.stream().map(i -> i.purpose().label()).toList(),
                    journey.stream()
                            .map(i -> i.initiator() == Initiator.CONSUMER ? "customer" : "brand")
                            .toList(),
                    f.nextStep().predict(journey)));
        }
        return out;
    }

    /** The steps since the last gap longer than the drop-out gap; empty when that journey has ended too. */
    private List<Interaction> currentJourney(List<Interaction> events, Instant at) {
        if (events.isEmpty()) return List.of();
        if (Duration.between(events.get(events.size() - 1).time(), at).compareTo(settings.dropOutGap()) > 0) {
            return List.of();
        }
        int start = events.size() - 1;
        while (start > 0
                && Duration.between(
                                        events.get(start - 1).time(),
                                        events.get(start).time())
                                .compareTo(settings.dropOutGap())
                        <= 0) {
            start--;
        }
        return events.subList(start, events.size());
    }

    private synchronized Fitted fitted() {
        Instant now = clock.instant();
        if (fitted == null || fitted.at().plus(FIT_TTL).isBefore(now) || now.isBefore(fitted.at())) {
            List<Interaction> history = new ArrayList<>();
            store.forEachInteraction(history::add);
            fitted = new Fitted(now, history, JourneyNextStep.fit(history, settings, now, 2));
        }
        return fitted;
    }
}
