package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.engine.ScoringRule;
import fusion.core.engine.StandardRules;
import fusion.core.segment.SegmentMapping;
import fusion.store.Calls;
import fusion.store.IngestResult;
import fusion.store.Pipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch that fails inside the writer for any reason, not only invalid input, is rejected
 * alone: the other batches of its group commit and their callers get their results.
 */
class GroupCommitIsolationTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName(
            "issue 12 item 2: a batch failing in the writer with any exception is rejected alone; its group commits")
    void anyFailureInOneBatchRejectsThatBatchAlone() throws Exception {
        CountDownLatch inWriter = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(1);
        ModelConfig config = ModelConfig.defaults();
        List<ScoringRule> rules = new ArrayList<>(StandardRules.all(config));
        // a gate that holds the writer until the test has queued a group, and a rule that breaks
        rules.add((event, out) -> {
            if (event.description().equals("Gate")) {
                inWriter.countDown();
                try {
                    open.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (event.description().equals("Poison")) throw new IllegalStateException("a scoring rule broke");
        });
        Pipeline pipeline = new Pipeline(new Engine(config, rules), SegmentMapping.standard("own"));
        try (SqlStore store = SqlStore.sqlite(dir, pipeline)) {
            CompletableFuture<IngestResult> gate =
                    CompletableFuture.supplyAsync(() -> store.ingest(List.of(call("gate", "Gate"))));
            assertThat(inWriter.await(30, TimeUnit.SECONDS)).isTrue();
            List<Thread> senders = new ArrayList<>();
            List<CompletableFuture<IngestResult>> good = new ArrayList<>();
            CompletableFuture<IngestResult> poison = new CompletableFuture<>();
            for (int i = 0; i < 11; i++) {
                CompletableFuture<IngestResult> done = i == 5 ? poison : new CompletableFuture<>();
                if (i != 5) good.add(done);
                String id = "m" + i;
                String description = i == 5 ? "Poison" : "Fine";
                Thread t = new Thread(() -> {
                    try {
                        done.complete(store.ingest(List.of(call(id, description))));
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                });
                t.start();
                senders.add(t);
            }
            // every sender has queued its batch and waits for the answer: the next group holds them all
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // (a sender waits for its answer in slices, so that an erasure can turn it away: TIMED_WAITING)
            while (!senders.stream()
                    .allMatch(
                            t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)) {
                assertThat(System.nanoTime())
                        .as("the senders queued their batches")
                        .isLessThan(deadline);
                Thread.sleep(5);
            }
            open.countDown();
            assertThat(gate.get(30, TimeUnit.SECONDS).accepted()).isEqualTo(1);
            for (CompletableFuture<IngestResult> g : good) {
                assertThat(g.get(30, TimeUnit.SECONDS).accepted()).isEqualTo(1);
            }
            assertThatThrownBy(() -> poison.get(30, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseMessage("a scoring rule broke");
            assertThat(store.stats().events())
                    .as("the gate and the ten good batches")
                    .isEqualTo(11);
            assertThat(store.ingest(List.of(call("after", "Fine"))).accepted())
                    .as("the writer goes on")
                    .isEqualTo(1);
        }
    }

    private static fusion.core.segment.SegmentCall call(String id, String description) {
        return Calls.track(
                id, "user-" + id, null, "Order Completed", Calls.T0, Map.of("description", description, "revenue", 5));
    }
}
