package fusion.models.influence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Each party's influence on each brand, from what a store holds: no follower graph, only who
 * pushed or was seen with which brand, and everyone's purchases.
 *
 * <p><b>Exposures.</b> A <em>push</em> is the party talking up the brand to an audience (advocacy
 * or praise with reach: a post, a shared photo, wearing it on stage in front of followers). A
 * <em>sighting</em> is the party seen with the brand in public without addressing anyone (a
 * product worn at a premiere, photographed by others). Each exposure at time t opens a window
 * (t, t + window].
 *
 * <p><b>Confounded exposures are left out.</b> An exposure of the same brand by another party
 * within a window either side that is <em>notable</em> (a sighting, or a push reaching at least
 * {@code notableReach}) could explain the purchases that follow as well, so the exposure is not
 * counted: the fans who post the artist's sweater after her concert do not get her concert's
 * sales, and two stars seen with the same brand in the same week are told apart by neither. Likewise a party's pushes and sightings of one brand within a
 * window of each other cannot be told apart and are left out of both lifts.
 *
 * <p><b>Lift.</b> With no followers to compare against non-followers, the comparison is the
 * brand's share of everyone else's purchases: a = purchases of the brand by others inside the
 * party's clean windows of one kind, A = their purchases of other brands inside the same windows,
 * c and C the same outside every window of the party for that brand. The lift is the odds ratio
 * (a/A) / (c/C), whose log has standard error sqrt(1/a + 1/A + 1/c + 1/C) (Woolf 1955); a half is
 * added to every cell when one is zero. A market-wide rise in purchases (a payday, a season)
 * moves a and A alike and cancels.
 *
 * <p><b>Role.</b> Each lift has a one-sided p-value (log odds ratio over its standard error).
 * Many pairs are tested at once (every customer who shared a photo is a candidate), so a lift is
 * called significant when it is a discovery of the Benjamini-Hochberg procedure over every lift
 * of the analysis at the settings' false discovery rate. ACTIVE when the lift after pushes is
 * significant; otherwise PASSIVE when the lift after sightings is; otherwise NO_DETECTABLE_EFFECT.
 */
public final class BrandInfluence {

    private static final NormalDistribution NORMAL = new NormalDistribution();

    private BrandInfluence() {}

    /** How a party linked to a brand. */
    public enum Kind {
        PUSH,
        SIGHTING
    }

    /**
     * A party linked to a brand in public.
     *
     * @param id       the event's id, for the evidence
     * @param party    who
     * @param brand    which brand
     * @param time     when, in seconds
     * @param kind     push or sighting
     * @param reach    the audience the party addressed (0 for a sighting)
     * @param evidence what happened, in words
     */
    public record Link(String id, String party, String brand, long time, Kind kind, long reach, String evidence) {
        public Link {
            if (reach < 0) throw new IllegalArgumentException("reach: expected >= 0 but was " + reach);
        }
    }

    /** A purchase of {@code brand} by {@code party} at {@code time} (seconds). */
    public record Purchase(String party, String brand, long time) {}

    /**
     * How the analysis runs.
     *
     * @param window       seconds an exposure acts for
     * @param level        interval level, e.g. 0.95
     * @param notableReach reach from which another party's push explains what follows it
     * @param falseDiscoveryRate expected share of false discoveries among the lifts called
     *                     significant (Benjamini-Hochberg over every lift of one analysis)
     */
    public record Settings(long window, double level, long notableReach, double falseDiscoveryRate) {
        public Settings {
            if (!(falseDiscoveryRate > 0 && falseDiscoveryRate < 1)) {
                throw new IllegalArgumentException(
                        "falseDiscoveryRate: expected between 0 and 1 but was " + falseDiscoveryRate);
            }
            if (window <= 0) throw new IllegalArgumentException("window: expected > 0 seconds but was " + window);
            if (!(level > 0 && level < 1)) {
                throw new IllegalArgumentException("level: expected between 0 and 1 but was " + level);
            }
            if (notableReach < 0) {
                throw new IllegalArgumentException("notableReach: expected >= 0 but was " + notableReach);
            }
        }

        /** A week's window, 95% intervals, notable from ten thousand followers, 5% false discoveries. */
        public static Settings defaults() {
            return new Settings(7 * 86_400L, 0.95, 10_000, 0.05);
        }
    }

    /**
     * The brand's share of others' purchases inside the windows against outside them.
     *
     * @param exposures    clean exposures pooled
     * @param left         exposures left out as confounded
     * @param inside       purchases of the brand by others inside the windows (a)
     * @param insideOther  their purchases of other brands inside the windows (A)
     * @param outside      purchases of the brand outside every window of the party (c)
     * @param outsideOther purchases of other brands outside them (C)
     * @param ratio        (a/A) / (c/C); NaN when there is nothing to compare
     * @param lower        lower bound of the interval
     * @param upper        upper bound of the interval
     * @param p            one-sided p-value of "no lift" against a lift above 1 (NaN when none)
     * @param significant  whether the lift is a discovery at the settings' false discovery rate,
     *                     over every lift of the analysis (Benjamini-Hochberg)
     */
    public record Lift(
            int exposures,
            int left,
            long inside,
            long insideOther,
            long outside,
            long outsideOther,
            double ratio,
            double lower,
            double upper,
            double p,
            boolean significant) {

        Lift decided(boolean discovery) {
            return new Lift(
                    exposures, left, inside, insideOther, outside, outsideOther, ratio, lower, upper, p, discovery);
        }
    }

    /**
     * One party's influence on one brand.
     *
     * @param party          who
     * @param brand          which brand
     * @param pushes         pushes of the brand
     * @param reach          total audience of those pushes
     * @param sightings      sightings with the brand
     * @param afterPushes    lift after pushes
     * @param afterSightings lift after sightings
     * @param role           the classification
     * @param evidence       the links, in time order
     */
    public record Influence(
            String party,
            String brand,
            int pushes,
            long reach,
            int sightings,
            Lift afterPushes,
            Lift afterSightings,
            InfluenceAnalysis.Role role,
            List<Link> evidence) {}

    /** Every party with at least one link, per brand, in brand then party order. */
    public static List<Influence> analyse(List<Link> links, List<Purchase> purchases, Settings s) {
        if (links.isEmpty()) return List.of();
        Map<String, long[]> byBrand = new HashMap<>();
        Map<String, List<Long>> collect = new HashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Purchase p : purchases) {
            collect.computeIfAbsent(p.brand(), b -> new ArrayList<>()).add(p.time());
            first = Math.min(first, p.time());
            last = Math.max(last, p.time());
        }
        long[] all = purchases.stream().mapToLong(Purchase::time).sorted().toArray();
        collect.forEach((b, times) -> byBrand.put(
                b, times.stream().mapToLong(Long::longValue).sorted().toArray()));
        Map<String, List<Purchase>> ownPurchases = new HashMap<>();
        for (Purchase p : purchases) {
            ownPurchases.computeIfAbsent(p.party(), k -> new ArrayList<>()).add(p);
        }
        Map<String, Map<String, List<Link>>> grouped = new java.util.TreeMap<>();
        Map<String, List<Link>> notable = new HashMap<>();
        for (Link l : links) {
            grouped.computeIfAbsent(l.brand(), b -> new java.util.TreeMap<>())
                    .computeIfAbsent(l.party(), p -> new ArrayList<>())
                    .add(l);
            if (l.kind() == Kind.SIGHTING || l.reach() >= s.notableReach()) {
                notable.computeIfAbsent(l.brand(), b -> new ArrayList<>()).add(l);
            }
        }
        double z = NORMAL.inverseCumulativeProbability(1 - (1 - s.level()) / 2);
        Counts counts = new Counts(byBrand, all, ownPurchases, first, last);
        List<Influence> measured = new ArrayList<>();
        for (var brand : grouped.entrySet()) {
            for (var party : brand.getValue().entrySet()) {
                List<Link> mine = new ArrayList<>(party.getValue());
                mine.sort(Comparator.comparingLong(Link::time));
                List<Link> others = notable.getOrDefault(brand.getKey(), List.of()).stream()
                        .filter(l -> !l.party().equals(party.getKey()))
                        .toList();
                int pushes =
                        (int) mine.stream().filter(l -> l.kind() == Kind.PUSH).count();
                long reach = mine.stream()
                        .filter(l -> l.kind() == Kind.PUSH)
                        .mapToLong(Link::reach)
                        .sum();
                measured.add(new Influence(
                        party.getKey(),
                        brand.getKey(),
                        pushes,
                        reach,
                        mine.size() - pushes,
                        lift(mine, Kind.PUSH, others, counts, s, z),
                        lift(mine, Kind.SIGHTING, others, counts, s, z),
                        InfluenceAnalysis.Role.NO_DETECTABLE_EFFECT,
                        List.copyOf(mine)));
            }
        }
        double cut = benjaminiHochberg(measured, s.falseDiscoveryRate());
        List<Influence> out = new ArrayList<>();
        for (Influence i : measured) {
            Lift push = i.afterPushes().decided(i.afterPushes().p() <= cut);
            Lift seen = i.afterSightings().decided(i.afterSightings().p() <= cut);
            InfluenceAnalysis.Role role = push.significant()
                    ? InfluenceAnalysis.Role.ACTIVE
                    : seen.significant() ? InfluenceAnalysis.Role.PASSIVE : InfluenceAnalysis.Role.NO_DETECTABLE_EFFECT;
            out.add(new Influence(
                    i.party(), i.brand(), i.pushes(), i.reach(), i.sightings(), push, seen, role, i.evidence()));
        }
        return out;
    }

    /**
     * The largest p-value that is still a discovery: with the m finite p-values sorted, the
     * largest p(k) with p(k) <= k q / m (Benjamini and Hochberg 1995); -1 when there is none.
     */
    static double benjaminiHochberg(List<Influence> measured, double q) {
        double[] p = measured.stream()
                .flatMap(i -> java.util.stream.Stream.of(i.afterPushes(), i.afterSightings()))
                .mapToDouble(Lift::p)
                .filter(Double::isFinite)
                .sorted()
                .toArray();
        double cut = -1;
        for (int k = 1; k <= p.length; k++) {
            if (p[k - 1] <= k * q / p.length) cut = p[k - 1];
        }
        return cut;
    }

    /** Sorted purchase times, for counting purchases in intervals by binary search. */
    private record Counts(
            Map<String, long[]> byBrand, long[] all, Map<String, List<Purchase>> own, long first, long last) {

        /** Purchases of {@code brand} (or, when {@code other}, of every other brand) in the intervals, not by {@code party}. */
        long count(String brand, boolean other, List<long[]> intervals, String party) {
            long[] b = byBrand.getOrDefault(brand, new long[0]);
            long n = 0;
            for (long[] iv : intervals) {
                long inBrand = in(b, iv);
                n += other ? in(all, iv) - inBrand : inBrand;
            }
            for (Purchase p : own.getOrDefault(party, List.of())) {
                if (p.brand().equals(brand) != other && inside(intervals, p.time())) n--;
            }
            return n;
        }

        private static long in(long[] sorted, long[] iv) {
            return upper(sorted, iv[1]) - upper(sorted, iv[0]);
        }

        /** Number of elements <= t. */
        private static int upper(long[] sorted, long t) {
            int i = Arrays.binarySearch(sorted, t);
            if (i < 0) return -i - 1;
            while (i + 1 < sorted.length && sorted[i + 1] == t) i++;
            return i + 1;
        }
    }

    private static boolean inside(List<long[]> intervals, long t) {
        for (long[] iv : intervals) {
            if (t > iv[0] && t <= iv[1]) return true;
        }
        return false;
    }

    private static Lift lift(List<Link> mine, Kind kind, List<Link> others, Counts counts, Settings s, double z) {
        long w = s.window();
        List<Link> clean = new ArrayList<>();
        int left = 0;
        for (Link l : mine) {
            if (l.kind() != kind) continue;
            boolean mixed = mine.stream().anyMatch(o -> o.kind() != kind && Math.abs(o.time() - l.time()) <= w);
            boolean explained = others.stream().anyMatch(o -> Math.abs(o.time() - l.time()) <= w);
            if (mixed || explained) {
                left++;
            } else {
                clean.add(l);
            }
        }
        if (clean.isEmpty()) {
            return new Lift(0, left, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);
        }
        List<long[]> in = union(clean.stream()
                .map(l -> new long[] {l.time(), l.time() + w})
                .toList());
        List<long[]> covered = union(mine.stream()
                .map(l -> new long[] {l.time(), l.time() + w})
                .toList());
        List<long[]> out = complement(covered, counts.first() - 1, counts.last());
        String brand = clean.get(0).brand();
        String party = clean.get(0).party();
        long a = counts.count(brand, false, in, party);
        long aa = counts.count(brand, true, in, party);
        long c = counts.count(brand, false, out, party);
        long cc = counts.count(brand, true, out, party);
        if (aa + a == 0 || c + cc == 0) {
            return new Lift(clean.size(), left, a, aa, c, cc, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);
        }
        double half = a == 0 || aa == 0 || c == 0 || cc == 0 ? 0.5 : 0;
        double x = a + half;
        double xx = aa + half;
        double y = c + half;
        double yy = cc + half;
        double ratio = (x / xx) / (y / yy);
        double se = Math.sqrt(1 / x + 1 / xx + 1 / y + 1 / yy);
        double p = 1 - NORMAL.cumulativeProbability(Math.log(ratio) / se);
        return new Lift(
                clean.size(), left, a, aa, c, cc, ratio, ratio * Math.exp(-z * se), ratio * Math.exp(z * se), p, false);
    }

    /** Half-open intervals (start, end] merged where they overlap, in order. */
    static List<long[]> union(List<long[]> intervals) {
        List<long[]> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparingLong(iv -> iv[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] iv : sorted) {
            if (!out.isEmpty() && iv[0] <= out.get(out.size() - 1)[1]) {
                long[] lastOne = out.get(out.size() - 1);
                lastOne[1] = Math.max(lastOne[1], iv[1]);
            } else {
                out.add(new long[] {iv[0], iv[1]});
            }
        }
        return out;
    }

    /** The parts of (from, to] that no interval of the (merged, ordered) list covers. */
    static List<long[]> complement(List<long[]> merged, long from, long to) {
        List<long[]> out = new ArrayList<>();
        long at = from;
        for (long[] iv : merged) {
            if (iv[0] > at) out.add(new long[] {at, Math.min(iv[0], to)});
            at = Math.max(at, iv[1]);
            if (at >= to) break;
        }
        if (at < to) out.add(new long[] {at, to});
        out.removeIf(iv -> iv[1] <= iv[0]);
        return out;
    }

    /** Groups the result by party, for a profile. */
    public static Map<String, List<Influence>> byParty(List<Influence> all) {
        Map<String, List<Influence>> out = new LinkedHashMap<>();
        for (Influence i : all)
            out.computeIfAbsent(i.party(), p -> new ArrayList<>()).add(i);
        return out;
    }
}
