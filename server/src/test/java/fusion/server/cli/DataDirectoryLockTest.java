package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One data directory, one writer: a server in another JVM holds its directory, and every command
 * that would write the same store (a second serve, replay) refuses in one line naming the
 * directory and the holder's pid. Also: serve on a taken port says so before creating anything.
 */
class DataDirectoryLockTest {
    private static final String KEY = "lock-write-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path root;

    static Path data;
    static int port;
    static Process server;

    @BeforeAll
    static void startAServerInAnotherProcess() throws Exception {
        data = root.resolve("held");
        port = freePort();
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "fusion.server.cli.Main",
                "serve",
                "--port",
                Integer.toString(port),
                "--data",
                data.toString());
        pb.environment().put("FUSION_WRITE_KEY", KEY);
        pb.environment().put("FUSION_ADMIN_TOKEN", "lock-admin");
        pb.redirectErrorStream(true).redirectOutput(root.resolve("server.log").toFile());
        server = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                Thread.onSpinWait(); // not listening yet: poll again until the deadline
            }
        }
        server.destroyForcibly();
        throw new AssertionError("the server did not start: " + Files.readString(root.resolve("server.log")));
    }

    @AfterAll
    static void stop() throws Exception {
        server.destroy();
        server.waitFor();
    }

    /** Exit code, standard output and standard error of one in-process command. */
    record Run(int code, String out, String err) {}

    /**
     * Runs the command on another thread and waits at most a minute: a command that should have
     * refused but started a server instead would never return.
     */
    private static Run run(String... args) throws Exception {
        var ran = java.util.concurrent.CompletableFuture.supplyAsync(() -> runHere(args));
        try {
            return ran.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(
                    "'" + String.join(" ", args) + "' did not return within 60 s: it started " + "instead of refusing");
        }
    }

    private static synchronized Run runHere(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    @DisplayName("issue 12 item 8: a second serve on a held data directory refuses in one line naming the directory "
            + "and the holder's pid, and the first keeps serving")
    void aSecondServerOnTheSameDirectoryRefusesToStart() throws Exception {
        Run second = run("serve", "--port", "0", "--data", data.toString());
        assertThat(second.code()).isEqualTo(2);
        assertThat(second.err().strip())
                .doesNotContain("\n")
                .contains(data.toRealPath().toString())
                .contains("pid " + server.pid());
        // the first server still creates profiles (it answered 503 once a second server had started)
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/track"))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"userId\":\"new-person\",\"event\":\"Product Viewed\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    @DisplayName("issue 12 item 18: replay of a directory a server holds says a server holds the store, not DIFFERS")
    void replayOfAHeldStoreSaysAServerHoldsIt() throws Exception {
        Run replay = run("replay", "--data", data.toString());
        assertThat(replay.code()).isEqualTo(2);
        assertThat(replay.out()).doesNotContain("DIFFER");
        assertThat(replay.err().strip())
                .doesNotContain("\n")
                .startsWith("replay: a server holds the store in " + data.toRealPath())
                .contains("pid " + server.pid());
    }

    @Test
    @DisplayName("issue 12 item 19: serve on a port another process holds says so in one line, exits 2 and creates "
            + "no data directory")
    void serveOnAPortAnotherProcessHoldsSaysSo() throws Exception {
        Path fresh = root.resolve("never-created");
        try (ServerSocket other = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Run r = run("serve", "--port", Integer.toString(other.getLocalPort()), "--data", fresh.toString());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip())
                    .isEqualTo("fusion serve: port " + other.getLocalPort()
                            + " on 127.0.0.1 is taken by another process; stop it or choose another --port");
            assertThat(r.out()).isEmpty();
        }
        assertThat(fresh).doesNotExist();
    }

    @Test
    @DisplayName("issue 12 item 19: serve on a port a Fusion server holds says a Fusion server has it")
    void serveOnAPortAFusionServerHoldsSaysSo() throws Exception {
        Path fresh = root.resolve("never-created-either");
        Run r = run("serve", "--port", Integer.toString(port), "--data", fresh.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip())
                .doesNotContain("\n")
                .startsWith("fusion serve: port " + port + " on 127.0.0.1 is taken by a Fusion server (");
        assertThat(fresh).doesNotExist();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
