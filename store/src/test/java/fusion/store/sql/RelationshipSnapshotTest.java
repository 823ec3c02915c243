package fusion.store.sql;

import static fusion.store.Calls.T0;
import static fusion.store.Calls.track;
import static fusion.store.sql.DbRows.one;
import static fusion.store.sql.DbRows.rows;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Calls;
import fusion.store.LedgerView;
import fusion.store.Pipeline;
import fusion.store.RelationshipView;
import fusion.store.Replay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relationships table is written in snapshots on SQLite (schema v12, {@link
 * SnapshotOverlay}): committed states wait in memory, a start after a crash rebuilds them from
 * the ledger rows after the table's mark, a state no ledger row carries is written with its
 * commit, and a read sees the states of exactly the commits its SQL snapshot holds. The crash
 * test also covers the profiles' activity, written in the same snapshots (schema v14, {@link
 * ProfileActivity}): a start adds the log's rows after its mark.
 */
class RelationshipSnapshotTest {
    @TempDir
    Path dir;

    private static Pipeline pipeline() {
        return new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
    }

    /** States never written by the size bound during a test: only at a state no ledger row carries, or a close. */
    private static final StoreSettings WAITING = StoreSettings.defaults().withRelationshipSnapshot(10_000_000);

    /**
     * A crash with states waiting: the store's files are copied while it is open and idle (what
     * a kill -9 between two commits leaves), and the copy is opened. Its start must write the
     * ledger's newest state of each pair after the mark into the table, so that the copy equals
     * the store it was taken from (whose digest writes the waiting states first) and a replay of
     * its log into an empty store, table by table. Random traffic of people who merge, with
     * public mentions that associate co-parties (states no ledger row carries).
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void aStartAfterACrashWritesTheWaitingStatesFromTheLedger(long seed) throws Exception {
        Path live = dir.resolve("live"), crashed = dir.resolve("crashed"), replayed = dir.resolve("replayed");
        List<SegmentCall> traffic = Calls.random(seed, 1_200);
        try (SqlStore s = SqlStore.sqlite(live, pipeline(), WAITING)) {
            for (int i = 0; i < traffic.size(); i += 40) s.ingest(traffic.subList(i, i + 40));
            Files.createDirectories(crashed);
            for (String f : List.of("fusion.db", "fusion.db-wal")) {
                Files.copy(live.resolve(f), crashed.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + crashed.resolve("fusion.db"))) {
                assertThat(mark(c))
                        .as("states were waiting at the crash: the ledger goes past the table's mark")
                        .isLessThan(one(c, "SELECT MAX(seq) FROM ledger"));
                assertThat(one(c, "SELECT through FROM index_marks WHERE name = 'activity'"))
                        .as("and the profiles' activity (schema v14) behind the log")
                        .isLessThan(one(c, "SELECT MAX(seq) FROM events"));
            }
            try (SqlStore again = SqlStore.sqlite(crashed, pipeline(), WAITING);
                    SqlStore empty = SqlStore.sqlite(replayed, pipeline())) {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + crashed.resolve("fusion.db"))) {
                    assertThat(mark(c))
                            .as("the start moved the mark to the ledger's end")
                            .isEqualTo(one(c, "SELECT MAX(seq) FROM ledger"));
                }
                assertThat(again.digest().differences(s.digest()))
                        .as("the recovered store equals the one it was copied from")
                        .isEmpty();
                Replay.Report report = Replay.run(again, empty, new PrintStream(new ByteArrayOutputStream()));
                assertThat(report.differences()).as("and a replay of its log").isEmpty();
            }
        }
    }

    /**
     * A public mention ties its party to the co-party brand: an association-only state that no
     * ledger row carries. Its commit writes the table and moves the mark to the ledger's end, or a
     * crash would lose it. Worked by hand: the mention's own pair gets an entry, the co-party's
     * pair none, and both rows are in the table as soon as the call is acknowledged.
     */
    @Test
    void aStateNoLedgerRowCarriesIsWrittenWithItsCommit() throws Exception {
        try (SqlStore s = SqlStore.sqlite(dir, pipeline(), WAITING)) {
            s.ingest(List.of(
                    track("a1", "ana", null, "Order Completed", T0, Map.of("brand", "glitter", "revenue", 10))));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
                assertThat(one(c, "SELECT COUNT(*) FROM relationships"))
                        .as("a ledgered state waits")
                        .isZero();
                assertThat(mark(c)).isZero();
            }
            s.ingest(List.of(track(
                    "a2",
                    "ana",
                    null,
                    "Brand Mentioned",
                    T0.plusSeconds(60),
                    Map.of("brand", "glitter", "reach", 50_000, "co_parties", List.of("sparkle")))));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
                assertThat(one(c, "SELECT COUNT(*) FROM ledger"))
                        .as("an entry per mention of glitter, none for sparkle")
                        .isEqualTo(2);
                assertThat(mark(c)).as("the commit moved the mark").isEqualTo(2);
                assertThat(rows(c, "SELECT party || '/' || brand || '/' || events FROM relationships ORDER BY brand"))
                        .containsExactly("ana/glitter/2", "ana/sparkle/0");
            }
        }
    }

    /**
     * Reads racing commits see one state: for every pair a read returns, the newest ledger entry
     * it shows is the state's own last change (no merges and no co-parties here, so every change
     * of a state is a ledger entry, made at the state's instant). A read that took a state its
     * snapshot does not hold, or missed one it does, shows them apart.
     */
    @Test
    void aReadShowsTheStateOfTheNewestLedgerEntryItShows() throws Exception {
        try (SqlStore s =
                SqlStore.sqlite(dir, pipeline(), StoreSettings.defaults().withRelationshipSnapshot(10))) {
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Long> reader = pool.submit(() -> {
                    long checked = 0;
                    Instant at = T0.plus(Duration.ofDays(400));
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    while (writing.get()) {
                        for (int p = 0; p < 4; p++) {
                            List<RelationshipView> read = s.relationships("p" + p, at, 1);
                            java.util.Set<String> now = new java.util.HashSet<>();
                            read.forEach(r -> now.add(r.party() + "/" + r.brand()));
                            for (String pair : seen) {
                                if (pair.startsWith("p" + p + "/")) {
                                    assertThat(now)
                                            .as("a pair once read is read again")
                                            .contains(pair);
                                }
                            }
                            seen.addAll(now);
                            for (RelationshipView r : read) {
                                if (r.ledger().isEmpty()) continue;
                                LedgerView newest = r.ledger().get(0);
                                assertThat(newest.time())
                                        .as(
                                                "%s/%s: the newest entry shown is the state's last change",
                                                r.party(), r.brand())
                                        .isEqualTo(r.lastEvent());
                                checked++;
                            }
                        }
                    }
                    return checked;
                });
                String[] brands = {"glitter", "sparkle", "shine"};
                for (int b = 0; b < 400; b++) {
                    List<SegmentCall> batch = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        Instant t = T0.plusSeconds(b * 100L + i);
                        batch.add(track(
                                "e" + b + "-" + i,
                                "p" + (i % 4),
                                null,
                                i % 3 == 0 ? "Support Ticket Escalated" : "Order Completed",
                                t,
                                Map.of("brand", brands[(b + i) % 3], "revenue", i)));
                    }
                    s.ingest(batch);
                }
                writing.set(false);
                assertThat(reader.get())
                        .as("pairs checked while batches were committed")
                        .isGreaterThan(100);
            } finally {
                writing.set(false);
                pool.shutdownNow();
            }
        }
    }

    private static long mark(Connection c) throws Exception {
        return one(c, "SELECT through FROM index_marks WHERE name = 'relationships'");
    }
}
