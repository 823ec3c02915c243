package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.store.Erasure;
import fusion.store.StoreBusy;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An erasure rebuilds every derived table while holding the store's single writer. Ingest must not
 * hang behind it: each request is answered at once, stored or told to come back.
 */
class ErasureAvailabilityTest {
    /** Enough events that the rebuild takes seconds on a small machine. */
    private static final int EVENTS = 20_000;
    /**
     * An ingest request must be answered within this (a loaded 2-core machine included), and
     * within a quarter of the erasure's duration.
     */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    @DisplayName(
            "issue 12 item 7: ingest during a long erasure is answered at once (200, or 503 with Retry-After), never hangs")
    void ingestIsAnsweredDuringALongErasure() throws Exception {
        SqlStore store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()));
        fill(store, EVENTS);
        try (Running s = new Running(store, Clock.systemUTC())) {
            long started = System.nanoTime();
            CompletableFuture<Running.Reply> erasure = CompletableFuture.supplyAsync(
                    () -> s.call("DELETE", "/api/profiles/erase-me", Running.ADMIN, null));
            List<Integer> statuses = new ArrayList<>();
            List<String> retryAfter = new ArrayList<>();
            long slowest = 0;
            int n = 0;
            while (!erasure.isDone() && System.nanoTime() - started < TimeUnit.MINUTES.toNanos(3)) {
                HttpRequest req = HttpRequest.newBuilder(s.uri("/v1/track"))
                        .timeout(ANSWER_WITHIN.multipliedBy(3))
                        .header("Authorization", Running.basic(Running.WRITE_KEY + ":"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"during-" + n
                                + "\",\"event\":\"Product Viewed\",\"messageId\":\"during-" + n++ + "\"}"))
                        .build();
                long t0 = System.nanoTime();
                HttpResponse<String> r = s.http.send(req, HttpResponse.BodyHandlers.ofString());
                slowest = Math.max(slowest, System.nanoTime() - t0);
                statuses.add(r.statusCode());
                if (r.statusCode() == 503)
                    retryAfter.add(r.headers().firstValue("Retry-After").orElse(""));
            }
            Running.Reply erased = erasure.get(3, TimeUnit.MINUTES);
            long erasureMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(erased.status()).isEqualTo(200);
            // a request that hung behind the rebuild would take most of the erasure's duration
            assertThat(Duration.ofNanos(slowest))
                    .isLessThan(ANSWER_WITHIN)
                    .isLessThan(Duration.ofMillis(erasureMillis / 4));
            assertThat(statuses).isNotEmpty().allMatch(c -> c == 200 || c == 503);
            assertThat(statuses).contains(503); // requests did overlap the rebuild
            assertThat(retryAfter)
                    .allSatisfy(v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
            // after the erasure, ingest is served again
            assertThat(s.postJson("/v1/track", "{\"userId\":\"after\",\"event\":\"Product Viewed\"}")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    @DisplayName("issue 12 item 7: a long erasure reports progress with counts and rate while it runs, and ingest "
            + "meanwhile gets StoreBusy with a retry time")
    void erasureReportsProgressAsItGoes() throws Exception {
        try (SqlStore store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            fill(store, EVENTS / 2);
            List<String> linesBeforeEnd = new ArrayList<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CompletableFuture<Erasure> erasure = CompletableFuture.supplyAsync(
                    () -> store.erase("erase-me", "test", new PrintStream(out, true, StandardCharsets.UTF_8)));
            StoreBusy busy = null;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!erasure.isDone() && System.nanoTime() < deadline) {
                try {
                    store.ingest(List.of(call("busy-probe", "probe-" + System.nanoTime(), Instant.now())));
                } catch (StoreBusy e) {
                    busy = e;
                    String sofar = out.toString(StandardCharsets.UTF_8);
                    if (sofar.contains("events/s")) {
                        linesBeforeEnd.add(sofar);
                        break;
                    }
                }
            }
            Erasure done = erasure.get(3, TimeUnit.MINUTES);
            assertThat(done.events()).isEqualTo(2); // the 0th and the 7,000th of 10,000
            assertThat(busy).as("ingest turned away during the erasure").isNotNull();
            assertThat(busy.retryAfterSeconds()).isBetween(1, 60);
            assertThat(busy.getMessage()).contains("erasing");
            assertThat(linesBeforeEnd)
                    .as("a progress line with a rate was written before the erasure ended")
                    .isNotEmpty();
            assertThat(linesBeforeEnd.get(0)).containsPattern("rebuilt [0-9,]+ / [0-9,]+ events \\(\\d+%\\)");
        }
    }

    /** {@code events} events of many people, some of them (every 7,000th) of the person to erase. */
    private static void fill(SqlStore store, int events) {
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        List<SegmentCall> batch = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String user = i % 7_000 == 0 ? "erase-me" : "user-" + (i % 5_000);
            batch.add(call(user, "m" + i, t.plusSeconds(i)));
            if (batch.size() == 1_000) {
                store.ingest(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) store.ingest(batch);
    }

    private static SegmentCall call(String user, String messageId, Instant at) {
        return new SegmentCall(
                SegmentCall.Type.TRACK,
                messageId,
                user,
                null,
                "Order Completed",
                null,
                null,
                null,
                Map.of("revenue", 10, "description", "a pair of boots"),
                Map.of(),
                Map.of(),
                at,
                at);
    }
}
