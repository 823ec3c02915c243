package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Calls;
import fusion.store.Pipeline;
import fusion.store.StoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, schema v15: a brand's series reads each pair's ledger through the pair index. The
 * store contract checks it on SQLite with runs of 3 entries, where upkeep moves almost every
 * entry into the tables at once; here the store has its default settings, so the newest entries'
 * index and the newest pairs wait in the writer's memory (runs of 100,000, snapshots at 50,000
 * pairs), and after a reopen the entries after the marks are back in memory. Both stores also
 * read with passes and fetches small enough to cross their bounds.
 */
class BrandSeriesTest {
    @TempDir
    Path dir;

    @Test
    void theSeriesFindsThePairsAndEntriesThatWaitInMemory() throws Exception {
        Pipeline pipeline = new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
        try (SqlStore s = SqlStore.sqlite(dir, pipeline);
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            for (List<SegmentCall> batch : Calls.forBrandSeries(31)) s.ingest(batch);
            // the last batch merges nobody, so nothing moves its entries into the tables (runs of 100,000)
            assertThat(DbRows.one(c, "SELECT COUNT(*) FROM ledger")
                            - DbRows.one(c, "SELECT COUNT(*) FROM pair_index_recent")
                            - DbRows.one(c, "SELECT COUNT(*) FROM pair_index"))
                    .as("ledger entries whose index entry is in memory only")
                    .isPositive();
            // a merge's commit writes every waiting state and restarts the 5 s clock; the batches after the
            // last one take milliseconds, and the newcomer's pair is made in the very last
            assertThat(DbRows.one(
                            c,
                            "SELECT COUNT(*) FROM relationships WHERE party = "
                                    + "(SELECT profile FROM identities WHERE identity = 'user:newcomer')"))
                    .as("the newcomer's pair waits in memory for a snapshot")
                    .isZero();
            assertThat(StoreContract.seriesAgainstOnePass(s, c)).isPositive();
        }
        try (SqlStore s = SqlStore.sqlite(dir, pipeline);
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            assertThat(StoreContract.seriesAgainstOnePass(s, c)).isPositive();
            withSmallPasses(
                    () -> assertThat(StoreContract.seriesAgainstOnePass(s, c)).isPositive());
            for (double share : new double[] {0, 2}) { // every pass scans the ledger; none does
                withScanShare(
                        share,
                        () -> assertThat(StoreContract.seriesAgainstOnePass(s, c))
                                .isPositive());
                withScanShare(
                        share,
                        () -> withSmallPasses(() -> assertThat(StoreContract.seriesAgainstOnePass(s, c))
                                .isPositive()));
            }
        }
    }

    /** Passes of the pair index, or scans, whatever share of the ledger their pairs hold. */
    private static void withScanShare(double share, Check check) throws Exception {
        double before = BrandSeriesReads.scanShare;
        try {
            BrandSeriesReads.scanShare = share;
            check.run();
        } finally {
            BrandSeriesReads.scanShare = before;
        }
    }

    @Test
    void onPostgresqlTheSeriesReadsThePairsOfManyPartiesAStatement() throws Exception {
        Pipeline pipeline = new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
        StoreUrl url = TestDatabases.fresh();
        try (SqlStore s = SqlStore.postgres(url, pipeline, true);
                Connection c = plain(url)) {
            for (List<SegmentCall> batch : Calls.forBrandSeries(37)) s.ingest(batch);
            assertThat(StoreContract.seriesAgainstOnePass(s, c)).isPositive();
            withSmallPasses(
                    () -> assertThat(StoreContract.seriesAgainstOnePass(s, c)).isPositive());
        }
    }

    static Connection plain(StoreUrl url) throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        if (url.user() != null) p.setProperty("user", url.user());
        if (url.password() != null) p.setProperty("password", url.password());
        return DriverManager.getConnection(
                "jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database(), p);
    }

    interface Check {
        void run() throws Exception;
    }

    /**
     * Passes of 7 parties, fetches of 11 rows, then passes of about 40 rows: every bound crossed
     * many times.
     */
    private static void withSmallPasses(Check check) throws Exception {
        int parties = BrandSeriesReads.partiesPerPass, rows = BrandSeriesReads.seqsPerFetch;
        long passRows = BrandSeriesReads.rowsPerPass;
        try {
            BrandSeriesReads.partiesPerPass = 7;
            BrandSeriesReads.seqsPerFetch = 11;
            check.run();
            BrandSeriesReads.partiesPerPass = parties;
            BrandSeriesReads.rowsPerPass = 40;
            check.run();
        } finally {
            BrandSeriesReads.partiesPerPass = parties;
            BrandSeriesReads.seqsPerFetch = rows;
            BrandSeriesReads.rowsPerPass = passRows;
        }
    }
}
