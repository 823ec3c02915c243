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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeysAndJourneysCliTest {
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

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("issue 12 item 22: keys list and tokens list show the bootstrap key and token, marked bootstrap, "
            + "with where each is configured and never the secret")
    void theBootstrapKeyIsListed() throws Exception {
        Credentials fromEnv = Secrets.load(
                dir.resolve("env"),
                Map.of("FUSION_WRITE_KEY", "wk-env-secret", "FUSION_ADMIN_TOKEN", "at-env-secret"),
                quiet());
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, fromEnv),
                SqlStore.sqlite(dir.resolve("env"), FusionServer.pipeline(ModelConfig.defaults())))) {
            String url = "http://127.0.0.1:" + server.port();
            assertThat(run("keys", "create", "shop-pos", "--url", url, "--token", "at-env-secret"))
                    .startsWith("0\n");
            String keys = run("keys", "list", "--url", url, "--token", "at-env-secret");
            assertThat(keys)
                    .startsWith("0\n")
                    .contains(
                            "\"bootstrap\" : true",
                            "\"name\" : \"default\"",
                            "\"from\" : \"FUSION_WRITE_KEY\"",
                            "shop-pos")
                    .doesNotContain("wk-env-secret");
            String tokens = run("tokens", "list", "--url", url, "--token", "at-env-secret");
            assertThat(tokens)
                    .startsWith("0\n")
                    .contains("\"bootstrap\" : true", "\"from\" : \"FUSION_ADMIN_TOKEN\"")
                    .doesNotContain("at-env-secret");
        }
        Path generated = dir.resolve("generated");
        Credentials fromFile = Secrets.load(generated, Map.of(), quiet());
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, fromFile),
                SqlStore.sqlite(generated, FusionServer.pipeline(ModelConfig.defaults())))) {
            String keys =
                    run("keys", "list", "--url", "http://127.0.0.1:" + server.port(), "--data", generated.toString());
            assertThat(keys)
                    .startsWith("0\n")
                    .contains(
                            "\"bootstrap\" : true",
                            "\"from\" : \""
                                    + generated.resolve("secrets.properties").toAbsolutePath() + "\"")
                    .doesNotContain(fromFile.writeKey());
        }
    }

    @Test
    @DisplayName("issue 12 item 22: journeys prints step times as people read them (14 h, 2 d 3 h), not raw seconds")
    void journeysPrintsHumanDurations() throws Exception {
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials("w", "a")),
                SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())))) {
            String url = "http://127.0.0.1:" + server.port();
            Instant t = Instant.now().minus(Duration.ofDays(5)).truncatedTo(ChronoUnit.HOURS);
            // glitter: one step of 14 hours; brewline: one step of 2 days and 3 hours
            String body = "{\"batch\":["
                    + call("ana", "Product Viewed", "glitter", t) + ","
                    + call("ana", "Order Completed", "glitter", t.plus(Duration.ofHours(14))) + ","
                    + call("ben", "Product Viewed", "brewline", t) + ","
                    + call("ben", "Order Completed", "brewline", t.plus(Duration.ofHours(51))) + "]}";
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url + "/v1/batch"))
                                    .header(
                                            "Authorization",
                                            "Basic " + Base64.getEncoder().encodeToString("w:".getBytes()))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String out = run("journeys", "--url", url, "--token", "a");
            assertThat(out)
                    .startsWith("0\n")
                    .contains("/ glitter: ")
                    .contains("median step 14 h\n")
                    .contains("median step 2 d 3 h\n")
                    .doesNotContain("50400")
                    .doesNotContain("183600");
        }
    }

    private static String call(String user, String event, String brand, Instant at) {
        return "{\"type\":\"track\",\"userId\":\"" + user + "\",\"event\":\"" + event + "\",\"timestamp\":\"" + at
                + "\",\"properties\":{\"brand\":\"" + brand + "\",\"channel\":\"web\""
                + (event.equals("Order Completed") ? ",\"revenue\":20" : "") + "}}";
    }

    @ParameterizedTest(name = "{0} s is \"{1}\"")
    @CsvSource({
        "0,0 s",
        "45,45 s",
        "59.6,1 min",
        "90,1 min 30 s",
        "720,12 min",
        "3600,1 h",
        "3725,1 h 2 min",
        "50400,14 h",
        "86370,1 d",
        "86400,1 d",
        "183600,2 d 3 h",
        "1209600,14 d",
        "-90,-1 min 30 s",
        "NaN,n/a"
    })
    @DisplayName("issue 12 item 22: a duration is its largest unit and the next one down, rounded")
    void durationsAreHuman(double seconds, String expected) {
        assertThat(Durations.human(seconds)).isEqualTo(expected);
    }
}
