package fusion.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * Loads messages into a running Fusion server through its public Segment API, as an SDK would:
 * gzipped {@code POST /v1/batch} requests of 200 calls with the write key as the Basic-auth user.
 * A batch refused for load (429, 503) or lost to a connection error is retried with backoff,
 * honouring {@code Retry-After}; resending is harmless because Fusion de-duplicates by messageId.
 * Any other refusal stops the load with the status and the server's explanation.
 */
public final class DemoLoader {
    static final int BATCH_SIZE = 200;
    static final int MAX_ATTEMPTS = 5;
    /** Fusion's limit per batch body; a batch of unusually large calls is split to stay under it. */
    static final int MAX_BATCH_BYTES = 500 * 1024;

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A longer Retry-After than this is more likely a misconfiguration than advice worth following. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final URI batchUri;
    private final String authorization;
    private final PrintStream progress;
    // HTTP/1.1: no h2c upgrade dance with the server, one plain request per batch
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** What a load did. */
    public record LoadReport(int messages, int batches, long millis) {}

    /** A batch the server refused for a reason retrying cannot fix, or still refused after every retry. */
    public static final class LoadFailed extends IOException {
        private final int status;

        LoadFailed(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The last HTTP status, or 0 when the server could not be reached. */
        public int status() {
            return status;
        }
    }

    /**
     * @param baseUri  the server, e.g. {@code http://127.0.0.1:7070}; a path prefix is kept
     * @param progress where progress lines go; {@code null} for none
     */
    public DemoLoader(URI baseUri, String writeKey, PrintStream progress) {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(writeKey, "writeKey");
        this.base = baseUri.toString().replaceAll("/+$", "");
        this.batchUri = URI.create(base + "/v1/batch");
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        this.progress = progress != null ? progress : new PrintStream(OutputStream.nullOutputStream());
    }

    /** Sends every message, in order, and returns when the server has acknowledged them all. */
    public LoadReport load(List<ObjectNode> messages) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int total = messages.size();
        int batches = 0;
        long nextReport = tenth(total, 1);
        for (int from = 0; from < total; from += BATCH_SIZE) {
            int to = Math.min(total, from + BATCH_SIZE);
            batches += send(messages.subList(from, to), from);
            if (to >= nextReport) {
                progress.println(String.format(Locale.ROOT, "demo: %,d / %,d events sent", to, total));
                nextReport = tenth(total, (int) (to * 10L / total) + 1);
            }
        }
        return new LoadReport(total, batches, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Declares brand actions through the API, as an operator would ({@code POST
     * /api/brands/{brand}/actions} with an operator or admin token); the brands must be known, so
     * this follows {@link #load}. Returns the declared actions as the server stored them.
     */
    public List<JsonNode> declare(List<Scenario.Action> actions, String token)
            throws IOException, InterruptedException {
        List<JsonNode> declared = new ArrayList<>();
        for (var a : actions) {
            URI uri = URI.create(
                    base + "/api/brands/" + URLEncoder.encode(a.brand(), StandardCharsets.UTF_8) + "/actions");
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(a.body())))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new LoadFailed(
                        "POST " + uri + " (" + a.body().path("name").asText() + ") was refused: HTTP " + r.statusCode()
                                + ": " + r.body(),
                        r.statusCode(),
                        null);
            }
            declared.add(JSON.readTree(r.body()));
            progress.println("demo: declared " + a.brand() + "'s "
                    + a.body().path("kind").asText() + " '"
                    + a.body().path("name").asText() + "'");
        }
        return declared;
    }

    /** The count at which the {@code k}-th tenth of the load is reached. */
    private static long tenth(int total, int k) {
        return Math.max(1, (long) Math.ceil(total * k / 10.0));
    }

    /** Posts one batch (split if its body is over the limit); returns the requests it took. */
    private int send(List<ObjectNode> slice, int offset) throws IOException, InterruptedException {
        byte[] json = body(slice);
        if (json.length > MAX_BATCH_BYTES && slice.size() > 1) {
            int half = slice.size() / 2;
            return send(slice.subList(0, half), offset) + send(slice.subList(half, slice.size()), offset + half);
        }
        post(gzip(json), offset, slice.size());
        return 1;
    }

    /**
     * The request body. No {@code sentAt}, on the batch or on a call: the calls' timestamps are
     * the event times of the past 60 days, and with a {@code sentAt} Fusion would correct them
     * for clock skew to the time of sending.
     */
    private static byte[] body(List<ObjectNode> slice) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode batch = body.putArray("batch");
        for (ObjectNode m : slice) {
            if (m.has("sentAt")) {
                ObjectNode copy = m.deepCopy();
                copy.remove("sentAt");
                batch.add(copy);
            } else {
                batch.add(m);
            }
        }
        return JSON.writeValueAsBytes(body);
    }

    private void post(byte[] gzipped, int offset, int count) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(batchUri)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped))
                .build();
        String what = String.format(Locale.ROOT, "POST %s (events %,d to %,d)", batchUri, offset, offset + count - 1);
        for (int attempt = 1; ; attempt++) {
            Duration wait = backoff(attempt);
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) return;
                if (status != 429 && status != 503) {
                    throw new LoadFailed(what + " was refused: HTTP " + status + ": " + response.body(), status, null);
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new LoadFailed(
                            what + " still refused after " + attempt + " attempts: HTTP " + status + ": "
                                    + response.body(),
                            status,
                            null);
                }
                wait = retryAfter(response).orElse(wait);
            } catch (LoadFailed e) {
                throw e;
            } catch (IOException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new LoadFailed(what + " failed after " + attempt + " attempts: " + e, 0, e);
                }
            }
            Thread.sleep(wait.toMillis());
        }
    }

    /** 250 ms, 500 ms, 1 s, 2 s, ...: enough for a busy server to drain, capped. */
    private static Duration backoff(int attempt) {
        Duration d = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 16));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /** {@code Retry-After} in seconds; an HTTP-date or garbage falls back to the backoff. */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) return Optional.empty();
        try {
            long seconds = Long.parseLong(header.get().trim());
            if (seconds < 0) return Optional.empty();
            Duration d = Duration.ofSeconds(seconds);
            return Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 4));
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }
}
