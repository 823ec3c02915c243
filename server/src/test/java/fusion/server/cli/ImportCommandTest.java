package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("issue 16 import: the command line")
class ImportCommandTest {
    @TempDir
    Path dir;

    /** Exit code, standard output and standard error, one after the other. */
    private static String run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return code + "\n" + o.toString(StandardCharsets.UTF_8) + e.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String track(String id, String user, String event, String props) {
        return "{\"type\":\"track\",\"messageId\":\"" + id + "\",\"userId\":\"" + user + "\",\"event\":\"" + event
                + "\",\"timestamp\":\"2026-11-01T10:00:00Z\"" + (props.isEmpty() ? "" : ",\"properties\":" + props)
                + "}\n";
    }

    private Path file() throws Exception {
        Path f = dir.resolve("calls.ndjson");
        Files.writeString(
                f,
                track("m1", "ana", "Order Completed", "{\"revenue\":20}")
                        + "{\"type\":\"track\",\"messageId\":\"m2\",\"event\":\"Product Viewed\"}\n"
                        + track("m3", "bob", "Order Completed", "{\"revenue\":\"lots\"}")
                        + track("m4", "cy", "Product Viewed", "")
                        + track("m1", "ana", "Order Completed", "{\"revenue\":20}"));
        return f;
    }

    @Test
    @DisplayName("issue 16 import: ./fusion import into the data directory's store reports each refused line with "
            + "its number and field, prints the final report and exits 1")
    void importsIntoTheLocalStore() throws Exception {
        Path data = dir.resolve("data");
        String out = run("import", file().toString(), "--data", data.toString());
        assertThat(out)
                .startsWith("1\n")
                .contains("lines 5: accepted 2 (scored 2, unknown events 0), duplicates 1, refused 2")
                .contains("line 2: userId: either userId or anonymousId is required")
                .contains("line 3: properties.revenue: expected a number");
        try (Store store = SqlStore.sqlite(data, FusionServer.pipeline(ModelConfig.defaults()))) {
            assertThat(store.stats().events()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("issue 16 import: --lines stops mid-file with exit 0 and a rerun of the same command continues "
            + "from the checkpoint")
    void aRerunContinues() throws Exception {
        Path data = dir.resolve("data");
        Path f = file();
        String first = run("import", f.toString(), "--data", data.toString(), "--lines", "1", "--batch", "1");
        assertThat(first).startsWith("0\n").contains("stopped after 1 lines (--lines)");
        assertThat(Files.exists(dir.resolve("calls.ndjson.checkpoint"))).isTrue();
        String second = run("import", f.toString(), "--data", data.toString());
        assertThat(second)
                .contains("resuming")
                .contains("lines 5: accepted 2 (scored 2, unknown events 0), duplicates 1, refused 2");
        assertThat(Files.exists(dir.resolve("calls.ndjson.checkpoint"))).isFalse();
    }

    @Test
    @DisplayName("issue 16 import: --url sends the file to a running server's /v1/import; what the server refuses "
            + "comes back as the line's number and field")
    void importsIntoARunningServer() throws Exception {
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials("w", "a")),
                SqlStore.sqlite(dir.resolve("served"), FusionServer.pipeline(ModelConfig.defaults())))) {
            String out = run(
                    "import",
                    file().toString(),
                    "--url",
                    "http://127.0.0.1:" + server.port(),
                    "--write-key",
                    "w",
                    "--data",
                    dir.resolve("elsewhere").toString());
            assertThat(out)
                    .startsWith("1\n")
                    .contains("lines 5: accepted 2 (scored 2, unknown events 0), duplicates 1, refused 2")
                    .contains("line 3: properties.revenue: expected a number");
            assertThat(server.store().stats().events()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("issue 16 tracking plan: ./fusion import checks the lines against the tracking plan in the mode of "
            + "its source: blocked lines are refused naming the property, flagged ones are counted")
    void importChecksTheTrackingPlan() throws Exception {
        Path plan = dir.resolve("plan.json");
        Files.writeString(
                plan,
                "{\"defaultMode\":\"block\",\"sources\":{\"backfill\":\"flag\"},\"events\":[{\"name\":"
                        + "\"Order Completed\",\"purpose\":\"purchase\",\"properties\":{\"revenue\":"
                        + "{\"type\":\"number\",\"required\":true}}}]}");
        Path f = dir.resolve("plan-calls.ndjson");
        Files.writeString(
                f,
                track("p1", "ana", "Order Completed", "{\"revenue\":20}")
                        + track("p2", "bob", "Order Completed", "")
                        + track("p3", "cy", "Product Viewed", ""));
        String blocked =
                run("import", f.toString(), "--data", dir.resolve("d1").toString(), "--tracking-plan", plan.toString());
        assertThat(blocked)
                .startsWith("1\n")
                .contains("line 2: properties.revenue: is required by the tracking plan for 'Order Completed'")
                .contains("line 3: event: 'Product Viewed' is not in the tracking plan")
                .contains("accepted 1 ");
        String flagged = run(
                "import",
                f.toString(),
                "--data",
                dir.resolve("d2").toString(),
                "--tracking-plan",
                plan.toString(),
                "--source",
                "backfill");
        assertThat(flagged)
                .startsWith("0\n")
                .contains("accepted 3 ")
                .contains("tracking plan (source 'backfill', mode flag): 2 violations in this run");
    }

    @Test
    @DisplayName("issue 16 import: --url to a port where no server answers ends with one line naming it and the "
            + "checkpoint, exit 2, not a stack trace")
    void noServerIsOneLine() throws Exception {
        String out = run(
                "import",
                file().toString(),
                "--url",
                "http://127.0.0.1:1",
                "--write-key",
                "w",
                "--data",
                dir.resolve("elsewhere").toString());
        assertThat(out)
                .startsWith("2\n")
                .contains("fusion import: no Fusion server answers at http://127.0.0.1:1/v1/import")
                .contains("run again to continue")
                .doesNotContain("\tat ");
    }

    @Test
    @DisplayName("issue 16 import: a CSV file without a column mapping is refused naming --columns, exit 2")
    void aCsvFileNeedsColumns() throws Exception {
        Path f = dir.resolve("x.csv");
        Files.writeString(f, "a,b\n1,2\n");
        assertThat(run("import", f.toString(), "--data", dir.resolve("d").toString()))
                .startsWith("2\n")
                .contains("--columns: a CSV file needs a column mapping");
    }
}
