package fusion.bench;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Pipeline;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Ingest throughput of each store, side by side in one run: the same realistic calls (identities
 * that merge, purchases, service, complaints with reach) through {@link Store#ingest} in batches,
 * durably, with scoring on; no HTTP. Rounds alternate between the stores so both see the same
 * machine conditions. Usage: {@code StoreIngestBench EVENTS BATCH ROUNDS postgresql://...}.
 */
public final class StoreIngestBench {
    private static final String[] BRANDS = {"glitter", "brewline", "rivalwear", "beanhouse"};
    private static final String[] EVENTS = {
        "Order Completed",
        "Ticket Resolved",
        "Ticket Reopened",
        "Product Viewed",
        "Membership Renewed",
        "Order Delivered"
    };

    private StoreIngestBench() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        StoreUrl pg = StoreUrl.parse(args[3]);
        List<SegmentCall> calls = traffic(events);
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Double>> writer = new LinkedHashMap<>();
        // FUSION_BENCH_STORES=postgresql (or sqlite) runs one store only
        List<String> stores = List.of(System.getenv()
                .getOrDefault("FUSION_BENCH_STORES", "sqlite,postgresql")
                .split(","));
        for (int round = 1; round <= rounds; round++) {
            if (stores.contains("sqlite")) {
                Path dir = Files.createTempDirectory("fusion-bench");
                try (Store s = SqlStore.sqlite(dir, pipeline())) {
                    run(s, calls, batch, "sqlite", rates, cpu, writer);
                }
            }
            if (stores.contains("postgresql")) {
                SqlStore.dropAll(pg);
                try (Store s = SqlStore.postgres(pg, pipeline(), true)) {
                    run(s, calls, batch, "postgresql", rates, cpu, writer);
                }
            }
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (String store : rates.keySet()) {
                line.append(String.format(
                        " %s %,.0f events/s %.1f ms CPU/1000 events (writer thread %.1f);",
                        store, last(rates.get(store)), last(cpu.get(store)), last(writer.get(store))));
            }
            System.out.println(line);
        }
        System.out.printf("median of %d rounds, %,d events in batches of %d:%n", rounds, events, batch);
        for (String store : rates.keySet()) {
            System.out.printf(
                    "  %-11s %,10.0f events/s  %6.1f ms CPU per 1000 events (this JVM), writer thread %6.1f%n",
                    store, median(rates.get(store)), median(cpu.get(store)), median(writer.get(store)));
        }
        if (rates.size() == 2) {
            System.out.printf(
                    "  ratio sqlite/postgresql %.2f%n", median(rates.get("sqlite")) / median(rates.get("postgresql")));
        }
    }

    /** CPU time of the store's writer thread(s) so far, in nanoseconds. */
    private static long writerCpu() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("fusion-writer")) sum += Math.max(0, threads.getThreadCpuTime(t.getId()));
        }
        return sum;
    }

    private static Pipeline pipeline() {
        return new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
    }

    /**
     * Ingests {@code calls} and records the rate and this JVM's CPU time per 1000 events (every
     * thread: the writer, the caller, JIT and GC; not the PostgreSQL server's processes).
     */
    private static void run(
            Store store,
            List<SegmentCall> calls,
            int batch,
            String name,
            Map<String, List<Double>> rates,
            Map<String, List<Double>> cpu,
            Map<String, List<Double>> writer) {
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long writerStart = writerCpu();
        long start = System.nanoTime();
        for (int i = 0; i < calls.size(); i += batch) {
            store.ingest(calls.subList(i, Math.min(calls.size(), i + batch)));
        }
        long nanos = System.nanoTime() - start;
        rates.computeIfAbsent(name, k -> new ArrayList<>()).add(calls.size() / (nanos / 1e9));
        cpu.computeIfAbsent(name, k -> new ArrayList<>())
                .add((os.getProcessCpuTime() - cpuStart) / 1e6 / (calls.size() / 1000.0));
        writer.computeIfAbsent(name, k -> new ArrayList<>())
                .add((writerCpu() - writerStart) / 1e6 / (calls.size() / 1000.0));
    }

    /** Consumers who browse anonymously, identify, buy and get service at four brands, in time order. */
    public static List<SegmentCall> traffic(int n) {
        Random r = new Random(42);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<SegmentCall> out = new ArrayList<>(n);
        int people = Math.max(10, n / 20);
        for (int i = 0; i < n; i++) {
            t = t.plus(Duration.ofSeconds(r.nextInt(60)));
            int who = r.nextInt(people);
            String user = "u" + who;
            String anon = "a" + who;
            String id = "m" + i;
            if (r.nextInt(20) == 0) {
                out.add(new SegmentCall(
                        SegmentCall.Type.IDENTIFY,
                        id,
                        user,
                        anon,
                        null,
                        null,
                        null,
                        null,
                        Map.of(),
                        Map.of("name", "Person " + who),
                        Map.of(),
                        t,
                        t));
                continue;
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("brand", BRANDS[r.nextInt(BRANDS.length)]);
            p.put("revenue", r.nextInt(150));
            if (r.nextInt(8) == 0) p.put("wow", true);
            if (r.nextInt(10) == 0) p.put("wait_seconds", r.nextInt(1200));
            String event = EVENTS[r.nextInt(EVENTS.length)];
            if (r.nextInt(50) == 0) {
                event = "Brand Mentioned";
                p.put("sentiment", -0.7);
                p.put("reach", 5_000 + r.nextInt(50_000));
            }
            boolean known = r.nextBoolean();
            out.add(new SegmentCall(
                    SegmentCall.Type.TRACK,
                    id,
                    known ? user : null,
                    known ? null : anon,
                    event,
                    null,
                    null,
                    null,
                    p,
                    Map.of(),
                    Map.of(),
                    t,
                    t));
        }
        return out;
    }

    private static double last(List<Double> l) {
        return l.get(l.size() - 1);
    }

    private static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
