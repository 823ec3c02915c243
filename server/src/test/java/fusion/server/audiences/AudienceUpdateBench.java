package fusion.server.audiences;

import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionServer;
import fusion.store.sql.SqlStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Membership update cost per event with 100 audiences defined (issue 16): not a test, a program
 * ({@code main}); bench/results/audiences-*.txt says how it was run. Events go into a SQLite store
 * in batches of 500; after each batch the time {@link AudienceService#settle} takes to bring every
 * audience up to date is measured on its own, and divided by the batch's events.
 */
public final class AudienceUpdateBench {
    private static final List<String> EVENTS = List.of(
            "Order Completed",
            "Product Viewed",
            "Product Reviewed",
            "Order Refunded",
            "Products Searched",
            "Cart Viewed");
    private static final List<String> PURPOSES = List.of("purchase", "research", "commentary", "service");

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int people = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int audiences = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path dir = Files.createTempDirectory("fusion-audience-bench");
        Instant start = Instant.parse("2026-09-01T00:00:00Z");
        Clock clock = Clock.fixed(start.plus(Duration.ofDays(60)), ZoneOffset.UTC);
        ObjectMapper json = new ObjectMapper();
        try (var store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            AudienceService service = new AudienceService(store, null, null, clock);
            service.settle();
            Random rnd = new Random(7);
            for (int a = 0; a < audiences; a++) service.save("a" + a, null, json.readTree(rule(a, rnd)));
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long settleNanos = 0, ingestNanos = 0, settleCpu = 0;
            int sent = 0, batches = 0;
            while (sent < events) {
                List<SegmentCall> batch = new ArrayList<>();
                for (int k = 0; k < 500 && sent < events; k++, sent++) {
                    Instant at = start.plus(Duration.ofMinutes(rnd.nextInt(60 * 24 * 60)));
                    batch.add(new SegmentCall(
                            SegmentCall.Type.TRACK,
                            "m" + sent,
                            "u" + rnd.nextInt(people),
                            null,
                            EVENTS.get(rnd.nextInt(EVENTS.size())),
                            null,
                            null,
                            null,
                            Map.of("revenue", 20),
                            Map.of(),
                            Map.of(),
                            at,
                            at));
                }
                long t0 = System.nanoTime();
                store.ingest(batch);
                long t1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                service.settle();
                long c2 = threads.getCurrentThreadCpuTime();
                long t2 = System.nanoTime();
                if (batches++ >= 4) { // the first batches warm the JIT
                    ingestNanos += t1 - t0;
                    settleNanos += t2 - t1;
                    settleCpu += c2 - c1;
                }
            }
            int measured = sent - 4 * 500;
            long members = 0;
            for (int a = 0; a < audiences; a++)
                members += service.members("a" + a).size();
            long t3 = System.nanoTime();
            service.refresh();
            long refresh = System.nanoTime() - t3;
            System.out.printf(
                    "%d audiences, %,d events over %,d people (%,d measured): membership update %.1f µs per event"
                            + " (%.1f µs of CPU; store ingest %.1f µs per event); memberships at the end %,d; full re-evaluation of everyone"
                            + " (the 15-minute refresh) %,d ms%n",
                    audiences,
                    sent,
                    people,
                    measured,
                    settleNanos / 1e3 / measured,
                    settleCpu / 1e3 / measured,
                    ingestNanos / 1e3 / measured,
                    members,
                    refresh / 1_000_000);
        }
    }

    /** One of five shapes, cycling, with random thresholds: counts, windows, recency, last purpose, other audiences. */
    private static String rule(int a, Random rnd) {
        String purpose = PURPOSES.get(rnd.nextInt(PURPOSES.size()));
        return switch (a % 5) {
            case 0 -> "{\"fact\":\"events\",\"purpose\":\"" + purpose + "\",\"gte\":" + (1 + rnd.nextInt(4)) + "}";
            case 1 ->
                "{\"fact\":\"events\",\"days\":" + (7 + rnd.nextInt(50)) + ",\"between\":[2," + (3 + rnd.nextInt(8))
                        + "]}";
            case 2 ->
                "{\"not\":{\"fact\":\"lastEvent\",\"purpose\":\"" + purpose + "\",\"withinDays\":"
                        + (5 + rnd.nextInt(30)) + "}}";
            case 3 -> "{\"fact\":\"lastPurpose\",\"in\":[\"" + purpose + "\",\"service\"]}";
            default ->
                "{\"all\":[{\"audience\":\"a" + (a - 4) + "\"},{\"any\":[{\"audience\":\"a" + (a - 3)
                        + "\"},{\"fact\":\"events\",\"channel\":\"web\",\"gte\":2}]}]}";
        };
    }
}
