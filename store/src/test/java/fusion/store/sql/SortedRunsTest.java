package fusion.store.sql;

import static fusion.store.sql.SortedRunsCheck.assertIndexesMatchTheLog;
import static fusion.store.sql.SortedRunsCheck.rows;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Calls;
import fusion.store.LedgerView;
import fusion.store.Pipeline;
import fusion.store.TimelineItem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18: the log's per-profile index and the ledger's pair index as sorted runs. Reads through
 * the runs are compared with the same reads done by scanning the log (the second method), at every
 * step of random traffic with merges and erasures, with runs small enough that the recent table
 * moves, and runs merge, every few batches.
 */
class SortedRunsTest {
    private static final Pipeline PIPELINE =
            new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));

    @TempDir
    Path root;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    @DisplayName("issue 18: timelines and ledgers read through sorted runs equal the same reads by scanning the "
            + "log, whatever the moves, merges, identity merges and erasures did")
    void readsThroughRunsEqualReadsOfTheLog(long seed) throws Exception {
        Random r = new Random(seed);
        int run = 2 + r.nextInt(8);
        Path dir = root.resolve("s" + seed);
        List<SegmentCall> calls = Calls.random(seed, 700);
        StoreSettings settings = StoreSettings.defaults().withIndexRun(run);
        SqlStore s = SqlStore.sqlite(dir, PIPELINE, settings);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            int erased = 0, reopened = 0, inMemory = 0;
            Random reopen = new Random(seed * 31);
            for (int i = 0; i < calls.size(); ) {
                int n = 1 + r.nextInt(40);
                s.ingest(calls.subList(i, Math.min(calls.size(), i + n)));
                i += n;
                if (r.nextInt(12) == 0) {
                    List<String> profiles = rows(c, "SELECT DISTINCT profile FROM events ORDER BY profile");
                    s.erase(profiles.get(r.nextInt(profiles.size())), "token:test", quiet());
                    erased++;
                }
                if (reopen.nextInt(10) == 0) {
                    // the entries kept in memory are gone with the store: a start rebuilds them from the log
                    s.close();
                    s = SqlStore.sqlite(dir, PIPELINE, settings);
                    reopened++;
                }
                assertIndexesMatchTheLog(c);
                assertIndexesMatchTheLog(s, c);
                assertReadsMatchTheLog(s, c, r);
                if (s.keepsIndexEntriesInMemory()) inMemory++;
            }
            assertThat(erased).as("the seed erased someone").isPositive();
            assertThat(reopened).as("the seed reopened the store").isPositive();
            assertThat(inMemory).as("reads found entries kept in memory only").isPositive();
            assertThat(rows(c, "SELECT COUNT(*) FROM index_runs").get(0))
                    .as("runs were made")
                    .isNotEqualTo("0");
            s.settleIndexes();
            assertIndexesMatchTheLog(c);
            assertIndexesMatchTheLog(s, c);
            assertReadsMatchTheLog(s, c, r);
            assertThat(rows(
                            c,
                            "SELECT name, level FROM index_runs WHERE level < " + SortedRuns.MIGRATED
                                    + " GROUP BY name, level HAVING COUNT(*) >= " + SortedRuns.FANOUT))
                    .as("settled: no level holds " + SortedRuns.FANOUT + " runs")
                    .isEmpty();
            assertThat(rows(c, "SELECT run FROM index_runs WHERE merging_into IS NOT NULL"))
                    .as("settled: no merge is under way")
                    .isEmpty();
        } finally {
            s.close();
        }
    }

    @Test
    @DisplayName("issue 18: runs merge eight at a time, so 2,000 events in runs of 10 settle as 200 in base 8: "
            + "three runs of level 2 and one of level 1, and a read seeks four runs")
    void levelsBoundTheRunsARead() throws Exception {
        Path dir = root.resolve("levels");
        try (SqlStore s =
                        SqlStore.sqlite(dir, PIPELINE, StoreSettings.defaults().withIndexRun(10));
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            List<SegmentCall> calls = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                calls.add(Calls.track(
                        "e" + i,
                        "u" + (i * 7919 % 97),
                        null,
                        "Product Viewed",
                        Calls.T0.plusSeconds(i),
                        java.util.Map.of("brand", "glitter")));
            }
            for (int i = 0; i < calls.size(); i += 10) s.ingest(calls.subList(i, i + 10));
            s.settleIndexes();
            assertIndexesMatchTheLog(c);
            // worked out by hand: 2,000 entries are 200 moves of 10, and eight runs of a level make
            // one of the next, so the runs settle like 200 written in base 8: 3*64 + 1*8 + 0*1,
            // three runs of level 2 (640 entries each) and one of level 1 (80)
            assertThat(rows(
                            c,
                            "SELECT level, COUNT(*), SUM(entries) FROM index_runs "
                                    + "WHERE name = 'profile' GROUP BY level ORDER BY level"))
                    .containsExactly("1|1|80", "2|3|1920");
            assertThat(rows(c, "SELECT SUM(entries) FROM index_runs WHERE name = 'profile'"))
                    .containsExactly("2000");
            assertThat(rows(c, "SELECT COUNT(*) FROM profile_index"))
                    .as("every entry moved out of the recent table")
                    .containsExactly("2000");
        }
    }

    @Test
    @DisplayName("issue 18: after an erasure of the newest events their numbers are given again, and the mark "
            + "does not claim the new events' entries, which are in memory only: a restart still finds them")
    void anErasureOfTheNewestEventsLowersTheMark() throws Exception {
        Path dir = root.resolve("reuse");
        StoreSettings settings = StoreSettings.defaults().withIndexRun(1000);
        List<SegmentCall> first = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            first.add(Calls.track(
                    "a" + i,
                    "alice",
                    null,
                    "Product Viewed",
                    Calls.T0.plusSeconds(i),
                    java.util.Map.of("brand", "glitter")));
        }
        // bob's events are the newest and reach no one else: the erasure deletes them in place
        for (int i = 0; i < 3; i++) {
            first.add(Calls.identify(
                    "b" + i, "bob", null, Calls.T0.plusSeconds(10 + i), java.util.Map.of("plan", "p" + i)));
        }
        try (SqlStore s = SqlStore.sqlite(dir, PIPELINE, settings)) {
            s.ingest(first);
            s.erase("bob", "token:test", quiet());
            s.ingest(List.of(
                    Calls.track(
                            "a6",
                            "alice",
                            null,
                            "Product Viewed",
                            Calls.T0.plusSeconds(20),
                            java.util.Map.of("brand", "glitter")),
                    Calls.track(
                            "a7",
                            "alice",
                            null,
                            "Product Viewed",
                            Calls.T0.plusSeconds(21),
                            java.util.Map.of("brand", "glitter"))));
        }
        try (SqlStore s = SqlStore.sqlite(dir, PIPELINE, settings);
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            assertThat(rows(c, "SELECT MAX(seq) FROM events"))
                    .as("bob's numbers were given again")
                    .containsExactly("8");
            assertIndexesMatchTheLog(c);
            assertIndexesMatchTheLog(s, c);
            assertThat(s.timeline("alice", 20)).hasSize(8);
        }
    }

    @Test
    @DisplayName("issue 18: ids with quotes, backslashes, control characters and characters outside the BMP "
            + "reach the runs from memory intact")
    void oddIdsReachTheRunsIntact() throws Exception {
        Path dir = root.resolve("odd");
        List<String> people =
                List.of("q\"uote", "back\\slash", "new\nline\ttab", "caf\u00e9", "emoji\uD83D\uDE00", "u1");
        try (SqlStore s =
                        SqlStore.sqlite(dir, PIPELINE, StoreSettings.defaults().withIndexRun(3));
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            List<SegmentCall> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                calls.add(Calls.track(
                        "odd" + i,
                        people.get(i % people.size()),
                        null,
                        "Product Viewed",
                        Calls.T0.plusSeconds(i),
                        java.util.Map.of("brand", i % 2 == 0 ? "gl\"itter" : "brew\uD83D\uDE00line")));
            }
            for (int i = 0; i < calls.size(); i += 4) s.ingest(calls.subList(i, i + 4));
            s.settleIndexes();
            assertIndexesMatchTheLog(c);
            assertIndexesMatchTheLog(s, c);
            assertThat(rows(c, "SELECT COUNT(*) FROM profile_index")).containsExactly("60");
            assertReadsMatchTheLog(s, c, new Random(1));
        }
    }

    @Test
    @DisplayName("issue 18: a person's events are found by seeking each run, not by scanning the index (SQLite's "
            + "query plan)")
    void aReadSeeksEachRun() throws Exception {
        Path dir = root.resolve("plan");
        try (SqlStore s =
                        SqlStore.sqlite(dir, PIPELINE, StoreSettings.defaults().withIndexRun(3));
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            s.ingest(Calls.random(7, 50));
            String plan =
                    String.join("\n", rows(c, "EXPLAIN QUERY PLAN SELECT seq FROM profile_seqs WHERE profile = 'x'"));
            assertThat(plan)
                    .contains("SEARCH profile_index USING PRIMARY KEY (run=? AND profile=?)")
                    .contains("SEARCH profile_index_recent USING PRIMARY KEY (profile=?)")
                    .doesNotContain("SCAN profile_index");
            String pairs = String.join(
                    "\n", rows(c, "EXPLAIN QUERY PLAN SELECT seq FROM pair_seqs WHERE party = 'x' AND brand = 'y'"));
            assertThat(pairs)
                    .contains("SEARCH pair_index USING PRIMARY KEY (run=? AND party=? AND brand=?)")
                    .doesNotContain("SCAN pair_index");
            // every relationships read asks its snapshot's newest rows: a seek to each table's end, never a scan
            String newest = String.join("\n", rows(c, "EXPLAIN QUERY PLAN " + Queries.NEWEST_ROWS));
            assertThat(newest).doesNotContain("SCAN events").doesNotContain("SCAN ledger");
            // rows whose entries are in memory: looked up by seq, never through an index of their owner
            for (String byseqs : List.of(Queries.LEDGER_BY_SEQS, Queries.TIMELINE_BY_SEQS, Queries.EVENTS_BY_SEQS)) {
                String p = String.join("\n", rows(c, "EXPLAIN QUERY PLAN " + byseqs.replace("?", "'1'")));
                assertThat(p)
                        .as(byseqs)
                        .contains("INTEGER PRIMARY KEY (rowid=?)")
                        .doesNotContain("USING INDEX");
            }
        }
    }

    /** Each profile's timeline and each pair's ledger page, against the same read done by scanning the log. */
    private static void assertReadsMatchTheLog(SqlStore s, Connection c, Random r) throws Exception {
        for (String profile : rows(c, "SELECT DISTINCT profile FROM events")) {
            int limit = 1 + r.nextInt(12);
            List<Long> expected = longs(
                    c,
                    "SELECT seq FROM events WHERE profile = ? ORDER BY event_time DESC, seq DESC LIMIT " + limit,
                    profile);
            assertThat(s.timeline(profile, limit).stream()
                            .map(TimelineItem::seq)
                            .toList())
                    .as("timeline of " + profile)
                    .isEqualTo(expected);
            List<Long> all = new ArrayList<>();
            s.forEachEventOf(profile, (seq, call) -> all.add(seq));
            assertThat(all)
                    .as("events of " + profile)
                    .isEqualTo(longs(c, "SELECT seq FROM events WHERE profile = ? ORDER BY seq", profile));
        }
        for (String pair : rows(c, "SELECT DISTINCT party || '|' || brand FROM ledger")) {
            String[] pb = pair.split("\\|");
            int limit = 1 + r.nextInt(8);
            List<Long> expected = longs(
                    c,
                    "SELECT seq FROM ledger WHERE party = ? AND brand = ? ORDER BY seq DESC LIMIT " + limit,
                    pb[0],
                    pb[1]);
            assertThat(s.ledger(pb[0], pb[1], limit).stream()
                            .map(LedgerView::seq)
                            .toList())
                    .as("ledger of " + pair)
                    .isEqualTo(expected);
        }
    }

    private static List<Long> longs(Connection c, String sql, String... args) throws Exception {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true);
    }
}
