package fusion.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import fusion.core.model.Channel;
import fusion.decisions.delivery.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 with webhook deliveries queued: Fusion runs as a child JVM on a temporary data directory
 * and decides for a dozen people while their receiver is down, so every delivery is left queued or
 * between retries. The process is killed with SIGKILL, started again on the same directory, and
 * only then does the receiver come up on its loopback port. Every decision must arrive, signed,
 * with the body it was decided with, under its own idempotency key; a repeat at the receiver is
 * only allowed under the same key with the same body (the receiver de-duplicates by key).
 */
class DeliveryAfterKillTest {
    private static final String KEY = "adversarial-write-key";
    private static final String ADMIN = "adversarial-admin-token";
    private static final String SECRET = "adversarial-receiver-secret";
    private static final int PEOPLE = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @TempDir
    Path config;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Arrival(String key, int attempt, String signature, byte[] body, Instant at) {}

    @Test
    @DisplayName("issue 12 item 13: deliveries queued when the server is killed with -9 all arrive after a restart, "
            + "once per idempotency key, with their original bodies")
    void deliveriesQueuedAtAKillMinusNineArriveAfterTheRestartOncePerKey() throws Exception {
        int port = freePort();
        int receiverPort = freePort(); // nothing listens here until after the restart
        Path webhooks = config.resolve("webhooks.json");
        Files.writeString(webhooks, webhooks(receiverPort));
        Path firstLog = config.resolve("first.log");
        Path secondLog = config.resolve("second.log");

        Process server = start(port, webhooks, firstLog);
        Process again = null;
        HttpServer receiver = null;
        List<Arrival> arrivals = new CopyOnWriteArrayList<>();
        try {
            Set<String> decided = new LinkedHashSet<>();
            Instant before = Instant.now();
            for (int i = 0; i < PEOPLE; i++) {
                String user = "kill-" + i;
                ingest(
                        port,
                        "{\"type\":\"track\",\"messageId\":\"m-" + i + "\",\"userId\":\"" + user
                                + "\",\"event\":\"Product Used\",\"timestamp\":\"" + before.minus(Duration.ofHours(1))
                                + "\",\"properties\":{\"description\":\"the charger is broken\"}}");
                JsonNode d = admin(port, "POST", "/api/decisions", "{\"profile\":\"" + user + "\"}");
                assertThat(d.path("outcome").asText()).as(d.toString()).isEqualTo("act");
                assertThat(d.path("delivery").asText()).as(d.toString()).startsWith("queued");
                decided.add(d.path("id").asText());
            }
            assertThat(decided).hasSize(PEOPLE);
            // every delivery is bound to its body and at least one is retrying against the dead port
            await(Duration.ofSeconds(20), "every delivery sending and one retried", () -> {
                JsonNode sending = admin(port, "GET", "/api/deliveries?status=sending", null)
                        .path("deliveries");
                Set<String> keys = new LinkedHashSet<>(sending.findValuesAsText("key"));
                boolean retried = false;
                for (JsonNode s : sending) retried |= s.path("attempts").asInt() >= 2;
                return keys.containsAll(decided) && retried;
            });

            server.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no dead-lettering
            assertThat(server.exitValue()).as("killed by SIGKILL").isEqualTo(137);

            again = start(port, webhooks, secondLog);
            receiver = receiver(receiverPort, arrivals);

            await(
                    Duration.ofSeconds(60),
                    "every decision at the receiver",
                    () -> arrivals.stream()
                            .map(Arrival::key)
                            .collect(Collectors.toSet())
                            .containsAll(decided));
            await(Duration.ofSeconds(20), "every decision recorded as delivered", () -> {
                for (int i = 0; i < PEOPLE; i++) {
                    JsonNode ds = admin(port, "GET", "/api/profiles/kill-" + i + "/decisions", null)
                            .path("decisions");
                    if (!ds.findValuesAsText("status").equals(List.of("delivered"))) return false;
                }
                return true;
            });

            Map<String, List<Arrival>> byKey =
                    new TreeMap<>(arrivals.stream().collect(Collectors.groupingBy(Arrival::key)));
            assertThat(byKey.keySet())
                    .as("keys at the receiver: exactly the decisions")
                    .isEqualTo(new java.util.TreeSet<>(decided));
            List<String> repeated = new ArrayList<>();
            for (var e : byKey.entrySet()) {
                byte[] first = e.getValue().get(0).body();
                JsonNode body = JSON.readTree(first);
                assertThat(body.path("decision_id").asText())
                        .as("body of " + e.getKey())
                        .isEqualTo(e.getKey());
                for (Arrival a : e.getValue()) {
                    assertThat(a.body())
                            .as("every arrival under " + e.getKey() + " has the same bytes")
                            .isEqualTo(first);
                    assertThat(WebhookSignature.verify(SECRET, a.signature(), a.body(), a.at()))
                            .as("signature of " + e.getKey())
                            .isTrue();
                }
                if (e.getValue().size() > 1)
                    repeated.add(e.getKey() + " x" + e.getValue().size());
            }
            // a repeat is allowed (the receiver dedupes by key), but must be reported
            System.out.println("DeliveryAfterKillTest: " + decided.size() + " decisions, " + arrivals.size()
                    + " arrivals, repeated under the same key: " + repeated);
            String log = Files.readString(secondLog);
            assertThat(log).doesNotContain("re-queueing unfinished decisions failed");
            assertThat(log).contains("re-queueing " + PEOPLE + " decisions");
        } finally {
            if (receiver != null) receiver.stop(0);
            if (server.isAlive()) server.destroyForcibly().waitFor();
            if (again != null) {
                again.destroy();
                if (!again.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                    again.destroyForcibly().waitFor();
            }
        }
    }

    /** Every channel to the receiver; retries every 50 to 300 ms, far more attempts than the test lasts. */
    private static String webhooks(int receiverPort) {
        String eps = Arrays.stream(Channel.values())
                .map(c -> "\"" + c.label() + "\":{\"url\":\"http://127.0.0.1:" + receiverPort + "/hook/" + c.label()
                        + "\",\"secret\":\"" + SECRET + "\"}")
                .collect(Collectors.joining(","));
        return "{\"endpoints\":{" + eps + "},\"maxAttempts\":100000,\"baseDelay\":\"PT0.05S\",\"maxDelay\":\"PT0.3S\","
                + "\"requestTimeout\":\"PT2S\",\"maxConcurrent\":4}";
    }

    private static HttpServer receiver(int port, List<Arrival> arrivals) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        s.createContext("/hook/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            arrivals.add(new Arrival(
                    ex.getRequestHeaders().getFirst("Idempotency-Key"),
                    Integer.parseInt(ex.getRequestHeaders().getFirst("Fusion-Attempt")),
                    ex.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                    body,
                    Instant.now()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        s.start();
        return s;
    }

    private Process start(int port, Path webhooks, Path log) throws Exception {
        return fusion.server.ServerProcess.serve(
                port,
                java.util.Map.of("FUSION_WRITE_KEY", KEY, "FUSION_ADMIN_TOKEN", ADMIN),
                log,
                "--data",
                data.toString(),
                "--webhooks",
                webhooks.toString(),
                "--limits",
                "quiet=none");
    }

    private void ingest(int port, String call) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                        .timeout(Duration.ofSeconds(10))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"batch\":[" + call + "]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private JsonNode admin(int port, String method, String path, String body) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + ADMIN)
                            .header("Content-Type", "application/json")
                            .method(
                                    method,
                                    body == null
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(Duration limit, String what, BooleanSupplier done) {
        org.awaitility.Awaitility.await(what)
                .atMost(limit)
                .pollInterval(Duration.ofMillis(50))
                .until(done::getAsBoolean);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
