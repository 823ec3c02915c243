package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("issue 16 audiences: the command line")
class AudienceCommandsTest {
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

    @Test
    @DisplayName(
            "issue 16 audiences: ./fusion audiences validates, previews, creates, lists members, exports to a CSV destination and deletes")
    void audiencesCommands() throws Exception {
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials("w", "a")),
                SqlStore.sqlite(dir.resolve("data"), FusionServer.pipeline(ModelConfig.defaults())))) {
            Instant t = Instant.parse("2026-11-01T10:00:00Z");
            server.store()
                    .ingest(List.of(
                            new SegmentCall(
                                    SegmentCall.Type.TRACK,
                                    "m1",
                                    "ana",
                                    null,
                                    "Order Completed",
                                    null,
                                    null,
                                    null,
                                    Map.of(),
                                    Map.of(),
                                    Map.of(),
                                    t,
                                    t),
                            new SegmentCall(
                                    SegmentCall.Type.TRACK,
                                    "m2",
                                    "bob",
                                    null,
                                    "Product Viewed",
                                    null,
                                    null,
                                    null,
                                    Map.of(),
                                    Map.of(),
                                    Map.of(),
                                    t,
                                    t)));
            String url = "http://127.0.0.1:" + server.port();
            Path rule = Files.writeString(
                    dir.resolve("buyers.json"), "{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":1}");

            assertThat(run(
                            "audiences",
                            "validate",
                            "--rule",
                            "{\"any\":[{\"fact\":\"events\",\"lt\":\"x\"}]}",
                            "--url",
                            url,
                            "--token",
                            "a"))
                    .startsWith("2\n")
                    .contains("(field: $.any[0].lt)");
            assertThat(run("audiences", "preview", "--rule-file", rule.toString(), "--url", url, "--token", "a"))
                    .startsWith("0\n")
                    .contains("\"size\" : 1")
                    .contains("\"ana\"");
            assertThat(run(
                            "audiences",
                            "create",
                            "buyers",
                            "--name",
                            "Buyers",
                            "--rule-file",
                            rule.toString(),
                            "--url",
                            url,
                            "--token",
                            "a"))
                    .startsWith("0\n")
                    .contains("\"size\" : 1");
            assertThat(run("audiences", "list", "--url", url, "--token", "a")).contains("\"id\" : \"buyers\"");
            assertThat(run("audiences", "members", "buyers", "--url", url, "--token", "a"))
                    .contains("\"members\" : [ \"ana\" ]");
            assertThat(run("audiences", "history", "buyers", "--url", url, "--token", "a"))
                    .contains("\"entered\" : true");
            Path exports = dir.resolve("exports");
            assertThat(run(
                            "audiences",
                            "add-destination",
                            "--json",
                            "{\"id\":\"files\",\"audience\":\"buyers\",\"kind\":\"csv\",\"purpose\":\"analytics\","
                                    + "\"directory\":\"" + exports + "\"}",
                            "--url",
                            url,
                            "--token",
                            "a"))
                    .startsWith("0\n")
                    .contains("\"kind\" : \"csv\"");
            assertThat(run("audiences", "test-destination", "files", "--url", url, "--token", "a"))
                    .contains("\"ok\" : true");
            String report = run("audiences", "export", "files", "--url", url, "--token", "a");
            assertThat(report).startsWith("0\n").contains("\"members\" : 1").contains("\"sent\" : 1");
            try (var files = Files.list(exports)) {
                Path csv = files.filter(f -> f.getFileName().toString().endsWith("-full.csv"))
                        .findFirst()
                        .orElseThrow();
                assertThat(Files.readAllLines(csv)).hasSize(2).first().isEqualTo("profile,audience,event,at,export");
                assertThat(Files.readAllLines(csv).get(1)).startsWith("ana,buyers,member,");
            }
            assertThat(run("audiences", "destinations", "files", "--url", url, "--token", "a"))
                    .contains("\"exports\" : [ {");
            assertThat(run("audiences", "delete", "buyers", "--url", url, "--token", "a"))
                    .startsWith("2\n")
                    .contains("destinations [files]");
            assertThat(run("audiences", "delete-destination", "files", "--url", url, "--token", "a"))
                    .contains("deleted destination files");
            assertThat(run("audiences", "delete", "buyers", "--url", url, "--token", "a"))
                    .contains("deleted audience buyers");
            assertThat(run("audiences", "show", "buyers", "--url", url, "--token", "a"))
                    .startsWith("2\n")
                    .contains("no audience 'buyers'");
        }
    }
}
