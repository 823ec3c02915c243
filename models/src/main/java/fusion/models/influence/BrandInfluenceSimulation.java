package fusion.models.influence;

import fusion.models.influence.BrandInfluence.Kind;
import fusion.models.influence.BrandInfluence.Link;
import fusion.models.influence.BrandInfluence.Purchase;
import fusion.models.influence.InfluenceAnalysis.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded market with known influence, for validating {@link BrandInfluence} as a store sees it:
 * no follower graph, only links and purchases.
 *
 * <p>{@code population} people buy each of {@code brands} brands at a constant daily hazard. Three
 * groups of {@code influencers} each: <em>active</em> ones push brands (reach 20k to 1M) and every
 * push multiplies everyone's hazard for that brand by {@code boost} for {@code window} days;
 * <em>passive</em> ones are only seen with brands and every sighting does the same; <em>quiet</em>
 * ones push and are seen as often and move no one. Besides them, {@code sharers} ordinary customers
 * share a brand to their friends (reach 50 to 950) once or twice, moving no one. The truth of a
 * (party, brand) pair is the party's role when it has an exposure of the working kind for that
 * brand, and NO_DETECTABLE_EFFECT otherwise.
 */
public final class BrandInfluenceSimulation {

    private BrandInfluenceSimulation() {}

    /**
     * World settings.
     *
     * @param population  people who buy
     * @param brands      brands
     * @param days        length
     * @param baseline    daily purchase hazard per person and brand
     * @param boost       hazard multiplier during an effective window
     * @param window      days an exposure acts
     * @param influencers influencers per group (active, passive, quiet)
     * @param exposures   exposures per influencer
     * @param sharers     ordinary customers who share once or twice
     */
    public record Settings(
            int population,
            int brands,
            int days,
            double baseline,
            double boost,
            int window,
            int influencers,
            int exposures,
            int sharers) {
        public static Settings defaults() {
            return new Settings(3000, 8, 365, 0.002, 2.0, 7, 5, 4, 150);
        }
    }

    /** A generated world: links, purchases and the truth per "party brand" key. */
    public record World(List<Link> links, List<Purchase> purchases, Map<String, Role> truth) {}

    /** Generates a world; the same seed gives the same world. */
    public static World generate(Settings s, long seed) {
        Random r = new Random(seed);
        List<Link> links = new ArrayList<>();
        Map<String, Role> truth = new HashMap<>();
        double[][] multiplier = new double[s.brands()][s.days()];
        for (double[] row : multiplier) java.util.Arrays.fill(row, 1);
        int id = 0;
        for (Role role : List.of(Role.ACTIVE, Role.PASSIVE, Role.NO_DETECTABLE_EFFECT)) {
            for (int k = 0; k < s.influencers(); k++) {
                String party = role.name().toLowerCase(java.util.Locale.ROOT) + k;
                for (int e = 0; e < s.exposures(); e++) {
                    int brand = r.nextInt(s.brands());
                    int day = r.nextInt(s.days() - s.window());
                    Kind kind = switch (role) {
                        case ACTIVE -> Kind.PUSH;
                        case PASSIVE -> Kind.SIGHTING;
                        case NO_DETECTABLE_EFFECT -> e % 2 == 0 ? Kind.PUSH : Kind.SIGHTING;
                    };
                    long reach = kind == Kind.PUSH ? 20_000 + r.nextInt(980_000) : 0;
                    links.add(new Link(
                            "l" + id++,
                            party,
                            "b" + brand,
                            day * 86_400L + r.nextInt(86_400),
                            kind,
                            reach,
                            kind.name().toLowerCase(java.util.Locale.ROOT)));
                    if (role != Role.NO_DETECTABLE_EFFECT) {
                        truth.put(party + " b" + brand, role);
                        for (int d = day + 1; d <= day + s.window() && d < s.days(); d++) {
                            multiplier[brand][d] = s.boost();
                        }
                    }
                }
            }
        }
        for (int k = 0; k < s.sharers(); k++) {
            for (int e = 0, n = 1 + r.nextInt(2); e < n; e++) {
                int day = r.nextInt(s.days());
                links.add(new Link(
                        "l" + id++,
                        "sharer" + k,
                        "b" + r.nextInt(s.brands()),
                        day * 86_400L + r.nextInt(86_400),
                        Kind.PUSH,
                        50 + r.nextInt(900),
                        "shared"));
            }
        }
        for (Link l : links) truth.putIfAbsent(l.party() + " " + l.brand(), Role.NO_DETECTABLE_EFFECT);
        List<Purchase> purchases = new ArrayList<>();
        for (int p = 0; p < s.population(); p++) {
            for (int b = 0; b < s.brands(); b++) {
                for (int d = 0; d < s.days(); d++) {
                    if (r.nextDouble() < s.baseline() * multiplier[b][d]) {
                        purchases.add(new Purchase("p" + p, "b" + b, d * 86_400L + r.nextInt(86_400)));
                    }
                }
            }
        }
        return new World(links, purchases, truth);
    }

    /**
     * Precision and recall of one role over (party, brand) pairs.
     *
     * @param truePositives  pairs classified as the role that have it
     * @param predicted      pairs classified as the role
     * @param actual         pairs that have the role
     */
    public record Score(int truePositives, int predicted, int actual) {
        public double precision() {
            return predicted == 0 ? Double.NaN : (double) truePositives / predicted;
        }

        public double recall() {
            return actual == 0 ? Double.NaN : (double) truePositives / actual;
        }
    }

    /** Scores {@code measured} against the world's truth for {@code role}. */
    public static Score score(World w, List<BrandInfluence.Influence> measured, Role role) {
        int tp = 0;
        int predicted = 0;
        for (BrandInfluence.Influence i : measured) {
            if (i.role() != role) continue;
            predicted++;
            if (w.truth().get(i.party() + " " + i.brand()) == role) tp++;
        }
        int actual = (int) w.truth().values().stream().filter(role::equals).count();
        return new Score(tp, predicted, actual);
    }
}
