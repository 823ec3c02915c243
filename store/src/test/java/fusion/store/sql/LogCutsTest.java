package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pending log cuts of cluster-mode erasures, as two ingest servers sharing PostgreSQL see them. */
class LogCutsTest {
    private static PostgresServer pg;

    @BeforeAll
    static void start() {
        var maybe = PostgresServer.shared();
        if (!PostgresServer.required()) Assumptions.assumeTrue(maybe.isPresent(), "PostgreSQL is not installed");
        pg = maybe.orElseThrow();
    }

    private static StoreUrl migrated() {
        StoreUrl url = pg.newDatabase();
        SqlStore.migrate(url);
        return url;
    }

    @Test
    @DisplayName("issue 14 leftovers item 1: while one server works on a pending cut, a second server's claim of it "
            + "returns at once without running its work, and then sees what the first one wrote")
    void aClaimedCutIsSkippedByTheOtherServer() throws Exception {
        StoreUrl url = migrated();
        Instant asked = Instant.parse("2026-03-01T12:00:00Z");
        try (LogCuts a = new LogCuts(url);
                LogCuts b = new LogCuts(url)) {
            a.add(LogCuts.Row.asked("erase-1", "t", 1, 41, asked, "admin"));
            CountDownLatch claimed = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<LogCuts.Row> first = CompletableFuture.supplyAsync(() -> a.claim("erase-1", row -> {
                claimed.countDown();
                try {
                    assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return row.withLastOffsets(Map.of(0, 7L, 1, 41L));
            }));
            assertThat(claimed.await(60, TimeUnit.SECONDS)).isTrue();

            AtomicBoolean ran = new AtomicBoolean();
            LogCuts.Row second = b.claim("erase-1", row -> {
                ran.set(true);
                return row;
            });

            assertThat(second).as("the second server's claim").isNull();
            assertThat(ran).as("the second server's work ran").isFalse();
            release.countDown();
            assertThat(first.get(60, TimeUnit.SECONDS).lastOffsets()).isEqualTo(Map.of(0, 7L, 1, 41L));
            assertThat(b.pendingRows("t")).singleElement().satisfies(r -> {
                assertThat(r.lastOffsets()).isEqualTo(Map.of(0, 7L, 1, 41L));
                assertThat(r.partition()).isEqualTo(1);
                assertThat(r.commandOffset()).isEqualTo(41);
                assertThat(r.requested()).isEqualTo(asked);
            });
        }
    }

    @Test
    @DisplayName("issue 14 leftovers item 1: a cut done leaves the pending count and is listed after the ones before "
            + "it; a done cut cannot be claimed again")
    void aDoneCutIsListedAndNotClaimedAgain() {
        StoreUrl url = migrated();
        Instant t0 = Instant.parse("2026-03-01T12:00:00Z");
        try (LogCuts cuts = new LogCuts(url)) {
            cuts.add(LogCuts.Row.asked("erase-1", "t", 0, 3, t0, "admin"));
            cuts.add(LogCuts.Row.asked("erase-2", "t", 0, 9, t0.plusSeconds(1), "admin"));
            cuts.add(LogCuts.Row.asked("erase-3", "other", 0, 9, t0, "admin"));
            assertThat(cuts.pending("t")).isEqualTo(2);

            cuts.claim("erase-2", r -> r.withLastOffsets(Map.of(0, 9L)).withCut(Map.of(0, 10L), t0.plusSeconds(5)));

            assertThat(cuts.pending("t")).isEqualTo(1);
            assertThat(cuts.oldestPending("t")).contains(t0);
            assertThat(cuts.oldestPending("none")).isEmpty();
            assertThat(cuts.list("t", 10)).extracting(LogCuts.Row::erasure).containsExactly("erase-2", "erase-1");
            assertThat(cuts.list("t", 10).get(0).cut()).isEqualTo(Map.of(0, 10L));
            assertThat(cuts.list("t", 10).get(0).done()).isEqualTo(t0.plusSeconds(5));
            assertThat(cuts.claim("erase-2", r -> {
                        throw new AssertionError("a done cut was claimed");
                    }))
                    .isNull();
        }
    }

    @Test
    @DisplayName("CI of stop 18: an erasure that becomes done while the list is read is listed, done or pending, "
            + "never missing (the list read the done cuts and the pending ones in two statements)")
    void aCutFinishingDuringTheListIsListed() throws Exception {
        StoreUrl url = migrated();
        Instant t0 = Instant.parse("2026-03-01T12:00:00Z");
        try (LogCuts cuts = new LogCuts(url);
                java.sql.Connection flip = java.sql.DriverManager.getConnection(url.jdbc(), url.properties())) {
            cuts.add(LogCuts.Row.asked("erase-1", "t", 0, 3, t0, "admin"));
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Integer> flips = CompletableFuture.supplyAsync(() -> {
                int n = 0;
                try (var done = flip.prepareStatement("UPDATE log_cuts SET done = 1 WHERE erasure = 'erase-1'");
                        var again =
                                flip.prepareStatement("UPDATE log_cuts SET done = NULL WHERE erasure = 'erase-1'")) {
                    while (!stop.get()) {
                        done.executeUpdate();
                        again.executeUpdate();
                        n++;
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                return n;
            });
            try {
                for (int i = 0; i < 2_000; i++) {
                    assertThat(cuts.list("t", 10))
                            .as("list %d", i)
                            .extracting(LogCuts.Row::erasure)
                            .containsExactly("erase-1");
                }
            } finally {
                stop.set(true);
            }
            assertThat(flips.get(60, TimeUnit.SECONDS)).as("flips of the cut").isPositive();
        }
    }
}
