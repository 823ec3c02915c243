package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.engine.ScoringRule;
import fusion.core.engine.StandardRules;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Calls;
import fusion.store.Pipeline;
import fusion.store.Replay;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rejected batch drops from the writer's caches only what it loaded or wrote. Witnesses: the
 * writer's count of database reads (a party whose entries stayed cached costs none, worked out
 * per party below), and a replay of the log into an empty store, whose digests must equal the
 * live store's (the entries the rejected batch touched were dropped, so nothing of it survives).
 */
class RollbackKeepsCachesTest {
    @TempDir
    Path dir;

    @TempDir
    Path replayDir;

    private final CountDownLatch inWriter = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);
    private int ids;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    @DisplayName(
            "issue 13: a batch rejected alone drops no other party's cached state, and a replay gives the same digests")
    void aBatchRejectedAloneKeepsTheOtherPartiesCached(String kind) {
        try (SqlStore store = open(kind, dir)) {
            store.ingest(fine("u0", "u1", "u2", "u3", "u4", "u5"));
            // the rejected batch writes u0's state, then fails: the whole (one-batch) transaction rolls back
            List<SegmentCall> rejected = new ArrayList<>(fine("u0"));
            rejected.add(poison("u0"));
            assertThatThrownBy(() -> store.ingest(rejected)).hasMessage("a scoring rule broke");

            long before = store.writerLoads();
            store.ingest(fine("u1", "u2", "u3", "u4", "u5"));
            assertThat(store.writerLoads() - before)
                    .as("u1..u5 were cached before the rejected batch, which never touched them: no database read")
                    .isZero();

            store.ingest(fine("u0"));
            assertReplayGivesTheSameState(kind, store);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    @DisplayName(
            "issue 13: a batch rolled back to its savepoint in a group drops no other party's cached state, and a replay gives the same digests")
    void aBatchRolledBackInAGroupKeepsTheOtherPartiesCached(String kind) throws Exception {
        try (SqlStore store = open(kind, dir)) {
            store.ingest(fine("u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"));
            CompletableFuture<Void> gate =
                    CompletableFuture.runAsync(() -> store.ingest(List.of(call("gate", "Gate"))));
            assertThat(inWriter.await(30, TimeUnit.SECONDS)).isTrue();
            // one group, queued in this order: u1..u4, then u0 with a poisoned call, then u0 again and u5..u9
            // (which must see u0 as the earlier batches left it, without a trace of the rejected one)
            List<SegmentCall> rejected = new ArrayList<>(fine("u0"));
            rejected.add(poison("u0"));
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (List<SegmentCall> batch :
                    List.of(fine("u1", "u2", "u3", "u4"), rejected, fine("u0", "u5", "u6", "u7", "u8", "u9"))) {
                sent.add(queued(store, batch));
            }
            open.countDown();
            gate.get(30, TimeUnit.SECONDS);
            sent.get(0).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> sent.get(1).get(30, TimeUnit.SECONDS)).hasRootCauseMessage("a scoring rule broke");
            sent.get(2).get(30, TimeUnit.SECONDS);

            long before = store.writerLoads();
            store.ingest(fine("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"));
            assertThat(store.writerLoads() - before)
                    .as("u1..u4 (written before the rejected batch in its group) and u5..u9 (after it) stay cached")
                    .isZero();

            store.ingest(fine("u0"));
            assertReplayGivesTheSameState(kind, store);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    @DisplayName("issue 18: the traits a rejected batch merged are not written, neither when it was alone nor"
            + " when it was rolled back to its savepoint in a group, not even by a later batch's write")
    void theTraitsOfARejectedBatchAreNeverWritten(String kind) throws Exception {
        try (SqlStore store = open(kind, dir)) {
            store.ingest(List.of(identify("u0", Map.of("plan", "free")), identify("u1", Map.of("plan", "free"))));
            // alone: the whole transaction rolls back
            assertThatThrownBy(() -> store.ingest(List.of(identify("u0", Map.of("plan", "gold")), poison("u0"))))
                    .hasMessage("a scoring rule broke");
            store.ingest(List.of(identify("u0", Map.of("city", "Oslo"))));
            // in a group: rolled back to its savepoint, the next batch of the group writes u1's traits too
            CompletableFuture<Void> gate =
                    CompletableFuture.runAsync(() -> store.ingest(List.of(call("gate", "Gate"))));
            assertThat(inWriter.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> rejected =
                    queued(store, List.of(identify("u1", Map.of("plan", "gold")), poison("u1")));
            CompletableFuture<Void> next = queued(store, List.of(identify("u1", Map.of("city", "Bergen"))));
            open.countDown();
            gate.get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> rejected.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("a scoring rule broke");
            next.get(30, TimeUnit.SECONDS);

            assertThat(store.profile("u0").orElseThrow().traits())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("plan", "free", "city", "Oslo"));
            assertThat(store.profile("u1").orElseThrow().traits())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("plan", "free", "city", "Bergen"));
        }
    }

    private SegmentCall identify(String user, Map<String, Object> traits) {
        ids++;
        return Calls.identify("m" + ids, user, null, Calls.T0.plusSeconds(ids), traits);
    }

    /** Sends {@code batch} on a thread of its own and returns once it waits in the writer's queue. */
    private static CompletableFuture<Void> queued(SqlStore store, List<SegmentCall> batch) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                store.ingest(batch);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        t.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        // a sender waits for its answer in slices (so that an erasure can turn it away): TIMED_WAITING
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("the sender queued its batch").isLessThan(deadline);
            Thread.sleep(1);
        }
        return done;
    }

    /** A new store of this kind: SQLite in {@code in}, or a fresh database on the test PostgreSQL server. */
    private SqlStore open(String kind, Path in) {
        if (kind.equals("sqlite")) return SqlStore.sqlite(in, pipeline());
        var server = PostgresServer.shared();
        if (!PostgresServer.required()) {
            Assumptions.assumeTrue(server.isPresent(), "PostgreSQL is not installed (apt-get install postgresql)");
        }
        return SqlStore.postgres(
                server.orElseThrow(() -> new IllegalStateException("CI must have PostgreSQL: .ci/run installs it"))
                        .newDatabase(),
                pipeline(),
                true);
    }

    private void assertReplayGivesTheSameState(String kind, SqlStore store) {
        try (SqlStore empty = open(kind, replayDir)) {
            Replay.Report report = Replay.run(store, empty, new PrintStream(OutputStream.nullOutputStream()));
            assertThat(report.differences())
                    .as("live state against a replay of its log")
                    .isEmpty();
            assertThat(report.live()).isEqualTo(report.replayed());
        }
    }

    /** The standard rules, a gate that holds the writer until the test has queued a group, and a rule that breaks. */
    private Pipeline pipeline() {
        ModelConfig config = ModelConfig.defaults();
        List<ScoringRule> rules = new ArrayList<>(StandardRules.all(config));
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
        return new Pipeline(new Engine(config, rules), SegmentMapping.standard("own"));
    }

    private List<SegmentCall> fine(String... users) {
        List<SegmentCall> calls = new ArrayList<>();
        for (String u : users) calls.add(call(u, "Fine"));
        return calls;
    }

    private SegmentCall poison(String user) {
        return call(user, "Poison");
    }

    private SegmentCall call(String user, String description) {
        ids++;
        return Calls.track(
                "m" + ids,
                user,
                null,
                "Order Completed",
                Calls.T0.plusSeconds(ids),
                Map.of("description", description, "revenue", 5));
    }
}
