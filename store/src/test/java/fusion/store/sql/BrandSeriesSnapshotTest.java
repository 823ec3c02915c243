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

    private final Engine engine = new Engine(ModelConfig.defaults());
    private final Pipeline pipeline = new Pipeline(engine, SegmentMapping.standard("own"));

    @Test
    void aMergeBetweenTwoPassesIsSeenWholeOrNotAtAll() throws Exception {
        double share = BrandSeriesReads.scanShare;
        BrandSeriesReads.scanShare = 2; // every pass through the pair index
        try (SqlStore s = SqlStore.sqlite(dir, pipeline);
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            mergeDuringARead(s, c, Dialect.SQLITE, field(s, "relationshipStates"), field(s, "pairMemory"), "pair_seqs");
        } finally {
            BrandSeriesReads.scanShare = share;
        }
    }

    @Test
    void aMergeBetweenTwoScanningPassesIsSeenWholeOrNotAtAll() throws Exception {
        double share = BrandSeriesReads.scanShare;
        BrandSeriesReads.scanShare = 0; // every pass scans the ledger
        try (SqlStore s = SqlStore.sqlite(dir, pipeline);
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            mergeDuringARead(
                    s, c, Dialect.SQLITE, field(s, "relationshipStates"), field(s, "pairMemory"), "WHERE +brand = ?");
        } finally {
            BrandSeriesReads.scanShare = share;
        }
    }

    @Test
    void onPostgresqlAMergeBetweenTwoPassesIsSeenWholeOrNotAtAll() throws Exception {
        StoreUrl url = TestDatabases.fresh();
        try (SqlStore s = SqlStore.postgres(url, pipeline, true);
                Connection c = BrandSeriesTest.plain(url)) {
            mergeDuringARead(s, c, Dialect.POSTGRESQL, null, new RecentEntries(true), "ANY(");
        }
    }

    /**
     * Two people with a pair of glitter each, read one party a pass; the second time a statement
     * containing {@code passStatement} (a pass's first) is prepared, "zed" absorbs "aaa-cookie".
     */
    private void mergeDuringARead(
            SqlStore s,
            Connection c,
            Dialect dialect,
            SnapshotOverlay<Relationship> published,
            RecentEntries pairMemory,
            String passStatement)
            throws Exception {
        Instant t0 = Calls.T0;
        Instant at = t0.plus(Duration.ofDays(1));
        int days = 3;
        s.ingest(List.of(
                Calls.track("e1", null, "aaa-cookie", "Order Completed", t0, order(50)),
                Calls.track("e2", "zed", null, "Order Completed", t0.plusSeconds(10), order(70))));
        List<BrandView.Point> before = BrandSeriesOracle.series(c, engine, "glitter", at, days, p -> true);
        Map<String, PreparedStatement> kept = new HashMap<>();
        int[] passes = {0};
        boolean[] merge = {false};
        BrandSeriesReads.Statements statements = sql -> {
            if (merge[0] && sql.contains(passStatement) && ++passes[0] == 2) {
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
            new BrandSeriesReads(c, dialect, published, pairMemory, statements).feed(quiet, "glitter", p -> true);
            assertThat(quiet.points()).as("without a merge meanwhile").isEqualTo(before);

            merge[0] = true;
            BrandSeries series = new BrandSeries(engine, at, days);
            new BrandSeriesReads(c, dialect, published, pairMemory, statements).feed(series, "glitter", p -> true);
            List<BrandView.Point> after = BrandSeriesOracle.series(c, engine, "glitter", at, days, p -> true);
            assertThat(passes[0]).as("the merge ran during the read").isEqualTo(2);
            assertThat(s.profile("aaa-cookie").orElseThrow().id()).isEqualTo("zed");
            assertThat(after).as("the merge changed the series").isNotEqualTo(before);
            assertThat(series.points())
                    .as("the series of the state before or after the merge")
                    .isIn(before, after);
        } finally {
            BrandSeriesReads.partiesPerPass = pass;
            for (PreparedStatement ps : kept.values()) ps.close();
        }
    }
}
