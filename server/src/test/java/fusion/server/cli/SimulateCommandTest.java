package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionServer;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    @TempDir
    Path dir;

    @Test
    void simulateReplaysTheStoresHistoryAndWritesTheReportWithItsCommand() throws Exception {
        Instant t = Instant.parse("2026-11-24T12:00:00Z");
        try (Store store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            store.ingest(List.of(new SegmentCall(
                    SegmentCall.Type.TRACK,
                    "m1",
                    "bob",
                    null,
                    "Product Used",
                    null,
                    null,
                    null,
                    Map.of("description", "the charger is broken"),
                    Map.of(),
                    Map.of(),
                    t,
                    t)));
        }
        Path out = dir.resolve("reports/sim.md");
        assertThat(Main.run(
                        "simulate",
                        "--data",
                        dir.toString(),
                        "--from",
                        "2026-11-01T00:00:00Z",
                        "--out",
                        out.toString()))
                .isZero();
        String md = Files.readString(out);
        assertThat(md)
                .startsWith("# Decision simulation\n\nProduced by `./fusion simulate --data " + dir)
                .contains("--from 2026-11-01T00:00:00Z")
                .contains("| plan-b-replacement | 1 |");
    }
}
