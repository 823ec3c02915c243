package fusion.models.influence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Active or passive influence, measured.
 *
 * <p><b>Active share</b>: of an influencer's brand links (mentions plus co-appearances), the share
 * that are their own mentions. It says how an influencer links to brands, not whether anyone
 * follows.
 *
 * <p><b>Lift</b>: for every exposure (a mention or a co-appearance of influencer i with brand b at
 * time t), each person who has not adopted b by t is one trial: a follower of i is exposed;
 * anyone else in the population is a control in the same calendar window, so seasonality and
 * brand-wide trends cancel, except followers of another influencer who linked to b within a
 * window of t (they were pushed by someone else). A success is an adoption of b in
 * (t, t + window]. Trials are pooled
 * over exposures and the lift is the risk ratio RR = (a/n1) / (c/n0) with the log-scale interval
 * exp(log RR +- z sqrt(1/a - 1/n1 + 1/c - 1/n0)) (Katz et al. 1978, Biometrics 34(3)); a half is
 * added to both success counts when either is zero. Trials of the same person across exposures
 * are treated as independent, which is optimistic when exposures overlap. A mention and a
 * co-appearance of the same brand by the same influencer within a window of each other cannot be
 * told apart, so such exposures are left out of both lifts ({@code exposures} counts the ones
 * used).
 *
 * <p><b>Role</b>: ACTIVE when the active share is at least one half and the lift after mentions
 * is significantly above 1; otherwise PASSIVE when the lift after co-appearances is significantly
 * above 1; otherwise NO_DETECTABLE_EFFECT.
 */
public final class InfluenceAnalysis {

    private InfluenceAnalysis() {}

    /** How an influencer moves adoption. */
    public enum Role {
        ACTIVE,
        PASSIVE,
        NO_DETECTABLE_EFFECT
    }

    /**
     * Adoption after exposures, followers against non-followers.
     *
     * @param exposures         number of exposures pooled (after removing confounded ones)
     * @param followerTrials    follower-exposure pairs at risk
     * @param followerAdoptions of which adopted within the window
     * @param controlTrials     non-follower-exposure pairs at risk
     * @param controlAdoptions  of which adopted within the window
     * @param ratio             risk ratio (lift)
     * @param lower             lower bound of the lift
     * @param upper             upper bound of the lift
     */
    public record Lift(
            int exposures,
            long followerTrials,
            long followerAdoptions,
            long controlTrials,
            long controlAdoptions,
            double ratio,
            double lower,
            double upper) {

        /** True when the interval lies above 1. */
        public boolean significant() {
            return lower > 1;
        }
    }

    /**
     * One influencer's profile.
     *
     * @param influencer     who
     * @param mentions       number of mentions
     * @param coAppearances  number of co-appearances
     * @param activeShare    mentions / (mentions + co-appearances)
     * @param afterMention   lift after mentions
     * @param afterCoAppearance lift after co-appearances
     * @param role           the resulting classification
     */
    public record Profile(
            String influencer,
            int mentions,
            int coAppearances,
            double activeShare,
            Lift afterMention,
            Lift afterCoAppearance,
            Role role) {}

    /**
     * Analyses every influencer who has at least one mention or co-appearance.
     *
     * @param events     all events, any order
     * @param followers  followers of each influencer
     * @param population everyone who could adopt (followers and non-followers)
     * @param window     length of the adoption window after an exposure
     * @param level      interval level, e.g. 0.95
     */
    public static List<Profile> analyse(
            List<InfluenceEvent> events,
            Map<String, Set<String>> followers,
            Set<String> population,
            long window,
            double level) {
        if (window <= 0) {
            throw new IllegalArgumentException("window: expected > 0 but was " + window);
        }
        Map<String, Map<String, Long>> adoptedAt = new HashMap<>();
        Map<String, List<InfluenceEvent>> byInfluencer = new HashMap<>();
        for (InfluenceEvent e : events) {
            if (e instanceof InfluenceEvent.Adoption a) {
                adoptedAt.computeIfAbsent(a.brand(), b -> new HashMap<>()).merge(a.person(), a.time(), Math::min);
            } else if (e instanceof InfluenceEvent.Mention m) {
                byInfluencer
                        .computeIfAbsent(m.influencer(), i -> new ArrayList<>())
                        .add(m);
            } else if (e instanceof InfluenceEvent.CoAppearance c) {
                byInfluencer
                        .computeIfAbsent(c.influencer(), i -> new ArrayList<>())
                        .add(c);
            }
        }
        double z = new NormalDistribution().inverseCumulativeProbability(1 - (1 - level) / 2);
        List<Profile> out = new ArrayList<>();
        for (String influencer : new TreeSet<>(byInfluencer.keySet())) {
            List<InfluenceEvent> links = byInfluencer.get(influencer);
            Set<String> audience = followers.getOrDefault(influencer, Set.of());
            List<InfluenceEvent> mentions = links.stream()
                    .filter(e -> e instanceof InfluenceEvent.Mention)
                    .toList();
            List<InfluenceEvent> seen = links.stream()
                    .filter(e -> e instanceof InfluenceEvent.CoAppearance)
                    .toList();
            Exposed ctx = new Exposed(influencer, audience, population, adoptedAt, byInfluencer, followers, window);
            Lift m = lift(clean(mentions, seen, window), ctx, z);
            Lift c = lift(clean(seen, mentions, window), ctx, z);
            double share = (double) mentions.size() / links.size();
            Role role = share >= 0.5 && m.significant()
                    ? Role.ACTIVE
                    : c.significant() ? Role.PASSIVE : Role.NO_DETECTABLE_EFFECT;
            out.add(new Profile(influencer, mentions.size(), seen.size(), share, m, c, role));
        }
        return out;
    }

    /**
     * The exposures with no exposure of the other kind for the same brand within a window either
     * side: an active influencer who also wears what they promote would otherwise show a lift
     * after co-appearances that belongs to the mentions around them.
     */
    private static List<InfluenceEvent> clean(List<InfluenceEvent> exposures, List<InfluenceEvent> other, long window) {
        return exposures.stream()
                .filter(e -> other.stream()
                        .noneMatch(o -> o.brand().equals(e.brand()) && Math.abs(o.time() - e.time()) <= window))
                .toList();
    }

    /** What one influencer's lifts are computed against. */
    private record Exposed(
            String influencer,
            Set<String> audience,
            Set<String> population,
            Map<String, Map<String, Long>> adoptedAt,
            Map<String, List<InfluenceEvent>> links,
            Map<String, Set<String>> followers,
            long window) {

        /**
         * Followers of other influencers who linked to the same brand within a window of the
         * exposure: they were pushed by someone else, so they are no clean control.
         */
        Set<String> pushedElsewhere(InfluenceEvent e) {
            Set<String> out = new java.util.HashSet<>();
            links.forEach((other, events) -> {
                if (!other.equals(influencer)
                        && events.stream()
                                .anyMatch(
                                        o -> o.brand().equals(e.brand()) && Math.abs(o.time() - e.time()) <= window)) {
                    out.addAll(followers.getOrDefault(other, Set.of()));
                }
            });
            return out;
        }
    }

    private static Lift lift(List<InfluenceEvent> exposures, Exposed x, double z) {
        long n1 = 0;
        long a = 0;
        long n0 = 0;
        long c = 0;
        for (InfluenceEvent e : exposures) {
            Map<String, Long> adopted = x.adoptedAt().getOrDefault(e.brand(), Map.of());
            Set<String> pushed = x.pushedElsewhere(e);
            for (String person : x.population()) {
                Long when = adopted.get(person);
                if (when != null && when <= e.time()) {
                    continue;
                }
                boolean success = when != null && when <= e.time() + x.window();
                if (x.audience().contains(person)) {
                    n1++;
                    a += success ? 1 : 0;
                } else if (!pushed.contains(person)) {
                    n0++;
                    c += success ? 1 : 0;
                }
            }
        }
        if (n1 == 0 || n0 == 0) {
            return new Lift(exposures.size(), n1, a, n0, c, Double.NaN, Double.NaN, Double.NaN);
        }
        double aa = a;
        double cc = c;
        if (a == 0 || c == 0) {
            aa += 0.5;
            cc += 0.5;
        }
        double rr = (aa / n1) / (cc / n0);
        double se = Math.sqrt(1 / aa - 1.0 / n1 + 1 / cc - 1.0 / n0);
        return new Lift(exposures.size(), n1, a, n0, c, rr, rr * Math.exp(-z * se), rr * Math.exp(z * se));
    }
}
