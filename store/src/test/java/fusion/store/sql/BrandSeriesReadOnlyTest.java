package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.BrandView;
import fusion.store.Calls;
import fusion.store.Pipeline;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-only store opened beside a running server (SqlStore.sqliteReadOnly: "while a server may
 * be writing it") reads a brand's series as the server does: the oracle is one pass over the
 * ledger table. Found by review (2026-12-07): the pair-by-pair read took the parties from the
 * relationships table, which lacks the pairs waiting in the server's memory, and left the
 * newest consumer out of every day from its first.
 */
class BrandSeriesReadOnlyTest {
    @TempDir
    Path dir;

    @Test
    void aReadOnlyStoreBesideTheServerReadsThePairsWaitingInTheServersMemory() throws Exception {
        Engine engine = new Engine(ModelConfig.defaults());
        Pipeline pipeline = new Pipeline(engine, SegmentMapping.standard("own"));
        Instant at = Calls.T0.plus(Duration.ofDays(70));
        try (SqlStore server = SqlStore.sqlite(dir, pipeline);
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            for (List<SegmentCall> batch : Calls.forBrandSeries(31)) server.ingest(batch);
            List<BrandView.Point> oracle = BrandSeriesOracle.series(c, engine, "glitter", at, 70, p -> true);
            assertThat(server.brand("glitter", at, 70).orElseThrow().series())
                    .as("the server's own read")
                    .isEqualTo(oracle);
            try (SqlStore reader = SqlStore.sqliteReadOnly(dir, pipeline)) {
                assertThat(reader.brand("glitter", at, 70).orElseThrow().series())
                        .as("a read-only store's read of the same committed ledger")
                        .isEqualTo(oracle);
            }
        }
    }
}
