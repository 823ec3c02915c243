package fusion.server.audiences;

import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.ModelConfig;
import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import fusion.server.FusionServer;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Re-evaluation time of a time-based rule over many profiles (issue 16): not a test, a program
 * ({@code main}), run by {@code bench/run-audience-refresh.sh}, which writes
 * bench/results/audience-refresh-*.txt.
 *
 * <p>Profiles: {@code people} seeded synthetic people (default 1,000,000), each with 1 to 6
 * interactions spread over the 180 days before the clock, 40 % of them purchases, the rest
 * research, at one brand over web, store and app. Ingesting millions of events through {@link
 * Store#ingest} would take hours on this machine (about 1,000 to 4,000 events/s), so the store's
 * log read ({@link Store#forEachInteraction}) is served by the generator; everything else is a
 * real SQLite store, and the audience service is the production one, writing its entered/left
 * changes, sizes and memberships to that store.
 *
 * <p>The rule: bought at least once, but not in the last 30 days (time-based). Measured: loading
 * everyone, the first evaluation on save (everyone enters or not), a refresh at the same instant
 * (nothing changes: the pure re-evaluation), and refreshes one day later each (people whose
 * last purchase turned 30 days old enter).
 */
public final class AudienceRefreshBench {
    static final String RULE = "{\"all\":[{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":1},"
            + "{\"not\":{\"fact\":\"lastEvent\",\"purpose\":\"purchase\",\"withinDays\":30}}]}";

    /** A clock moved by hand. */
    static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    public static void main(String[] args) throws Exception {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 16;
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        MovableClock clock = new MovableClock(now);
        Path dir = Files.createTempDirectory("fusion-audience-refresh");
        try (SqlStore real = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            Store store = generatedLog(real, people, now, seed);
            long[] counted = count(store);
            System.out.printf(
                    "profiles:      %,d people with %,d interactions (%,d purchases), seed %d%n",
                    people, counted[0], counted[1], seed);
            System.out.println("rule:          " + RULE);

            // the service keeps no one while no audience is defined: the save reads everyone's
            // interactions from the log, then evaluates everyone
            long t1 = System.nanoTime(), c1 = cpu();
            AudienceService service = new AudienceService(store, null, null, clock);
            service.save("lapsed", "Lapsed buyers", new ObjectMapper().readTree(RULE));
            long save = System.nanoTime() - t1, saveCpu = cpu() - c1;
            int size = service.members("lapsed").size();
            System.out.printf(
                    "load and first evaluation (save): %,d ms (%,d ms CPU); everyone's interactions into the service, %,d members entered, their changes written%n",
                    save / 1_000_000, saveCpu / 1_000_000, size);
            System.out.printf("heap after save: %,d MB used%n", usedHeapMb());

            for (int r = 0; r < 3; r++) {
                long t = System.nanoTime(), c = cpu();
                service.refresh();
                long took = System.nanoTime() - t, tookCpu = cpu() - c;
                System.out.printf(
                        "refresh, same instant (no change), run %d: %,d ms (%,d ms CPU), %,d members%n",
                        r + 1,
                        took / 1_000_000,
                        tookCpu / 1_000_000,
                        service.members("lapsed").size());
            }
            for (int d = 1; d <= days; d++) {
                clock.now = now.plus(Duration.ofDays(d));
                int before = service.members("lapsed").size();
                long t = System.nanoTime(), c = cpu();
                service.refresh();
                long took = System.nanoTime() - t, tookCpu = cpu() - c;
                int after = service.members("lapsed").size();
                System.out.printf(
                        "refresh, %d day(s) later: %,d ms (%,d ms CPU), %,d members (%+,d)%n",
                        d, took / 1_000_000, tookCpu / 1_000_000, after, after - before);
            }
            System.out.printf("heap at the end: %,d MB used%n", usedHeapMb());
            service.close();
        }
    }

    /** The real store, with its log read served by the seeded generator. */
    static Store generatedLog(SqlStore real, int people, Instant now, long seed) {
        return (Store) Proxy.newProxyInstance(
                Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, method, args) -> {
                    if (method.getName().equals("forEachInteraction") && args != null && args.length == 1) {
                        @SuppressWarnings("unchecked")
                        Consumer<Interaction> consumer = (Consumer<Interaction>) args[0];
                        generate(people, now, seed, consumer);
                        return null;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static final List<ContactPoint> POINTS =
            List.of(ContactPoint.of(Channel.WEB), ContactPoint.of(Channel.STORE), ContactPoint.of(Channel.APP));
    private static final Brand BRAND = new Brand("shop", false);

    /** Everyone's interactions, person by person, the same for the same seed (each a new object, as a log read makes). */
    static void generate(int people, Instant now, long seed, Consumer<Interaction> consumer) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long horizon = Duration.ofDays(180).toSeconds();
        int id = 0;
        for (int p = 0; p < people; p++) {
            String party = "p" + p;
            int n = 1 + rnd.nextInt(6);
            for (int k = 0; k < n; k++) {
                Purpose purpose = rnd.nextDouble() < 0.4 ? Purpose.PURCHASE : Purpose.RESEARCH;
                consumer.accept(new Interaction(
                        "m" + id++,
                        party,
                        BRAND,
                        POINTS.get(rnd.nextInt(POINTS.size())),
                        purpose,
                        Initiator.CONSUMER,
                        now.minusSeconds(1 + rnd.nextLong(horizon)),
                        Outcome.NEUTRAL,
                        List.of(),
                        purpose == Purpose.PURCHASE ? "Order Completed" : "Product Viewed"));
            }
        }
    }

    private static long[] count(Store store) {
        long[] n = new long[2];
        store.forEachInteraction(i -> {
            n[0]++;
            if (i.purpose() == Purpose.PURCHASE) n[1]++;
        });
        return n;
    }

    /** The calling thread's CPU time (the service works on it: no executor is set), in nanoseconds. */
    private static long cpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long usedHeapMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }
}
