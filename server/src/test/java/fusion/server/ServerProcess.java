package fusion.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** {@code fusion serve} in a JVM of its own (so a test can kill it with SIGKILL), on loopback. */
public final class ServerProcess {
    /**
     * A fresh JVM compiling its way up on a loaded 2-core machine has taken more than 30 s to answer
     * its first request.
     */
    static final Duration START_WITHIN = Duration.ofSeconds(90);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServerProcess() {}

    /**
     * Starts {@code fusion serve --port PORT ARGS...} with {@code env} added, output to {@code log},
     * and returns once {@code /health} answers 200; a server that dies or does not answer in time is
     * killed and the test fails with its log.
     */
    public static Process serve(int port, Map<String, String> env, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "fusion.server.cli.Main",
                "serve",
                "--port",
                Integer.toString(port)));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            Awaitility.await("the server on port " + port + " to answer /health")
                    .atMost(START_WITHIN)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!p.isAlive()) throw new IllegalStateException("the server exited with " + p.exitValue());
                        return healthy(port);
                    });
            return p;
        } catch (ConditionTimeoutException | IllegalStateException e) {
            p.destroyForcibly();
            throw new AssertionError("the server did not start (" + e.getMessage() + "): " + Files.readString(log), e);
        }
    }

    private static boolean healthy(int port) throws InterruptedException {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException notYet) {
            return false;
        }
    }
}
