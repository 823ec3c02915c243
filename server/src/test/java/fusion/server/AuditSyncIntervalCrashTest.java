package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --audit-sync interval} gives up only what a power loss or an operating-system crash can
 * take: an entry is committed before its read is answered, so killing the server (SIGKILL, no
 * shutdown hook, no final flush) right after the answer loses nothing. The interval is 10 s, so the
 * kill lands long before the background flush could have run: only the commit can have kept it.
 */
class AuditSyncIntervalCrashTest {
    private static final String KEY = "audit-key";
    private static final String ADMIN = "audit-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @DisplayName("issue 18 audit.sync: with --audit-sync interval, a read answered 200 and the server killed with "
            + "kill -9 right after, the restarted server's audit query shows the read's entry")
    void aReadAnsweredInIntervalModeIsAuditedAfterAKill() throws Exception {
        int port = freePort();
        Process server = start(port, "first.log");
        try {
            assertThat(call(port, "GET", "/health", null, null).get("auditSync").asText())
                    .as("/health says which mode runs")
                    .isEqualTo("interval 10000 ms");
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((KEY + ":").getBytes());
            call(
                    port,
                    "POST",
                    "/v1/batch",
                    basic,
                    "{\"batch\":[{\"type\":\"identify\",\"messageId\":\"m-ines-1\",\"userId\":\"ines-k\","
                            + "\"traits\":{\"name\":\"Ines Kahl\"},\"timestamp\":\"2026-06-01T09:00:00Z\"}]}");
            JsonNode profile = call(port, "GET", "/api/profiles/ines-k", "Bearer " + ADMIN, null);
            assertThat(profile.toString()).as("the read was answered").contains("ines-k");
        } finally {
            server.destroyForcibly().waitFor(); // SIGKILL right after the answer
        }

        Process again = start(port, "second.log");
        try {
            JsonNode entries = call(port, "GET", "/api/audit?subject=ines-k", "Bearer " + ADMIN, null);
            List<String> reads = new ArrayList<>();
            for (JsonNode e : entries) {
                if (e.get("action").asText().equals("read profile")
                        && e.get("status").asInt() == 200
                        && e.get("subject").asText().equals("ines-k")) {
                    reads.add(e.toString());
                }
            }
            assertThat(reads).as("the answered read's entry, in " + entries).hasSize(1);
        } finally {
            again.destroy();
            again.waitFor();
        }
    }

    private Process start(int port, String log) throws IOException {
        return ServerProcess.serve(
                port,
                Map.of("FUSION_WRITE_KEY", KEY, "FUSION_ADMIN_TOKEN", ADMIN),
                data.resolve(log),
                "--data",
                data.toString(),
                "--audit-sync",
                "interval",
                "--audit-sync-interval",
                "10s");
    }

    /** The JSON answer of a request that must succeed (2xx). */
    private JsonNode call(int port, String method, String path, String auth, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) b.header("Authorization", auth);
        if (body != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
