package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return code + "\n" + out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void replayOverADataDirectorySaysTheStateMatchesExactly() throws Exception {
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials("w", "a")),
                SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())))) {
            String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Order Completed\","
                    + "\"properties\":{\"revenue\":50}},{\"type\":\"alias\",\"previousId\":\"x\",\"userId\":\"u\"}]}";
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/batch"))
                                    .header(
                                            "Authorization",
                                            "Basic " + Base64.getEncoder().encodeToString("w:".getBytes()))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        String out = run("replay", "--data", dir.toString());
        assertThat(out).startsWith("0\n").contains("replayed 2 events").contains("equals the live state exactly");
    }

    @Test
    void replayOfAMissingStoreFailsWithAClearMessage() {
        assertThat(run("replay", "--data", dir.resolve("nothing").toString())).startsWith("2\n");
    }

    @Test
    void configPrintsEveryParameterAndRefusesABadOne() throws Exception {
        assertThat(run("config")).contains("experience_half_life_days", "fusion_half_life_days", "max_propagation");
        Path model = dir.resolve("model.properties");
        Files.writeString(model, "experience_half_life_days=-3\n");
        assertThat(run("config", "--model", model.toString())).doesNotStartWith("0\n");
    }

    @Test
    void secretsAreGeneratedOnceAndKeptOrTakenFromTheEnvironment() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Credentials first = Secrets.load(dir, Map.of(), quiet);
        Credentials again = Secrets.load(dir, Map.of(), quiet);
        assertThat(again).isEqualTo(first);
        Credentials env = Secrets.load(dir, Map.of("FUSION_WRITE_KEY", "wk", "FUSION_ADMIN_TOKEN", "at"), quiet);
        assertThat(env.writeKey()).isEqualTo("wk");
        assertThat(env.adminToken()).isEqualTo("at");
    }

    @Test
    void consentExportErasureKeysAndAuditWorkFromTheCommandLine() throws Exception {
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials("w", "a")),
                SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())))) {
            String url = "http://127.0.0.1:" + server.port();
            String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"cli-ana\",\"event\":\"Order Completed\","
                    + "\"properties\":{\"revenue\":50,\"brand\":\"glitter\"}}]}";
            HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url + "/v1/batch"))
                                    .header(
                                            "Authorization",
                                            "Basic " + Base64.getEncoder().encodeToString("w:".getBytes()))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(run(
                            "consent",
                            "grant",
                            "cli-ana",
                            "--purpose",
                            "marketing",
                            "--channel",
                            "email",
                            "--ttl-days",
                            "30",
                            "--url",
                            url,
                            "--token",
                            "a"))
                    .startsWith("0\n")
                    .contains("\"allowed\" : true");
            assertThat(run("consent", "show", "cli-ana", "--url", url, "--token", "a"))
                    .startsWith("0\n")
                    .contains("marketing on email was granted");
            assertThat(run("consent", "grant", "cli-ana", "--purpose", "telepathy", "--url", url, "--token", "a"))
                    .startsWith("2\n");
            String key = run("keys", "create", "shop-pos", "--url", url, "--token", "a");
            assertThat(key).startsWith("0\n").contains("\"secret\" : \"wk_");
            assertThat(run("keys", "list", "--url", url, "--token", "a"))
                    .contains("shop-pos")
                    .doesNotContain("\"secret\"");
            Path export = dir.resolve("ana.json");
            assertThat(run("export", "cli-ana", "--out", export.toString(), "--url", url, "--token", "a"))
                    .startsWith("0\n")
                    .contains("2 events");
            assertThat(Files.readString(export)).contains("Order Completed", "marketing");
            assertThat(run("erase", "cli-ana", "--url", url, "--token", "a")).startsWith("2\n");
            assertThat(run("erase", "cli-ana", "--yes", "--url", url, "--token", "a"))
                    .startsWith("0\n")
                    .contains("\"events\" : 2");
            assertThat(run("audit", "--url", url, "--token", "a"))
                    .contains("erase", "export everything")
                    .doesNotContain("cli-ana");
            assertThat(run("consent", "show", "cli-ana", "--url", url, "--token", "wrong"))
                    .startsWith("2\n");
        }
        assertThat(run("audit", "--url", "http://127.0.0.1:1", "--token", "a")).startsWith("3\n");
    }

    @Test
    void attributionOfThePathsFilePrintsEveryMethod() throws Exception {
        Path paths = dir.resolve("toy.csv");
        Files.writeString(
                paths,
                "path;total_conversions;total_conversion_value;total_null\n"
                        + "C1 > C2 > C3;1;10;0\nC1;0;0;1\nC2 > C3;0;0;1\n");
        String out = run("attribution", "--paths", paths.toString(), "--order", "1");
        assertThat(out).startsWith("0\n").contains("markov-1").contains("P(conversion) = 0.333333");
        assertThat(run("attribution", "--paths", dir.resolve("none.csv").toString()))
                .startsWith("2\n");
        assertThat(run("attribution", "--paths", paths.toString(), "--order", "7"))
                .startsWith("2\n");
    }

    @Test
    void aBadActionCatalogueStopsTheServerBeforeItStartsNamingTheEntry() throws Exception {
        Path bad = dir.resolve("catalogue.json");
        Files.writeString(bad, "{\"actions\":[{\"id\":\"x\",\"type\":\"telepathy\"}]}");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(run(
                            "serve",
                            "--port",
                            "0",
                            "--data",
                            dir.resolve("d").toString(),
                            "--catalogue",
                            bad.toString()))
                    .startsWith("2\n");
            assertThat(run(
                            "serve",
                            "--port",
                            "0",
                            "--data",
                            dir.resolve("d").toString(),
                            "--catalogue",
                            dir.resolve("none.json").toString()))
                    .startsWith("2\n");
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("$.actions[0].type", "telepathy", "no such file");
    }
}
