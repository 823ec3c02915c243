package fusion.bench;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Erasure;
import fusion.store.Pipeline;
import fusion.store.Store;
import fusion.store.StoreBusy;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long an erasure stalls ingest on a store of EVENTS events (issue 14): a thread ingests
 * small batches of new calls all along, and the longest gap between two of its acknowledged
 * batches around the erasure is the stall. Two erasures on the same store: a person whose events
 * reached no one else (erased in place), then a person one of whose ids another person's call
 * also used (the full rebuild, as every erasure did before). Usage: {@code ErasureStallBench EVENTS}.
 */
public final class ErasureStallBench {
    private ErasureStallBench() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(args[0]);
        List<SegmentCall> calls = StoreIngestBench.traffic(events);
        Path dir = Files.createTempDirectory("fusion-erasure-bench");
        Pipeline pipeline = new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
        try (Store store = SqlStore.sqlite(dir, pipeline)) {
            long start = System.nanoTime();
            for (int i = 0; i < calls.size(); i += 500) store.ingest(calls.subList(i, Math.min(calls.size(), i + 500)));
            System.out.printf(
                    "store: %,d events, %,d profiles, built in %.1f s%n",
                    store.stats().events(), store.stats().profiles(), (System.nanoTime() - start) / 1e9);
            // u8's anonymous id, used by another person: the full rebuild
            Instant t = Instant.parse("2026-12-01T00:00:00Z");
            store.ingest(List.of(new SegmentCall(
                    SegmentCall.Type.TRACK,
                    "bridge",
                    "u9",
                    "a8",
                    "Product Viewed",
                    null,
                    null,
                    null,
                    Map.of("brand", "glitter"),
                    Map.of(),
                    Map.of(),
                    t,
                    t)));
            measure(store, "u7", "a person whose events reached no one else (in place)");
            measure(store, "u8", "a person whose id another's call used (full rebuild, as before)");
        }
    }

    private static void measure(Store store, String who, String what) throws Exception {
        String profile = store.profile(who).orElseThrow().id();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong maxGap = new AtomicLong(), batches = new AtomicLong(), refused = new AtomicLong();
        Thread ingest = new Thread(
                () -> {
                    long last = System.nanoTime();
                    int n = 0;
                    while (!stop.get()) {
                        Instant at = Instant.parse("2026-12-02T00:00:00Z").plusSeconds(n);
                        String id = who + "-live-" + n++;
                        try {
                            store.ingest(List.of(new SegmentCall(
                                    SegmentCall.Type.TRACK,
                                    id,
                                    "live-" + n,
                                    null,
                                    "Order Completed",
                                    null,
                                    null,
                                    null,
                                    Map.of("brand", "brewline", "revenue", 5),
                                    Map.of(),
                                    Map.of(),
                                    at,
                                    at)));
                            long now = System.nanoTime();
                            maxGap.accumulateAndGet(now - last, Math::max);
                            last = now;
                            batches.incrementAndGet();
                        } catch (StoreBusy e) {
                            refused.incrementAndGet();
                            try {
                                Thread.sleep(10); // a client's retry interval
                            } catch (InterruptedException x) {
                                return;
                            }
                        }
                    }
                },
                "ingest");
        ingest.start();
        Thread.sleep(1_000); // ingest under way before the erasure
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        long start = System.nanoTime();
        Erasure e = store.erase(profile, "bench", new PrintStream(said, true));
        double seconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(1_000);
        stop.set(true);
        ingest.join();
        System.out.printf(
                "%s: erased %d events in %.2f s; ingest meanwhile: %,d batches acknowledged, %,d turned away, "
                        + "longest gap between acknowledgements %.2f s%n  (%s)%n",
                what,
                e.events(),
                seconds,
                batches.get(),
                refused.get(),
                maxGap.get() / 1e9,
                said.toString().strip().lines().findFirst().orElse(""));
    }
}
