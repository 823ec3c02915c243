package fusion.analytics.journey;

import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts both ways of building trajectories fill, and the report made from them. Each count
 * is a plain sum, so the incremental and the batch builder agree exactly when they see the same
 * steps, journeys and purchases. Keys are {@code segment \u0000 brand}.
 */
final class JourneyTally {

    private static final String SEP = "\u0000";

    private final Map<String, Map<String, Map<String, long[]>>> channelSteps = new HashMap<>();
    private final Map<String, Map<String, Map<String, long[]>>> purposeSteps = new HashMap<>();
    private final Map<String, Map<List<String>, long[]>> paths = new HashMap<>();
    private final Map<String, StepSample> stepSeconds = new HashMap<>();
    private final Map<String, Map<String, long[]>> stalls = new HashMap<>();
    /** key -> {interactions, journeys started, journeys ended, journeys stalled}. */
    /**
     * key -> {interactions, journeys, ended, stalled, interactions the customer started, interactions
     * the brand started, journeys the customer started, journeys the brand started}.
     */
    private final Map<String, long[]> journeyCounts = new HashMap<>();

    private static final int SLOTS = 8;
    /** key + contact point -> {interactions, delights, needs known, needs failed}; channel aside. */
    private final Map<String, long[]> contactPoints = new HashMap<>();

    private final Map<String, String> contactPointChannel = new HashMap<>();
    private final Map<String, long[]> leakage = new HashMap<>();
    /** research brand -> {purchased here, purchased elsewhere}. */
    private final Map<String, long[]> researchKept = new HashMap<>();
    /** segment \u0000 brand -> {interactions}, money, competitor flag. */
    private final Map<String, long[]> orbitCounts = new HashMap<>();

    private final Map<String, double[]> orbitMoney = new HashMap<>();
    private final Map<String, Boolean> competitor = new HashMap<>();
    long lateEvents;

    static String key(String segment, String brand) {
        return segment + SEP + brand;
    }

    /** Counts the event's contact point and its brand's orbit; order does not matter here. */
    void event(String segment, Interaction i) {
        String key = key(segment, i.brand().id());
        count(journeyCounts, key, 0, SLOTS);
        count(journeyCounts, key, i.initiator() == Initiator.CONSUMER ? 4 : 5, SLOTS);
        String cp = key + SEP + i.contactPoint().id();
        long[] c = contactPoints.computeIfAbsent(cp, k -> new long[4]);
        contactPointChannel.put(cp, i.contactPoint().channel().label());
        c[0]++;
        c[1] += i.outcome().wow() ? 1 : 0;
        c[2] += i.outcome().need() != Need.UNKNOWN ? 1 : 0;
        c[3] += i.outcome().need() == Need.FAILED ? 1 : 0;
        count(orbitCounts, key, 0, 1);
        orbitMoney.computeIfAbsent(key, k -> new double[1])[0] += i.outcome().money();
        competitor.put(key, i.brand().competitor());
    }

    void journeyStarted(String key, Interaction first) {
        count(journeyCounts, key, 1, SLOTS);
        count(journeyCounts, key, first.initiator() == Initiator.CONSUMER ? 6 : 7, SLOTS);
    }

    void step(String key, Interaction from, Interaction to) {
        increment(
                channelSteps,
                key,
                from.contactPoint().channel().label(),
                to.contactPoint().channel().label());
        increment(purposeSteps, key, from.purpose().label(), to.purpose().label());
        stepSeconds
                .computeIfAbsent(key, StepSample::new)
                .add(Duration.between(from.time(), to.time()).toSeconds());
    }

    /** A journey that has ended (a later event came after the gap): its path and its stall. */
    void journeyEnded(Journey j) {
        String key = key(j.segment, j.brand);
        path(key, j);
        count(journeyCounts, key, 2, SLOTS);
        if (!j.endedInConversion()) {
            count(journeyCounts, key, 3, SLOTS);
            count(
                    stalls.computeIfAbsent(key, k -> new HashMap<>()),
                    j.lastContactPoint() + SEP + j.lastPurpose().label(),
                    0,
                    1);
        }
    }

    void purchaseAfterResearch(String researchBrand, String researchContactPoint, String purchaseBrand) {
        if (researchBrand.equals(purchaseBrand)) {
            count(researchKept, researchBrand, 0, 2);
        } else {
            count(researchKept, researchBrand, 1, 2);
            count(leakage, researchBrand + SEP + researchContactPoint + SEP + purchaseBrand, 0, 1);
        }
    }

    /**
     * The report as of {@code asOf}, with {@code open} the journeys not yet closed by a later event:
     * each counts as a path, and as ended (and maybe stalled) if its last step is more than the gap
     * before {@code asOf}. The tally itself is not changed.
     */
    JourneyReport report(Instant asOf, Iterable<Journey> open, JourneySettings settings) {
        JourneyTally view = copyForReport();
        for (Journey j : open) {
            if (Duration.between(j.lastTime(), asOf).compareTo(settings.dropOutGap()) > 0) {
                view.journeyEnded(j);
            } else {
                view.path(key(j.segment, j.brand), j);
            }
        }
        return view.build(asOf, settings);
    }

    private JourneyTally copyForReport() {
        JourneyTally copy = new JourneyTally();
        journeyCounts.forEach((k, v) -> copy.journeyCounts.put(k, v.clone()));
        paths.forEach((k, v) -> {
            Map<List<String>, long[]> m = new HashMap<>();
            v.forEach((p, n) -> m.put(p, n.clone()));
            copy.paths.put(k, m);
        });
        stalls.forEach((k, v) -> {
            Map<String, long[]> m = new HashMap<>();
            v.forEach((s, n) -> m.put(s, n.clone()));
            copy.stalls.put(k, m);
        });
        // read-only below: shared, not copied
        copy.channelSteps.putAll(channelSteps);
        copy.purposeSteps.putAll(purposeSteps);
        copy.stepSeconds.putAll(stepSeconds);
        copy.contactPoints.putAll(contactPoints);
        copy.contactPointChannel.putAll(contactPointChannel);
        copy.leakage.putAll(leakage);
        copy.researchKept.putAll(researchKept);
        copy.orbitCounts.putAll(orbitCounts);
        copy.orbitMoney.putAll(orbitMoney);
        copy.competitor.putAll(competitor);
        copy.lateEvents = lateEvents;
        return copy;
    }

    private void path(String key, Journey j) {
        Map<List<String>, long[]> counts = paths.computeIfAbsent(key, k -> new HashMap<>());
        count(counts, j.path(), 0, 1);
        if (counts.size() > 2 * DISTINCT_PATHS) {
            prune(counts);
        }
    }

    /**
     * Distinct paths kept per segment and brand. Beyond twice as many, the least frequent are
     * dropped down to this many (ties broken by the path's text, so the result does not depend on
     * hash order): memory stays bounded and the most frequent paths, the ones reported, keep
     * their counts unless a path was dropped and came back (its count then restarts).
     */
    static final int DISTINCT_PATHS = 50_000;

    private static void prune(Map<List<String>, long[]> counts) {
        List<Map.Entry<List<String>, long[]>> keep = counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<List<String>, long[]>>comparingLong(e -> -e.getValue()[0])
                        .thenComparing(e -> String.join(" > ", e.getKey())))
                .limit(DISTINCT_PATHS)
                .toList();
        Map<List<String>, long[]> kept = new HashMap<>();
        keep.forEach(e -> kept.put(e.getKey(), e.getValue()));
        counts.clear();
        counts.putAll(kept);
    }

    private JourneyReport build(Instant asOf, JourneySettings settings) {
        List<JourneyReport.BrandJourneys> brands = new ArrayList<>();
        for (String key : new TreeMap<>(journeyCounts).keySet()) {
            String[] sb = key.split(SEP, 2);
            long[] n = journeyCounts.get(key);
            brands.add(new JourneyReport.BrandJourneys(
                    sb[0],
                    sb[1],
                    n[0],
                    n[1],
                    n[2],
                    n[3],
                    transitions(channelSteps.get(key)),
                    transitions(purposeSteps.get(key)),
                    topPaths(paths.get(key), settings.topPaths()),
                    stepTimes(stepSeconds.get(key)),
                    stallList(stalls.get(key)),
                    n[4],
                    n[5],
                    n[6],
                    n[7]));
        }
        List<JourneyReport.ContactPointRates> rates = new ArrayList<>();
        new TreeMap<>(contactPoints).forEach((k, c) -> {
            String[] p = k.split(SEP, 3);
            rates.add(new JourneyReport.ContactPointRates(
                    p[0],
                    p[1],
                    p[2],
                    contactPointChannel.get(k),
                    c[0],
                    c[1],
                    ratio(c[1], c[0]),
                    c[2],
                    c[3],
                    c[2] == 0 ? null : ratio(c[3], c[2])));
        });
        List<JourneyReport.Leakage> leaks = new ArrayList<>();
        new TreeMap<>(leakage).forEach((k, c) -> {
            String[] p = k.split(SEP, 3);
            leaks.add(new JourneyReport.Leakage(p[0], p[1], p[2], c[0]));
        });
        List<JourneyReport.ResearchKept> kept = new ArrayList<>();
        new TreeMap<>(researchKept)
                .forEach((b, c) -> kept.add(new JourneyReport.ResearchKept(b, c[0], c[1], ratio(c[1], c[0] + c[1]))));
        return new JourneyReport(asOf, brands, rates, leaks, kept, orbit(), lateEvents);
    }

    private List<JourneyReport.OrbitShare> orbit() {
        Map<String, long[]> segmentCounts = new HashMap<>();
        Map<String, double[]> segmentMoney = new HashMap<>();
        orbitCounts.forEach((k, c) -> count(segmentCounts, k.split(SEP, 2)[0], 0, 1, c[0]));
        new TreeMap<>(orbitMoney)
                .forEach((k, m) -> segmentMoney.computeIfAbsent(k.split(SEP, 2)[0], s -> new double[1])[0] += m[0]);
        List<JourneyReport.OrbitShare> out = new ArrayList<>();
        new TreeMap<>(orbitCounts).forEach((k, c) -> {
            String[] sb = k.split(SEP, 2);
            double money = orbitMoney.get(k)[0];
            double segmentTotal = segmentMoney.get(sb[0])[0];
            out.add(new JourneyReport.OrbitShare(
                    sb[0],
                    sb[1],
                    competitor.get(k),
                    c[0],
                    ratio(c[0], segmentCounts.get(sb[0])[0]),
                    money,
                    segmentTotal == 0 ? 0 : money / segmentTotal));
        });
        return out;
    }

    private static List<JourneyReport.Transition> transitions(Map<String, Map<String, long[]>> steps) {
        List<JourneyReport.Transition> out = new ArrayList<>();
        if (steps == null) {
            return out;
        }
        new TreeMap<>(steps).forEach((from, targets) -> {
            long total = targets.values().stream().mapToLong(c -> c[0]).sum();
            new TreeMap<>(targets)
                    .forEach((to, c) -> out.add(new JourneyReport.Transition(from, to, c[0], ratio(c[0], total))));
        });
        return out;
    }

    private static List<JourneyReport.PathCount> topPaths(Map<List<String>, long[]> counts, int n) {
        if (counts == null) {
            return List.of();
        }
        return counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<List<String>, long[]>>comparingLong(e -> -e.getValue()[0])
                        .thenComparing(e -> String.join(" > ", e.getKey())))
                .limit(n)
                .map(e -> new JourneyReport.PathCount(e.getKey(), e.getValue()[0]))
                .toList();
    }

    private static JourneyReport.StepTimes stepTimes(StepSample seconds) {
        if (seconds == null || seconds.count() == 0) {
            return new JourneyReport.StepTimes(0, Double.NaN, Double.NaN);
        }
        long[] sorted = seconds.toSortedArray();
        return new JourneyReport.StepTimes(seconds.count(), nearestRank(sorted, 0.5), nearestRank(sorted, 0.9));
    }

    private static double nearestRank(long[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static List<JourneyReport.Stall> stallList(Map<String, long[]> counts) {
        List<JourneyReport.Stall> out = new ArrayList<>();
        if (counts == null) {
            return out;
        }
        counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> {
                    String[] p = e.getKey().split(SEP, 2);
                    out.add(new JourneyReport.Stall(p[0], p[1], e.getValue()[0]));
                });
        return out;
    }

    private static void increment(Map<String, Map<String, Map<String, long[]>>> m, String key, String from, String to) {
        m.computeIfAbsent(key, k -> new HashMap<>())
                .computeIfAbsent(from, k -> new HashMap<>())
                .computeIfAbsent(to, k -> new long[1])[0]++;
    }

    private static <K> void count(Map<K, long[]> m, K key, int slot, int slots) {
        count(m, key, slot, slots, 1);
    }

    private static <K> void count(Map<K, long[]> m, K key, int slot, int slots, long n) {
        m.computeIfAbsent(key, k -> new long[slots])[slot] += n;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /** Purposes that count as research (looking) and purchase (buying) for leakage. */
    static boolean isResearch(Interaction i) {
        return i.purpose() == Purpose.RESEARCH;
    }

    static boolean isPurchase(Interaction i) {
        return i.purpose() == Purpose.PURCHASE;
    }

    /**
     * Step times of one segment and brand: every value while there are at most
     * {@value #EXACT} (quantiles are then exact), after that a uniform sample of that many
     * (reservoir sampling with a seed fixed per key, so the same stream gives the same sample).
     * Memory stays bounded however many steps arrive.
     */
    static final class StepSample {
        static final int EXACT = 100_000;
        private long[] values = new long[8];
        private int size;
        private long count;
        private final java.util.SplittableRandom random;

        StepSample(String key) {
            random = new java.util.SplittableRandom(key.hashCode());
        }

        void add(long v) {
            count++;
            if (size < EXACT) {
                if (size == values.length) {
                    values = Arrays.copyOf(values, Math.min(EXACT, size * 2));
                }
                values[size++] = v;
                return;
            }
            long slot = random.nextLong(count);
            if (slot < EXACT) {
                values[(int) slot] = v;
            }
        }

        long count() {
            return count;
        }

        long[] toSortedArray() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }
}
