package fusion.models.influence;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A seeded world with known influence, for validating {@link InfluenceAnalysis}.
 *
 * <p>Three influencers with disjoint audiences and a pool of people who follow nobody:
 * {@code active} mentions brands often and each mention raises its followers' daily adoption
 * hazard for that brand for {@code window} days; {@code passive} rarely mentions but is often seen
 * with brands, and each co-appearance raises the hazard; {@code quiet} does both and moves no one.
 * Every person-brand pair also adopts at a constant baseline hazard, at most once.
 */
public final class InfluenceSimulation {

    private InfluenceSimulation() {}

    /**
     * World settings.
     *
     * @param audience  followers per influencer
     * @param bystanders people who follow nobody
     * @param brands    number of brands
     * @param days      length of the simulation
     * @param baseline  daily baseline adoption hazard per person-brand pair
     * @param boost     extra daily hazard for followers during an effective exposure window
     * @param window    days an exposure acts
     */
    public record Settings(
            int audience, int bystanders, int brands, int days, double baseline, double boost, int window) {
        public static Settings defaults() {
            return new Settings(400, 1200, 5, 365, 0.0003, 0.003, 14);
        }
    }

    /**
     * A generated world.
     *
     * @param events     links and adoptions, by time
     * @param followers  audience of each influencer
     * @param population everyone who can adopt
     * @param truth      the role each influencer was given
     */
    public record World(
            List<InfluenceEvent> events,
            Map<String, Set<String>> followers,
            Set<String> population,
            Map<String, InfluenceAnalysis.Role> truth) {}

    /** Generates a world; the same seed gives the same world. */
    public static World generate(Settings s, long seed) {
        Random random = new Random(seed);
        Map<String, Set<String>> followers = new LinkedHashMap<>();
        Set<String> population = new LinkedHashSet<>();
        int person = 0;
        for (String influencer : List.of("active", "passive", "quiet")) {
            Set<String> audience = new LinkedHashSet<>();
            for (int k = 0; k < s.audience(); k++) {
                audience.add("p" + person++);
            }
            followers.put(influencer, audience);
            population.addAll(audience);
        }
        for (int k = 0; k < s.bystanders(); k++) {
            population.add("p" + person++);
        }
        List<InfluenceEvent> events = new ArrayList<>();
        // [influencer][brand][day] = 1 when an effective exposure window covers that day
        Map<String, boolean[][]> boosted = new LinkedHashMap<>();
        links(events, boosted, "active", 40, 8, true, false, s, random);
        links(events, boosted, "passive", 6, 40, false, true, s, random);
        links(events, boosted, "quiet", 25, 25, false, false, s, random);
        for (Map.Entry<String, Set<String>> f : followers.entrySet()) {
            adoptions(events, f.getValue(), boosted.get(f.getKey()), s, random);
        }
        Set<String> bystanders = new HashSet<>(population);
        followers.values().forEach(bystanders::removeAll);
        adoptions(events, bystanders, new boolean[s.brands()][s.days()], s, random);
        events.sort(java.util.Comparator.comparingLong(InfluenceEvent::time));
        return new World(
                events,
                followers,
                population,
                Map.of(
                        "active", InfluenceAnalysis.Role.ACTIVE,
                        "passive", InfluenceAnalysis.Role.PASSIVE,
                        "quiet", InfluenceAnalysis.Role.NO_DETECTABLE_EFFECT));
    }

    private static void links(
            List<InfluenceEvent> events,
            Map<String, boolean[][]> boosted,
            String influencer,
            int mentions,
            int coAppearances,
            boolean mentionsWork,
            boolean coAppearancesWork,
            Settings s,
            Random random) {
        boolean[][] on = new boolean[s.brands()][s.days()];
        for (int k = 0; k < mentions + coAppearances; k++) {
            boolean mention = k < mentions;
            int day = random.nextInt(s.days() - s.window());
            String brand = "b" + random.nextInt(s.brands());
            events.add(
                    mention
                            ? new InfluenceEvent.Mention(day, influencer, brand)
                            : new InfluenceEvent.CoAppearance(day, influencer, brand));
            if (mention ? mentionsWork : coAppearancesWork) {
                int b = Integer.parseInt(brand.substring(1));
                for (int d = day + 1; d <= day + s.window() && d < s.days(); d++) {
                    on[b][d] = true;
                }
            }
        }
        boosted.put(influencer, on);
    }

    private static void adoptions(
            List<InfluenceEvent> events, Set<String> people, boolean[][] boosted, Settings s, Random random) {
        for (String p : people) {
            for (int b = 0; b < s.brands(); b++) {
                for (int d = 0; d < s.days(); d++) {
                    double hazard = s.baseline() + (boosted[b][d] ? s.boost() : 0);
                    if (random.nextDouble() < hazard) {
                        events.add(new InfluenceEvent.Adoption(d, p, "b" + b));
                        break;
                    }
                }
            }
        }
    }
}
