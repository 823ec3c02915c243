package fusion.analytics.journey;

import fusion.core.model.Interaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trajectory statistics kept up to date one interaction at a time.
 *
 * <p>Each {@link #add} does a constant amount of work for the trajectory: it looks up the party's
 * open journey with the brand, and either extends it (one channel and one purpose transition
 * counted, one step time kept) or ends it and opens a new one. Leakage looks at the party's latest
 * research per brand, a handful of entries. State is per party (open journeys, latest research) plus
 * the counts; nothing is rescanned. {@link #report(Instant)} assembles the figures without changing
 * the state, so it can be called at any time.
 *
 * <p>Events are expected in time order per party, as an event stream delivers them. An event older
 * than the latest one already seen for its party is counted for its contact point and the orbit,
 * but kept out of trajectories and leakage, and reported in {@link JourneyReport#lateEvents()};
 * replay a sorted history through {@link #rebuild} to include it. Not thread-safe.
 */
public final class JourneyStats {

    private final JourneySettings settings;
    private final JourneyTally tally = new JourneyTally();
    private final Map<String, PartyState> parties = new HashMap<>();

    public JourneyStats(JourneySettings settings) {
        this.settings = settings;
    }

    /** Batch: the report over a list of interactions in any order, sorted per party by time. */
    public static JourneyReport rebuild(List<Interaction> interactions, JourneySettings settings, Instant asOf) {
        return JourneyBatch.report(interactions, settings, asOf);
    }

    /** Counts one interaction. */
    public void add(Interaction i) {
        String segment = settings.segmentOf().apply(i.party());
        tally.event(segment, i);
        PartyState party = parties.computeIfAbsent(i.party(), p -> new PartyState());
        if (party.latest != null && i.time().isBefore(party.latest)) {
            tally.lateEvents++;
            return;
        }
        party.latest = i.time();
        String key = JourneyTally.key(segment, i.brand().id());
        Journey open = party.open.get(i.brand().id());
        if (open != null && Duration.between(open.lastTime(), i.time()).compareTo(settings.dropOutGap()) <= 0) {
            tally.step(key, open.last, i);
            open.step(i);
        } else {
            if (open != null) {
                tally.journeyEnded(open);
            }
            party.open.put(i.brand().id(), new Journey(segment, i));
            tally.journeyStarted(key, i);
        }
        if (JourneyTally.isPurchase(i)) {
            for (Interaction research : party.latestResearch.values()) {
                if (Duration.between(research.time(), i.time()).compareTo(settings.leakageWindow()) <= 0) {
                    tally.purchaseAfterResearch(
                            research.brand().id(),
                            research.contactPoint().id(),
                            i.brand().id());
                }
            }
        }
        if (JourneyTally.isResearch(i)) {
            party.latestResearch.put(i.brand().id(), i);
        }
    }

    /** The figures as of {@code asOf}; open journeys idle for longer than the drop-out gap count as ended. */
    public JourneyReport report(Instant asOf) {
        List<Journey> open = new ArrayList<>();
        parties.values().forEach(p -> open.addAll(p.open.values()));
        return tally.report(asOf, open, settings);
    }

    private static final class PartyState {
        Instant latest;
        final Map<String, Journey> open = new LinkedHashMap<>();
        final Map<String, Interaction> latestResearch = new HashMap<>();
    }
}
