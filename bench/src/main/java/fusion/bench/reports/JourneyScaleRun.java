package fusion.bench.reports;

import fusion.analytics.journey.JourneyReport;
import fusion.analytics.journey.JourneySettings;
import fusion.analytics.journey.JourneyStats;
import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Times the incremental journey statistics over N synthetic interactions (default 100 million)
 * of P parties (default 1 million) with four brands (one a competitor), generated on the fly in
 * time order: journeys of a few steps minutes to hours apart, separated by pauses longer than the
 * drop-out gap. Nothing but the statistics' own state is held: run it with a small heap to show
 * that memory grows with the parties and brands, not with the events.
 *
 * <pre>java -Xmx1g -cp bench/target/benchmarks.jar \
 *     fusion.bench.reports.JourneyScaleRun 100000000 [parties] [seed]</pre>
 */
public final class JourneyScaleRun {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Brand[] BRANDS = {
        Brand.own("glitter"), Brand.own("brewline"), Brand.own("beanhouse"), Brand.competitor("rivalwear")
    };
    private static final Channel[] CHANNELS = {
        Channel.WEB, Channel.APP, Channel.STORE, Channel.EMAIL, Channel.CHAT, Channel.SOCIAL
    };
    private static final Purpose[] PURPOSES = {
        Purpose.RESEARCH,
        Purpose.RESEARCH,
        Purpose.RESEARCH,
        Purpose.PURCHASE,
        Purpose.SERVICE,
        Purpose.USAGE,
        Purpose.COMPLAINT,
        Purpose.ADVOCACY
    };

    private static final long DAY = 86_400_000L;

    private JourneyScaleRun() {}

    /** Most parties stay with one of the own brands; one in seven also shops at the competitor. */
    private static int pickBrand(SplittableRandom r, int party) {
        return party % 7 == 0 && r.nextBoolean() ? 3 : r.nextInt(3);
    }

    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 100_000_000L;
        int parties = args.length > 1 ? Integer.parseInt(args[1].replace("_", "")) : 1_000_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        SplittableRandom r = new SplittableRandom(seed);
        ContactPoint[][] points = new ContactPoint[BRANDS.length][CHANNELS.length];
        for (int b = 0; b < BRANDS.length; b++) {
            for (int c = 0; c < CHANNELS.length; c++) {
                points[b][c] = new ContactPoint(
                        BRANDS[b].id() + "-" + CHANNELS[c].name().toLowerCase(Locale.ROOT), CHANNELS[c]);
            }
        }
        Outcome met = Outcome.builder().need(Need.MET).build();
        Outcome failed = Outcome.builder().need(Need.FAILED).sentiment(-0.5).build();
        Outcome wow = Outcome.builder().need(Need.MET).wow(true).build();
        Outcome plain = Outcome.builder().build();
        // each party lives in journeys: a few steps minutes to hours apart, then a pause longer
        // than the drop-out gap; events come out in global time order from a queue of parties
        long[] next = new long[parties];
        int[] brandOf = new int[parties];
        PriorityQueue<Integer> queue = new PriorityQueue<>(parties, (a, b) -> Long.compare(next[a], next[b]));
        for (int p = 0; p < parties; p++) {
            next[p] = r.nextLong(60L * DAY);
            brandOf[p] = pickBrand(r, p);
            queue.add(p);
        }
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        JourneyStats stats = new JourneyStats(JourneySettings.defaults());
        long start = System.nanoTime();
        long millis = 0;
        for (long i = 0; i < n; i++) {
            int party = queue.poll();
            millis = next[party];
            int brand = brandOf[party];
            Purpose purpose = PURPOSES[r.nextInt(PURPOSES.length)];
            int roll = r.nextInt(20);
            Outcome outcome = purpose == Purpose.PURCHASE
                    ? Outcome.builder().need(Need.MET).money(5 + r.nextInt(200)).build()
                    : roll == 0 ? wow : roll < 3 ? failed : roll < 8 ? met : plain;
            stats.add(new Interaction(
                    "e" + i,
                    "p" + party,
                    BRANDS[brand],
                    points[brand][r.nextInt(CHANNELS.length)],
                    purpose,
                    purpose == Purpose.SERVICE && roll < 10 ? Initiator.BRAND : Initiator.CONSUMER,
                    T0.plusMillis(millis),
                    outcome,
                    List.of(),
                    ""));
            if (purpose == Purpose.PURCHASE || r.nextInt(4) == 0) {
                next[party] = millis + 31 * DAY + r.nextLong(90 * DAY); // the journey ends
                brandOf[party] = pickBrand(r, party);
            } else {
                next[party] = millis + 60_000 + r.nextLong(3 * 3_600_000L);
            }
            queue.add(party);
            if ((i + 1) % 10_000_000 == 0) {
                System.err.printf(Locale.ROOT, "  %,d events, %.1f s%n", i + 1, (System.nanoTime() - start) / 1e9);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long t = System.nanoTime();
        JourneyReport report = stats.report(T0.plusMillis(millis));
        double reportSeconds = (System.nanoTime() - t) / 1e9;
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed())
                .sum();
        long journeys = report.brands().stream()
                .mapToLong(JourneyReport.BrandJourneys::journeys)
                .sum();
        System.out.printf(
                Locale.ROOT,
                "events:       %,d of %,d parties with %d brands over %.0f days (seed %d)%n",
                n,
                parties,
                BRANDS.length,
                millis / 86_400_000.0,
                seed);
        System.out.printf(Locale.ROOT, "incremental:  %.1f s, %,.0f events/s on one thread%n", seconds, n / seconds);
        System.out.printf(
                Locale.ROOT,
                "report:       %.2f s; %,d journeys, %d contact points, %d leakage rows%n",
                reportSeconds,
                journeys,
                report.contactPoints().size(),
                report.leakage().size());
        System.out.printf(
                Locale.ROOT,
                "heap:         peak %,d MB (sum of pool peaks), max %,d MB%n",
                peak >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
    }
}
