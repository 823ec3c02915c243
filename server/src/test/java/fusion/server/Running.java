package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.engine.ModelConfig;
import fusion.server.access.Credentials;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** A real Fusion server on a free loopback port over a temporary store, and a client for it. */
final class Running implements AutoCloseable {
    static final String WRITE_KEY = "test-write-key";
    static final String ADMIN = "test-admin-token";
    static final ObjectMapper JSON = new ObjectMapper();

    final FusionServer server;
    final HttpClient http = HttpClient.newHttpClient();

    Running(Path dir) {
        server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(WRITE_KEY, ADMIN)),
                SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())));
    }

    /** Serves {@code store} (which the server then owns) with {@code clock} as its "now". */
    Running(fusion.store.Store store, Clock clock) {
        server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(WRITE_KEY, ADMIN))
                        .withClock(clock),
                store);
    }

    /** A client for a server started by the caller (which {@link #close} then stops). */
    Running(FusionServer server) {
        this.server = server;
    }

    /** A request with {@code token} as the Bearer token ({@code null}: no Authorization header). */
    Reply call(String method, String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (json != null) b.header("Content-Type", "application/json");
        return send(b.build());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** A response: status and parsed JSON body. */
    record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

    Reply post(String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return send(b.build());
    }

    Reply postJson(String path, String json) {
        return post(
                path,
                json.getBytes(StandardCharsets.UTF_8),
                "Authorization",
                basic(WRITE_KEY + ":"),
                "Content-Type",
                "application/json");
    }

    /** Posts the calls to {@code /v1/batch} in batches of 400 and fails the test unless each is taken (200). */
    void sendAll(List<ObjectNode> calls) {
        for (int i = 0; i < calls.size(); i += 400) {
            ObjectNode batch = JSON.createObjectNode();
            ArrayNode a = batch.putArray("batch");
            calls.subList(i, Math.min(calls.size(), i + 400)).forEach(a::add);
            Reply r = postJson("/v1/batch", batch.toString());
            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        }
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + ADMIN)
                .GET()
                .build());
    }

    Reply send(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isEmpty() ? JSON.nullNode() : parse(r.body());
            return new Reply(r.statusCode(), body, r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(s);
        }
    }

    static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] gzip(String s) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(s.getBytes(StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
