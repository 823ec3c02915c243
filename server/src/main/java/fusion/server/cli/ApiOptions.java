package fusion.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * How the commands that talk to a running server find it: {@code --url} and an API token,
 * from {@code --token}, {@code FUSION_TOKEN}, or the admin token in the data directory's
 * {@code secrets.properties}.
 */
final class ApiOptions {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:FUSION_URL:-http://127.0.0.1:7070}",
            description = "the running Fusion server (default ${DEFAULT-VALUE}; or set FUSION_URL)")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:FUSION_TOKEN}",
            description = "API token (or set FUSION_TOKEN; default: the admin token in DIR/secrets.properties)")
    String token;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory holding secrets.properties (default ./fusion-data)")
    Path data;

    /** A failed call: the server's message, and the field it names. */
    static final class Failed extends IOException {
        final int status;

        Failed(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        String raw = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
                .timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token())
                .method(method, raw == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(raw, StandardCharsets.UTF_8));
        if (raw != null) b.header("Content-Type", body instanceof String ? "text/csv" : "application/json");
        HttpResponse<String> r;
        try {
            r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Failed(0, "no Fusion server answers at " + url + " (start one with ./fusion serve, or pass --url)");
        }
        JsonNode json = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
        if (r.statusCode() >= 400) {
            String field = json.path("field").asText("");
            throw new Failed(r.statusCode(), "HTTP " + r.statusCode() + ": " + json.path("error").asText(r.body())
                    + (field.isEmpty() ? "" : " (field: " + field + ")"));
        }
        return json;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String token() throws IOException {
        if (token != null && !token.isBlank()) return token.trim();
        Path file = (data == null ? Path.of("fusion-data") : data).resolve("secrets.properties");
        if (!Files.exists(file)) {
            throw new Failed(0, "no API token: pass --token, set FUSION_TOKEN, or point --data at the server's data directory");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        String admin = p.getProperty("admin_token");
        if (admin == null || admin.isBlank()) throw new Failed(0, file + " holds no admin_token");
        return admin;
    }

    static void print(JsonNode json) throws IOException {
        System.out.println(JSON.writeValueAsString(json));
    }
}
