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
 * How the commands that talk to a running server find it. Explicit settings win: {@code --url}
 * (or {@code FUSION_URL}), {@code --token} (or {@code FUSION_TOKEN}), {@code --data}. Otherwise
 * the data directory is the default one a running server announces in its {@code server.json}
 * ({@code ./fusion-data} for {@code serve}, {@code ./fusion-demo} for {@code demo}; see
 * {@link ServerFile}), the URL is the one it announces, and the token is its bootstrap admin
 * token, read from that directory's {@code secrets.properties} (or from {@code FUSION_ADMIN_TOKEN}
 * when the server took it from there).
 */
final class ApiOptions {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static final String FALLBACK_URL = "http://127.0.0.1:7070";

    @Option(
            names = "--url",
            paramLabel = "URL",
            defaultValue = "${env:FUSION_URL}",
            description = "the running Fusion server (or set FUSION_URL; default: the one running on the data "
                    + "directory, else " + FALLBACK_URL + ")")
    String url;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            defaultValue = "${env:FUSION_TOKEN}",
            description = "API token (or set FUSION_TOKEN; default: the admin token of the server running on the data "
                    + "directory, from DIR/secrets.properties)")
    String token;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "the server's data directory (default: ./fusion-data or "
                    + "./fusion-demo, whichever a running server uses)")
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
        String url = url();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
                .timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token())
                .method(
                        method,
                        raw == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(raw, StandardCharsets.UTF_8));
        if (raw != null) b.header("Content-Type", body instanceof String ? "text/csv" : "application/json");
        HttpResponse<String> r;
        try {
            r = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Failed(
                    0,
                    "no Fusion server answers at " + url + " (start one with ./fusion serve or ./fusion demo, "
                            + "or pass --url)");
        }
        JsonNode json = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
        if (r.statusCode() >= 400) {
            String field = json.path("field").asText("");
            throw new Failed(
                    r.statusCode(),
                    "HTTP " + r.statusCode() + ": " + json.path("error").asText(r.body())
                            + (field.isEmpty() ? "" : " (field: " + field + ")"));
        }
        return json;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean given(String s) {
        return s != null && !s.isBlank();
    }

    /** The data directory: {@code --data}, or the default one a running server uses. */
    Path dataDir() throws IOException {
        if (data != null) return data;
        try {
            return ServerFile.defaultDir(Path.of(""));
        } catch (ServerFile.NoDefault e) {
            throw new Failed(0, e.getMessage());
        }
    }

    /** {@code --url}, else the URL of the server running on the data directory, else {@value #FALLBACK_URL}. */
    String url() throws IOException {
        if (given(url)) return url.trim();
        return ServerFile.running(dataDir()).map(ServerFile::url).orElse(FALLBACK_URL);
    }

    private String token() throws IOException {
        if (given(token)) return token.trim();
        Path dir = dataDir();
        var server = ServerFile.running(dir);
        if (server.isPresent() && server.get().adminToken().equals("FUSION_ADMIN_TOKEN")) {
            String env = System.getenv("FUSION_ADMIN_TOKEN");
            if (given(env)) return env.trim();
            throw new Failed(
                    0,
                    "no API token: the server at " + server.get().url() + " takes its admin token from "
                            + "FUSION_ADMIN_TOKEN, which is not set here: pass --token or set FUSION_TOKEN");
        }
        Path file = dir.resolve("secrets.properties");
        if (!Files.exists(file)) {
            throw new Failed(
                    0,
                    "no API token: no server is running on " + dir.toAbsolutePath() + " and it holds no "
                            + "secrets.properties; pass --token, set FUSION_TOKEN, or point --data at the server's data directory");
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
