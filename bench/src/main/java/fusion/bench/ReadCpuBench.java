package fusion.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Pipeline;
import fusion.store.ProfileView;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The CPU of one profile read, as {@code GET /api/profiles/u<N>/relationships} does it without
 * HTTP and without the audit entry (another cost, measured by bench/run-read-tail.sh): the
 * profile, the relationships with their newest 10 ledger entries each, scored now, and the JSON.
 * One thread, warm, on a store filled as the HTTP bench's LoadDriver fills it (2,000 people, four
 * brands). Prints the reading thread's CPU per read (ThreadMXBean) and the latency p50/p99.
 *
 * <p>Usage: {@code ReadCpuBench fill STORE EVENTS} then {@code ReadCpuBench read STORE WARMUP READS},
 * where STORE is a data directory (SQLite) or a {@code postgresql://} URL. {@code dump STORE}
 * prints the JSON of every profile's read at a fixed instant, to compare two builds' answers.
 */
public final class ReadCpuBench {
    private static final String[] BRANDS = {"glitter", "brewline", "rivalwear", "beanhouse"};
    private static final String[] EVENTS = {
        "Order Completed",
        "Ticket Resolved",
        "Product Viewed",
        "Ticket Reopened",
        "Membership Renewed",
        "Order Delivered"
    };
    private static final int PEOPLE = 2_000;

    private ReadCpuBench() {}

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "fill" -> fill(a[1], Integer.parseInt(a[2]));
            case "read" -> read(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]));
            case "dump" -> dump(a[1]);
            case "series" -> series(a[1], Instant.parse(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            default ->
                throw new IllegalArgumentException("mode: expected fill, read, dump or series but was '" + a[0] + "'");
        }
    }

    private static SqlStore open(String store, boolean migrate) {
        Pipeline p = new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
        if (store.startsWith("postgresql:")) return SqlStore.postgres(StoreUrl.parse(store), p, migrate);
        return SqlStore.sqlite(Path.of(store), p);
    }

    /** LoadDriver's calls (identify one in 20, else a track at one of four brands), in time order. */
    private static void fill(String where, int events) {
        if (where.startsWith("postgresql:")) SqlStore.dropAll(StoreUrl.parse(where));
        Random r = new Random(18);
        Instant t = Instant.now().minusSeconds(30L * 86_400);
        long step = 30L * 86_400_000 / events;
        try (SqlStore s = open(where, true)) {
            List<SegmentCall> batch = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                t = t.plusMillis(1 + r.nextInt((int) Math.max(1, 2 * step)));
                int who = r.nextInt(PEOPLE);
                String id = "rc-" + i;
                if (r.nextInt(20) == 0) {
                    batch.add(new SegmentCall(
                            SegmentCall.Type.IDENTIFY,
                            id,
                            "u" + who,
                            "a" + who,
                            null,
                            null,
                            null,
                            null,
                            Map.of(),
                            Map.of("name", "Person " + who),
                            Map.of(),
                            t,
                            t));
                } else {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("brand", BRANDS[r.nextInt(4)]);
                    p.put("revenue", r.nextInt(150));
                    if (r.nextInt(8) == 0) p.put("wow", true);
                    if (r.nextInt(10) == 0) p.put("wait_seconds", r.nextInt(1200));
                    batch.add(track(id, "u" + who, EVENTS[r.nextInt(EVENTS.length)], p, t));
                }
                if (batch.size() == 500) {
                    s.ingest(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) s.ingest(batch);
            s.settleIndexes();
        }
        System.out.printf("filled %s with %,d events%n", where, events);
    }

    private static ObjectMapper json() {
        // the server's mapper writes instants as ISO-8601 text (JavaTimeModule); the same here
        SimpleModule m = new SimpleModule().addSerializer(new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        return new ObjectMapper().registerModule(m);
    }

    /** One read as the route does it, less the audit entry: the JSON's length. */
    private static int readOne(Store s, ObjectMapper json, String who, Instant at) throws IOException {
        ProfileView p = s.profile(who).orElseThrow(() -> new IllegalStateException("no profile " + who));
        return json.writeValueAsBytes(s.relationships(p.id(), at, 10)).length;
    }

    /**
     * With {@code -Dfusion.bench.churn=true} one event is ingested before each read (not
     * counted: the writer's thread does the work), as a server under ingest commits between any
     * two reads: SQLite then finds the database changed at each read's start.
     */
    private static final boolean CHURN = Boolean.getBoolean("fusion.bench.churn");

    private static void churn(Store s, Random r, int i) {
        if (!CHURN) return;
        s.ingest(List.of(now(r, "churn-" + System.nanoTime() + "-" + i)));
    }

    /** A purchase-like call of a random person with a random brand, sent now. */
    private static SegmentCall now(Random r, String id) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("brand", BRANDS[r.nextInt(4)]);
        p.put("revenue", r.nextInt(150));
        return track(id, "u" + r.nextInt(PEOPLE), EVENTS[r.nextInt(EVENTS.length)], p, Instant.now());
    }

    /**
     * With {@code -Dfusion.bench.preload=N}, N events are ingested (in batches of 500) before the
     * warm-up, so that the writer's memory holds the pairs' newest entries as a server's does in
     * the middle of a run under ingest (a filled store opens with only those after the index's
     * mark: about 6 a pair on the 1,000,000-event store).
     */
    private static void preload(Store s) {
        int n = Integer.getInteger("fusion.bench.preload", 0);
        Random r = new Random(9);
        for (int done = 0; done < n; ) {
            List<SegmentCall> batch = new java.util.ArrayList<>();
            for (int i = 0; i < 500 && done < n; i++, done++) {
                batch.add(now(r, "preload-" + System.nanoTime() + "-" + done));
            }
            s.ingest(batch);
        }
    }

    /** A track call of {@code user}, sent and received at {@code t}. */
    private static SegmentCall track(String id, String user, String event, Map<String, Object> properties, Instant t) {
        return new SegmentCall(
                SegmentCall.Type.TRACK, id, user, null, event, null, null, null, properties, Map.of(), Map.of(), t, t);
    }

    private static void read(String where, int warmup, int reads) throws IOException {
        var threads = ManagementFactory.getThreadMXBean();
        ObjectMapper json = json();
        try (Store s = open(where, false)) {
            preload(s);
            Random r = new Random(7);
            Random c = new Random(8);
            long bytes = 0;
            for (int i = 0; i < warmup; i++) {
                churn(s, c, i);
                bytes += readOne(s, json, "u" + r.nextInt(PEOPLE), Instant.now());
            }
            long[] nanos = new long[reads];
            long cpu = 0;
            for (int i = 0; i < reads; i++) {
                churn(s, c, i);
                long cpu0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                bytes += readOne(s, json, "u" + r.nextInt(PEOPLE), Instant.now());
                nanos[i] = System.nanoTime() - t0;
                cpu += threads.getCurrentThreadCpuTime() - cpu0;
            }
            // the same reads again, phase by phase: the profile, the relationships, the JSON
            long[] phases = new long[3];
            r = new Random(7);
            for (int i = 0; i < reads; i++) {
                churn(s, c, i);
                Instant at = Instant.now();
                long c0 = threads.getCurrentThreadCpuTime();
                ProfileView p = s.profile("u" + r.nextInt(PEOPLE)).orElseThrow();
                long c1 = threads.getCurrentThreadCpuTime();
                var rel = s.relationships(p.id(), at, 10);
                long c2 = threads.getCurrentThreadCpuTime();
                bytes += json.writeValueAsBytes(rel).length;
                phases[0] += c1 - c0;
                phases[1] += c2 - c1;
                phases[2] += threads.getCurrentThreadCpuTime() - c2;
            }
            java.util.Arrays.sort(nanos);
            System.out.printf(
                    "%,d reads: CPU %.3f ms per read (reading thread), p50 %.2f ms, p99 %.2f ms;"
                            + " phases: profile %.3f, relationships %.3f, JSON %.3f ms (%d bytes)%n",
                    reads,
                    cpu / 1e6 / reads,
                    nanos[reads / 2] / 1e6,
                    nanos[Math.min(reads - 1, (int) (reads * 0.99))] / 1e6,
                    phases[0] / 1e6 / reads,
                    phases[1] / 1e6 / reads,
                    phases[2] / 1e6 / reads,
                    bytes);
        }
    }

    /**
     * Each brand's daily series over {@code days} to {@code at}, {@code reads} times after two
     * warm reads: the reading thread's CPU and the wall time per read (median), and a digest of
     * the series' points, which two builds must give alike (the figures are exact).
     */
    private static void series(String where, Instant at, int days, int reads) {
        var threads = ManagementFactory.getThreadMXBean();
        try (Store s = open(where, true)) {
            for (String brand : BRANDS) {
                String points = "";
                for (int i = 0; i < 2; i++)
                    points = s.brand(brand, at, days).orElseThrow().series().toString();
                long[] cpu = new long[reads];
                long[] wall = new long[reads];
                for (int i = 0; i < reads; i++) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    s.brand(brand, at, days).orElseThrow();
                    wall[i] = System.nanoTime() - t0;
                    cpu[i] = threads.getCurrentThreadCpuTime() - c0;
                }
                java.util.Arrays.sort(cpu);
                java.util.Arrays.sort(wall);
                System.out.printf(
                        "series %s: %d days, %d reads: CPU %.1f ms, wall %.1f ms per read (median); points %08x%n",
                        brand, days, reads, cpu[reads / 2] / 1e6, wall[reads / 2] / 1e6, points.hashCode());
            }
        }
    }

    private static void dump(String where) throws IOException {
        ObjectMapper json = json();
        Instant at = Instant.parse("2027-01-01T00:00:00Z");
        try (Store s = open(where, false)) {
            for (int n = 0; n < PEOPLE; n++) {
                var p = s.profile("u" + n);
                if (p.isEmpty()) continue;
                System.out.println(
                        json.writeValueAsString(s.relationships(p.get().id(), at, 10)));
            }
        }
    }
}
