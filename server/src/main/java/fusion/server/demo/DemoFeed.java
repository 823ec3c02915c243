package fusion.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Sends messages to a Fusion server the way an SDK would: gzipped {@code /v1/batch} requests with
 * the write key as Basic-auth user, retried with backoff on 429, 503 and connection errors
 * (honouring {@code Retry-After}), failing loudly on anything else.
 */
public final class DemoFeed {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 200;
    private static final int ATTEMPTS = 5;

    private final URI batchUri;
    private final String auth;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What a load did. */
    public record Report(int messages, int batches, long millis) {}

    public DemoFeed(URI base, String writeKey, PrintStream progress) {
        this.batchUri = base.resolve("/v1/batch");
        this.auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        this.progress = progress;
    }

    public Report send(List<ObjectNode> messages) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int batches = 0;
        int nextTenth = 1;
        for (int from = 0; from < messages.size(); from += BATCH) {
            List<ObjectNode> slice = messages.subList(from, Math.min(messages.size(), from + BATCH));
            post(slice);
            batches++;
            int sent = from + slice.size();
            if (sent * 10L >= (long) nextTenth * messages.size()) {
                progress.printf("demo: %,d / %,d events sent%n", sent, messages.size());
                nextTenth = (int) (sent * 10L / messages.size()) + 1;
            }
        }
        return new Report(messages.size(), batches, (System.nanoTime() - start) / 1_000_000);
    }

    private void post(List<ObjectNode> slice) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode batch = body.putArray("batch");
        slice.forEach(batch::add);
        byte[] gz = gzip(JSON.writeValueAsBytes(body));
        HttpRequest req = HttpRequest.newBuilder(batchUri).timeout(Duration.ofSeconds(30))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gz)).build();
        for (int attempt = 1; ; attempt++) {
            long waitMillis = 200L << attempt;
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 == 2) return;
                if (r.statusCode() != 429 && r.statusCode() != 503 || attempt == ATTEMPTS) {
                    throw new IOException("POST " + batchUri + " answered " + r.statusCode() + ": " + r.body());
                }
                waitMillis = r.headers().firstValue("Retry-After").map(s -> Long.parseLong(s.trim()) * 1000)
                        .orElse(waitMillis);
            } catch (IOException e) {
                if (attempt == ATTEMPTS || e.getMessage() != null && e.getMessage().startsWith("POST ")) throw e;
            }
            Thread.sleep(waitMillis);
        }
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }
}
