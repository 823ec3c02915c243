package fusion.analytics.journey;

import fusion.core.model.Interaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trajectories rebuilt from a whole history: group by party, sort by time, cut each party's
 * interactions with each brand into journeys at gaps longer than the drop-out gap, and scan each
 * party's sorted history for purchases after research. The same figures as {@link JourneyStats}
 * fed the sorted events, derived journey-first instead of event-first.
 */
final class JourneyBatch {

    private JourneyBatch() {}

    static JourneyReport report(List<Interaction> interactions, JourneySettings settings, Instant asOf) {
        JourneyTally tally = new JourneyTally();
        Map<String, List<Interaction>> byParty = new LinkedHashMap<>();
        for (Interaction i : interactions) {
            tally.event(settings.segmentOf().apply(i.party()), i);
            byParty.computeIfAbsent(i.party(), p -> new ArrayList<>()).add(i);
        }
        List<Journey> open = new ArrayList<>();
        for (List<Interaction> history : byParty.values()) {
            history.sort(Comparator.comparing(Interaction::time));
            String segment = settings.segmentOf().apply(history.get(0).party());
            Map<String, List<Interaction>> byBrand = new LinkedHashMap<>();
            history.forEach(i -> byBrand.computeIfAbsent(i.brand().id(), b -> new ArrayList<>())
                    .add(i));
            for (List<Interaction> withBrand : byBrand.values()) {
                List<Journey> journeys = cut(segment, withBrand, settings.dropOutGap(), tally);
                journeys.subList(0, journeys.size() - 1).forEach(tally::journeyEnded);
                open.add(journeys.get(journeys.size() - 1));
            }
            purchasesAfterResearch(history, settings.leakageWindow(), tally);
        }
        return tally.report(asOf, open, settings);
    }

    private static List<Journey> cut(String segment, List<Interaction> sorted, Duration gap, JourneyTally tally) {
        List<Journey> journeys = new ArrayList<>();
        String key = JourneyTally.key(segment, sorted.get(0).brand().id());
        Journey current = null;
        for (Interaction i : sorted) {
            if (current == null
                    || Duration.between(current.lastTime(), i.time()).compareTo(gap) > 0) {
                current = new Journey(segment, i);
                journeys.add(current);
                tally.journeyStarted(key, i);
            } else {
                tally.step(key, current.last, i);
                current.step(i);
            }
        }
        return journeys;
    }

    private static void purchasesAfterResearch(List<Interaction> sorted, Duration window, JourneyTally tally) {
        Map<String, Interaction> latestResearch = new HashMap<>();
        for (Interaction i : sorted) {
            if (JourneyTally.isPurchase(i)) {
                latestResearch.values().stream()
                        .filter(r -> Duration.between(r.time(), i.time()).compareTo(window) <= 0)
                        .forEach(r -> tally.purchaseAfterResearch(
                                r.brand().id(), r.contactPoint().id(), i.brand().id()));
            }
            if (JourneyTally.isResearch(i)) {
                latestResearch.put(i.brand().id(), i);
            }
        }
    }
}
