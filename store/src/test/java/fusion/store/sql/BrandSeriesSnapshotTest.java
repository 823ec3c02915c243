package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.engine.Relationship;
import fusion.core.segment.SegmentMapping;
import fusion.store.BrandView;
import fusion.store.Calls;
import fusion.store.Pipeline;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile merge committed between two passes of a brand-series read: the read gives the series
 * of one committed state, before the merge or after it (the oracle, one pass over the ledger
 * table, computes both). Parties in passes of 1: the absorbed "aaa-cookie" is read in pass 1, the
 * survivor "zed" in pass 2, after the merge renamed the absorbed's rows. Found by review
 * (2026-12-07): with a snapshot per statement the absorbed pair's rows counted under both parties
 * (2 consumers, 3 events on the merge's day, against 2 and 2 before it or 1 and 2 after); it fails
 * again with SQLite's snapshot statement stepped to its end, or PostgreSQL read committed.
 */
class BrandSeriesSnapshotTest {
    @TempDir
    Path dir;

    private static Map<String, Object> order(double revenue) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("brand", "glitter");
        p.put("revenue", revenue);
        return p;
    }

    @SuppressWarnings("unchecked")
    private static <T> T field(Object o, String name) throws Exception {
        java.lang.reflect.Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return (T) f.get(o);
    }

    @Test
    void aMergeBetweenTwoPassesIsSeenWholeOrNotAtAll() throws Exception {
        Engine engine = new Engine(ModelConfig.defaults());
        Pipeline pipeline = new Pipeline(engine, SegmentMapping.standard("own"));
        Instant t0 = Calls.T0;
        Instant at = t0.plus(Duration.ofDays(1));
        int days = 3;
        try (SqlStore s = SqlStore.sqlite(dir, pipeline);
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            s.ingest(List.of(
                    Calls.track("e1", null, "aaa-cookie", "Order Completed", t0, order(50)),
                    Calls.track("e2", "zed", null, "Order Completed", t0.plusSeconds(10), order(70))));
            SnapshotOverlay<Relationship> published = field(s, "relationshipStates");
            RecentEntries pairMemory = field(s, "pairMemory");
            List<BrandView.Point> before = BrandSeriesOracle.series(c, engine, "glitter", at, days, p -> true);

            Map<String, PreparedStatement> kept = new HashMap<>();
            int[] calls = {0};
            boolean[] merge = {false};
            BrandSeriesReads.Statements statements = sql -> {
                // pass 2's first statement (the pair index's, asked a second time): the merge commits just before it
                if (merge[0] && sql.contains("pair_seqs") && ++calls[0] == 2) {
                    s.ingest(List.of(Calls.identify("e3", "zed", "aaa-cookie", t0.plusSeconds(20), Map.of())));
                }
                PreparedStatement ps = kept.get(sql);
                if (ps == null) {
                    ps = c.prepareStatement(sql);
                    kept.put(sql, ps);
                }
                return ps;
            };
            int pass = BrandSeriesReads.partiesPerPass;
            BrandSeriesReads.partiesPerPass = 1;
            try {
                BrandSeries quiet = new BrandSeries(engine, at, days);
                new BrandSeriesReads(c, Dialect.SQLITE, published, pairMemory, statements)
                        .feed(quiet, "glitter", p -> true);
                assertThat(quiet.points()).as("without a merge meanwhile").isEqualTo(before);

                merge[0] = true;
                BrandSeries series = new BrandSeries(engine, at, days);
                new BrandSeriesReads(c, Dialect.SQLITE, published, pairMemory, statements)
                        .feed(series, "glitter", p -> true);
                List<BrandView.Point> after = BrandSeriesOracle.series(c, engine, "glitter", at, days, p -> true);
                assertThat(calls[0]).as("the merge ran during the read").isEqualTo(2);
                assertThat(s.profile("aaa-cookie").orElseThrow().id()).isEqualTo("zed");
                assertThat(series.points())
                        .as("the series of the state before or after the merge")
                        .isIn(before, after);
            } finally {
                BrandSeriesReads.partiesPerPass = pass;
                for (PreparedStatement ps : kept.values()) ps.close();
            }
        }
    }

    @Test
    void onPostgresqlAMergeBetweenTwoPassesIsSeenWholeOrNotAtAll() throws Exception {
        Engine engine = new Engine(ModelConfig.defaults());
        Pipeline pipeline = new Pipeline(engine, SegmentMapping.standard("own"));
        Instant t0 = Calls.T0;
        Instant at = t0.plus(Duration.ofDays(1));
        int days = 3;
        StoreUrl url = TestDatabases.fresh();
        try (SqlStore s = SqlStore.postgres(url, pipeline, true);
                Connection c = plain(url)) {
            s.ingest(List.of(
                    Calls.track("e1", null, "aaa-cookie", "Order Completed", t0, order(50)),
                    Calls.track("e2", "zed", null, "Order Completed", t0.plusSeconds(10), order(70))));
            SnapshotOverlay<Relationship> published = null;
            RecentEntries pairMemory = new RecentEntries(true);
            List<BrandView.Point> before = BrandSeriesOracle.series(c, engine, "glitter", at, days, p -> true);

            Map<String, PreparedStatement> kept = new HashMap<>();
            int[] calls = {0};
            boolean[] merge = {false};
            BrandSeriesReads.Statements statements = sql -> {
                // pass 2's statement (the pair index's, asked a second time): the merge commits just before it
                if (merge[0] && sql.contains("ANY(") && ++calls[0] == 2) {
                    s.ingest(List.of(Calls.identify("e3", "zed", "aaa-cookie", t0.plusSeconds(20), Map.of())));
                }
                PreparedStatement ps = kept.get(sql);
                if (ps == null) {
                    ps = c.prepareStatement(sql);
                    kept.put(sql, ps);
                }
                return ps;
            };
            int pass = BrandSeriesReads.partiesPerPass;
            BrandSeriesReads.partiesPerPass = 1;
            try {
                BrandSeries quiet = new BrandSeries(engine, at, days);
                new BrandSeriesReads(c, Dialect.POSTGRESQL, published, pairMemory, statements)
                        .feed(quiet, "glitter", p -> true);
                assertThat(quiet.points()).as("without a merge meanwhile").isEqualTo(before);

                merge[0] = true;
                BrandSeries series = new BrandSeries(engine, at, days);
                new BrandSeriesReads(c, Dialect.POSTGRESQL, published, pairMemory, statements)
                        .feed(series, "glitter", p -> true);
                List<BrandView.Point> after = BrandSeriesOracle.series(c, engine, "glitter", at, days, p -> true);
                assertThat(calls[0]).as("the merge ran during the read").isEqualTo(2);
                assertThat(s.profile("aaa-cookie").orElseThrow().id()).isEqualTo("zed");
                assertThat(series.points())
                        .as("the series of the state before or after the merge")
                        .isIn(before, after);
            } finally {
                BrandSeriesReads.partiesPerPass = pass;
                for (PreparedStatement ps : kept.values()) ps.close();
            }
        }
    }

    private static Connection plain(StoreUrl url) throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        if (url.user() != null) p.setProperty("user", url.user());
        if (url.password() != null) p.setProperty("password", url.password());
        return DriverManager.getConnection(
                "jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database(), p);
    }
}
