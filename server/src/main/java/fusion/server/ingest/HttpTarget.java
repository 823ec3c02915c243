package fusion.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.model.InvalidInput;
import fusion.server.http.SegmentParser;
import fusion.store.IngestResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A running server's {@code /v1/import}, with a write key as Basic auth: what the server's own
 * validation and tracking plan refuse comes back as a 400 naming {@code batch[i]} and the field. A
 * batch is sent in parts under the API's limits (500 KB, 2,500 calls). A busy server (503 or 429)
 * is asked again after its {@code Retry-After} (at most {@value #TRIES} times).
 */
public final class HttpTarget implements ImportTarget {
    static final int TRIES = 20;
    private static final int PART_BYTES = SegmentParser.MAX_BATCH_BYTES - 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String auth;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HttpTarget(String url, String writeKey) {
        this.endpoint = URI.create(url.replaceAll("/+$", "") + "/v1/import");
        this.auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public IngestResult append(List<Call> calls) {
        IngestResult done = IngestResult.EMPTY;
        int from = 0;
        while (from < calls.size()) {
            List<byte[]> part = new ArrayList<>();
            int bytes = 16;
            while (from + part.size() < calls.size() && part.size() < SegmentParser.MAX_BATCH_CALLS) {
                byte[] one = bytes(calls.get(from + part.size()).json());
                if (!part.isEmpty() && bytes + one.length + 1 > PART_BYTES) break;
                part.add(one);
                bytes += one.length + 1;
            }
            try {
                done = done.plus(send(part));
            } catch (InvalidInput e) {
                if (from == 0) throw e;
                throw new Partial(from, done, shift(e, from));
            }
            from += part.size();
        }
        return done;
    }

    private IngestResult send(List<byte[]> part) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"batch\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < part.size(); i++) {
            if (i > 0) body.write(',');
            body.writeBytes(part.get(i));
        }
        body.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r;
            try {
                r = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                throw new UncheckedIOException(new IOException("no Fusion server answers at " + endpoint, e));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted while sending to " + endpoint));
            }
            JsonNode json = parse(r.body());
            int status = r.statusCode();
            if (status == 200) {
                return new IngestResult(
                        json.path("accepted").asInt(),
                        json.path("duplicates").asInt(),
                        json.path("scored").asInt(),
                        json.path("unknown").asInt());
            }
            String error = json.path("error").asText(r.body());
            if (status == 400 && json.hasNonNull("field")) {
                String field = json.get("field").asText();
                String problem = error.startsWith(field + ": ") ? error.substring(field.length() + 2) : error;
                throw new InvalidInput(field, problem);
            }
            if ((status == 503 || status == 429) && attempt < TRIES) {
                long wait = r.headers().firstValueAsLong("Retry-After").orElse(1);
                pause(Duration.ofSeconds(Math.max(1, Math.min(wait, 60))));
                continue;
            }
            throw new UncheckedIOException(new IOException(endpoint + " answered " + status + ": " + error));
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // the server asked for this wait (Retry-After)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while waiting for a busy server"));
        }
    }

    private static InvalidInput shift(InvalidInput e, int from) {
        var m = java.util.regex.Pattern.compile("^batch\\[(\\d+)\\](.*)$").matcher(e.field());
        if (!m.matches()) return e;
        return new InvalidInput("batch[" + (Integer.parseInt(m.group(1)) + from) + "]" + m.group(2), e.problem());
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.nullNode();
        }
    }
}
