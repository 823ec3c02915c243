package fusion.server.audiences;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionServer;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start's stream left a 699 MB fusion.db-wal beside a 72 MB fusion.db: the audiences
 * walk the whole log again after every batch that merged profiles, each walk one read of
 * seconds, back to back, so some reader always held a snapshot older than the WAL's end and no
 * checkpoint could let the writer start the WAL again. Here the real store and the real audience
 * service, fed batches that each merge profiles (as the demo's consumers identify themselves)
 * from four clients at once, as fast as the store takes them.
 */
@DisplayName("issue 18: SQLite's write-ahead log stays bounded while the audiences walk the log")
class WalUnderAudienceWalksTest {
    /** SQLite's page size and the store's wal_autocheckpoint (Dialect): a checkpoint is due every 40 MB. */
    private static final long CHECKPOINT_BYTES = 10_000L * 4096;
    /** People per batch; each has three calls: two orders under two ids, then the identify that merges them. */
    private static final int PEOPLE = 4;

    private static final int BATCHES = 2_500;
    /** What a shop sends along with an order (the basket, say): 2 KB of text that the log keeps. */
    private static final String NOTE = "basket ".repeat(300);

    private static SegmentCall call(
            SegmentCall.Type type, String message, String user, String anonymous, String event, Instant at) {
        return new SegmentCall(
                type,
                message,
                user,
                anonymous,
                event,
                null,
                null,
                null,
                type == SegmentCall.Type.TRACK ? Map.of("brand", "glitter", "revenue", 25, "note", NOTE) : Map.of(),
                Map.of(),
                Map.of(),
                at,
                at);
    }

    /** Batch {@code b}: its people order anonymously and as members, then identify, which merges the two. */
    private static List<SegmentCall> batch(int b) {
        Instant at = Instant.parse("2026-11-01T00:00:00Z").plusSeconds(b);
        List<SegmentCall> calls = new ArrayList<>(3 * PEOPLE);
        for (int p = 0; p < PEOPLE; p++) {
            String who = b + "-" + p;
            calls.add(call(SegmentCall.Type.TRACK, "o" + who, null, "anon" + who, "Order Completed", at));
            calls.add(call(SegmentCall.Type.TRACK, "m" + who, "user" + who, null, "Order Completed", at));
            calls.add(call(SegmentCall.Type.IDENTIFY, "i" + who, "user" + who, "anon" + who, null, at));
        }
        return calls;
    }

    private static long size(Path file) throws java.io.IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    @Test
    @DisplayName(
            "issue 18 (h-wal): 30,000 calls that merge profiles in every batch, with the audiences walking the log after each, leave the WAL under two checkpoints' worth (80 MB) plus a group's")
    void theWalStaysBoundedWhileTheAudiencesWalkTheLog(@TempDir Path dir) throws Exception {
        Path wal = dir.resolve("fusion.db-wal");
        // a group (four clients: at most four batches, 48 calls) writes well under 8 MB of WAL
        long bound = 2 * CHECKPOINT_BYTES + 8L * 1024 * 1024;
        AtomicLong largest = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + Duration.ofSeconds(50).toNanos();
        AtomicInteger walks = new AtomicInteger();
        try (SqlStore store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            // the real store, its walks of the log counted: they are the reads that overlap
            Store counted = (Store) Proxy.newProxyInstance(
                    Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, m, args) -> {
                        if (m.getName().equals("forEachInteraction")) walks.incrementAndGet();
                        try {
                            return m.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            AudienceService audiences = new AudienceService(counted, null, null, Clock.systemUTC()).start();
            // with no audience defined nothing is kept and a merge walks nothing (issue 18): one is defined
            audiences.save(
                    "buyers",
                    null,
                    new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree("{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":1}"));
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    running.add(clients.submit(() -> {
                        for (int b; (b = next.getAndIncrement()) < BATCHES; ) {
                            store.ingest(batch(b));
                            largest.accumulateAndGet(size(wal), Math::max);
                            // past the bound the defect is shown; nothing more to write
                            if (largest.get() > bound || System.nanoTime() > deadline) return null;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) f.get();
            } finally {
                clients.shutdownNow();
                audiences.close();
            }
            assertThat(walks.get())
                    .as("the audiences walked the log again and again while the batches were written")
                    .isGreaterThanOrEqualTo(5);
            System.out.printf(
                    "h-wal: %,d batches of %d calls, %,d walks of the log, largest WAL %,d bytes, at the end %,d%n",
                    Math.min(next.get(), BATCHES), 3 * PEOPLE, walks.get(), largest.get(), size(wal));
            assertThat(largest.get())
                    .as(
                            "the largest fusion.db-wal seen after a batch, with %,d of %,d batches written",
                            Math.min(next.get(), BATCHES), BATCHES)
                    .isLessThanOrEqualTo(bound);
            assertThat(size(wal)).as("fusion.db-wal at the end").isLessThanOrEqualTo(bound);
        }
    }
}
