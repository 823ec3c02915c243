package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.ModelConfig;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first hour of a new user, as they live it: {@code ./fusion demo} in one terminal (a real
 * process, in a fresh working directory, with no FUSION_* variables), then the README's commands
 * in another, with no flags.
 */
class FirstHourTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(120);
    /** The scenario's end, fixed so that its dates can be worked out by hand. */
    private static final String AT = "2026-11-24T12:00:00Z";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path shared;

    private static Process demo;

    @TempDir
    Path dir;

    @BeforeAll
    static void startTheDemo() throws Exception {
        demo = startDemo(shared, "--consumers", "150", "--no-live", "--at", AT);
    }

    @AfterAll
    static void stopTheDemo() throws Exception {
        stop(demo);
    }

    @Test
    @DisplayName("issue 12 item 17: with ./fusion demo running, consent show, models fit, audit --subject and journeys "
            + "work from a second terminal with no flags")
    void theQuickStartsCommandsFindTheDemoWithNoFlags() throws Exception {
        Result consent = command(shared, "consent", "show", "demo-alice");
        assertThat(consent.exit()).as(consent.output()).isZero();
        assertThat(consent.output()).contains("\"verdicts\"", "analytics");

        Result fit = command(shared, "models", "fit");
        // one status per brand, with its reason; exit 0 when at least one brand is fitted, 1 when none is
        assertThat(fit.exit()).as(fit.output()).isEqualTo(fit.output().contains(": fitted (") ? 0 : 1);
        assertThat(fit.output())
                .contains("calibration up to 2026-", "asking the server running on", "glitter: ")
                .doesNotContain("null");

        Result audit = command(shared, "audit", "--subject", "demo-alice");
        assertThat(audit.exit()).as(audit.output()).isZero();
        assertThat(audit.output()).contains("\"action\" : \"read consent\"");

        Result journeys = command(shared, "journeys");
        assertThat(journeys.exit()).as(journeys.output()).isZero();
        assertThat(journeys.output()).contains("/ glitter: ", "interactions", "orbit ");
    }

    @Test
    @DisplayName("issue 12 item 21: the demo declares glitter's concert as a brand action through the API, so its "
            + "impact can be read at once")
    void theDemosConcertIsADeclaredBrandAction() throws Exception {
        JsonNode actions = api(shared, "/api/brands/glitter/actions");
        assertThat(actions).hasSize(1);
        JsonNode concert = actions.get(0);
        assertThat(concert.path("kind").asText()).isEqualTo("concert");
        // the concert is on day -30 at 20:00 in Hollywood: 2026-10-25, still on summer time (UTC-7), so
        // 2026-10-26T03:00Z; the gates open an hour before, the show ends two hours after
        assertThat(concert.path("starts").asText()).isEqualTo("2026-10-26T02:00:00Z");
        assertThat(concert.path("ends").asText()).isEqualTo("2026-10-26T05:00:00Z");
        JsonNode impact =
                api(shared, "/api/brands/glitter/actions/" + concert.path("id").asLong() + "/impact?metric=sales");
        assertThat(impact.path("interventionDay").asText()).isEqualTo("2026-10-26");
        assertThat(impact.path("regression").path("averageEffect").has("estimate"))
                .isTrue();
    }

    @Test
    @DisplayName("issue 12 item 20: a second ./fusion demo keeps the demo and what the user added, saying so; "
            + "--reset loads it afresh")
    void aSecondDemoKeepsTheStoreUnlessReset() throws Exception {
        Process first = startDemo(dir, "--consumers", "60", "--no-live", "--at", AT);
        long loaded;
        try {
            loaded = api(dir, "/api/stats").path("events").asLong();
            String batch =
                    "{\"batch\":[{\"type\":\"track\",\"userId\":\"my-own-customer\",\"event\":\"Order Completed\","
                            + "\"messageId\":\"mine-1\",\"properties\":{\"brand\":\"glitter\",\"revenue\":42}}]}";
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url(dir) + "/v1/batch"))
                            .header(
                                    "Authorization",
                                    "Basic "
                                            + Base64.getEncoder()
                                                    .encodeToString((secret(dir, "write_key") + ":")
                                                            .getBytes(StandardCharsets.UTF_8)))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(batch))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        } finally {
            stop(first);
        }

        Process second = startDemo(dir, "--consumers", "60", "--no-live", "--at", AT);
        try {
            assertThat(log(dir)).contains("already holds the demo", "--reset");
            assertThat(api(dir, "/api/stats").path("events").asLong()).isEqualTo(loaded + 1);
            assertThat(api(dir, "/api/profiles/my-own-customer").path("events").asLong())
                    .isEqualTo(1);
        } finally {
            stop(second);
        }

        Process reset = startDemo(dir, "--consumers", "60", "--no-live", "--at", AT, "--reset");
        try {
            assertThat(log(dir)).contains("--reset: deleted the store", "loading the demo into");
            assertThat(api(dir, "/api/stats").path("events").asLong()).isEqualTo(loaded);
            assertThat(status(dir, "/api/profiles/my-own-customer")).isEqualTo(404);
        } finally {
            stop(reset);
        }
    }

    @Test
    @DisplayName("issue 12 item 20: the demo leaves a store that is not the demo's alone, naming it and what to do")
    void theDemoLeavesSomeoneElsesStoreAlone() throws Exception {
        Path mine = dir.resolve("mine");
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials("w", "a")),
                SqlStore.sqlite(mine, FusionServer.pipeline(ModelConfig.defaults())))) {
            HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/batch"))
                            .header(
                                    "Authorization",
                                    "Basic " + Base64.getEncoder().encodeToString("w:".getBytes()))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\","
                                            + "\"event\":\"Order Completed\",\"properties\":{\"revenue\":5}}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        long before = Files.size(mine.resolve("fusion.db"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("demo", "--port", "0", "--data", mine.toString(), "--no-live", "--consumers", "10");
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(mine.toAbsolutePath().toString(), "not the demo's", "--data DIR");
        assertThat(Files.size(mine.resolve("fusion.db"))).isEqualTo(before);
        assertThat(mine.resolve(ServerFile.NAME)).doesNotExist();
    }

    @Test
    @DisplayName("issue 12 item 17: a stopped server's file is ignored, two running servers are a question, and "
            + "--data, --url and --token still win")
    void theDefaultDirectoryFollowsTheRunningServer() throws Exception {
        Path data = dir.resolve("fusion-data");
        Path demoDir = dir.resolve("fusion-demo");
        assertThat(ServerFile.defaultDir(dir)).isEqualTo(data);
        Files.createDirectories(demoDir);
        Files.writeString(demoDir.resolve("fusion.db"), "");
        assertThat(ServerFile.defaultDir(dir)).as("only the demo holds a store").isEqualTo(demoDir);

        Process gone = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true)
                .start();
        gone.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        new ServerFile("http://127.0.0.1:1", gone.pid(), data.toString(), data.toString(), "x", java.time.Instant.now())
                .write(data);
        Files.writeString(data.resolve("fusion.db"), "");
        assertThat(ServerFile.running(data)).as("a killed server's file").isEmpty();
        assertThat(ServerFile.defaultDir(dir)).isEqualTo(data);

        long me = ProcessHandle.current().pid();
        new ServerFile("http://127.0.0.1:2", me, demoDir.toString(), demoDir.toString(), "x", java.time.Instant.now())
                .write(demoDir);
        assertThat(ServerFile.defaultDir(dir)).as("the one that runs").isEqualTo(demoDir);
        new ServerFile("http://127.0.0.1:3", me, data.toString(), data.toString(), "x", java.time.Instant.now())
                .write(data);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerFile.defaultDir(dir))
                .isInstanceOf(ServerFile.NoDefault.class)
                .hasMessageContaining("pass --data")
                .hasMessageContaining("http://127.0.0.1:2")
                .hasMessageContaining("http://127.0.0.1:3");

        ApiOptions explicit = new ApiOptions();
        explicit.url = "http://127.0.0.1:4";
        explicit.data = demoDir;
        assertThat(explicit.url()).isEqualTo("http://127.0.0.1:4");
        ApiOptions found = new ApiOptions();
        found.data = demoDir;
        assertThat(found.url()).isEqualTo("http://127.0.0.1:2");
        ServerFile.remove(demoDir);
        assertThat(demoDir.resolve(ServerFile.NAME)).doesNotExist();
        assertThat(found.url()).as("once it has stopped").isEqualTo(ApiOptions.FALLBACK_URL);
    }

    // --- a user's terminals

    record Result(int exit, String output) {}

    private static ProcessBuilder fusion(Path cwd, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "fusion.server.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("FUSION_"));
        return pb;
    }

    /** Runs a command to its end (two minutes at most) in {@code cwd}. */
    private static Result command(Path cwd, String... args) throws Exception {
        Process p = fusion(cwd, args).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        if (!p.waitFor(START.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("fusion " + String.join(" ", args) + " did not finish in " + START);
        }
        reader.join(10_000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    /** Starts {@code ./fusion demo --port 0 ...} in {@code cwd} and waits until it has said where to look. */
    private static Process startDemo(Path cwd, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("demo", "--port", "0"));
        all.addAll(List.of(args));
        Path log = cwd.resolve("demo.log");
        Files.deleteIfExists(log);
        Process p = fusion(cwd, all.toArray(String[]::new))
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("Where to look:")) return p;
            if (!p.isAlive()) throw new AssertionError("the demo stopped:\n" + Files.readString(log));
            p.waitFor(200, TimeUnit.MILLISECONDS);
        }
        p.destroyForcibly();
        throw new AssertionError("the demo did not finish loading in " + START + ":\n" + Files.readString(log));
    }

    /** Ctrl-C, as a user stops it: the server goes down and withdraws its server.json. */
    private static void stop(Process p) throws Exception {
        if (p == null) return;
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the demo did not stop within a minute of SIGTERM");
        }
    }

    private static String log(Path cwd) throws IOException {
        return Files.readString(cwd.resolve("demo.log"));
    }

    /** Where the demo in {@code cwd} says it serves ("Fusion is serving DIR on URL/"). */
    private static String url(Path cwd) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Fusion is serving .* on (http://\\S+?)/\\R")
                .matcher(log(cwd));
        if (!m.find()) throw new AssertionError("the demo did not say where it serves:\n" + log(cwd));
        return m.group(1);
    }

    private static String secret(Path cwd, String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(cwd.resolve("fusion-demo").resolve("secrets.properties"))) {
            p.load(in);
        }
        return p.getProperty(name);
    }

    private static HttpResponse<String> get(Path cwd, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url(cwd) + path))
                        .header("Authorization", "Bearer " + secret(cwd, "admin_token"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode api(Path cwd, String path) throws Exception {
        HttpResponse<String> r = get(cwd, path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static int status(Path cwd, String path) throws Exception {
        return get(cwd, path).statusCode();
    }
}
