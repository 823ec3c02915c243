package fusion.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real webhook receiver on a loopback port: one path per channel ({@code /hook/<channel>}),
 * answering what {@link #answer} says, and keeping every request it got.
 */
final class WebhookReceiver implements AutoCloseable {
    static final String SECRET = "receiver-secret-0123456789";

    record Received(String path, String key, int attempt, String signature, byte[] body) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** An answer: the status and, when not negative, a Retry-After in seconds. */
    record Answer(int status, int retryAfter) {
        static final Answer OK = new Answer(200, -1);
    }

    final HttpServer http;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final BlockingQueue<Received> arrivals = new LinkedBlockingQueue<>();
    volatile Function<Received, Answer> answer = r -> Answer.OK;

    WebhookReceiver() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/hook/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Received r = new Received(
                    ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Idempotency-Key"),
                    Integer.parseInt(ex.getRequestHeaders().getFirst("Fusion-Attempt")),
                    ex.getRequestHeaders().getFirst("Fusion-Signature"),
                    body);
            received.add(r);
            Answer a = answer.apply(r);
            if (a.retryAfter() >= 0) ex.getResponseHeaders().add("Retry-After", Integer.toString(a.retryAfter()));
            ex.sendResponseHeaders(a.status(), -1);
            ex.close();
            arrivals.add(r);
        });
        http.start();
    }

    /** The webhooks file content: every messaging-like channel to this receiver, fast retries. */
    String config() {
        StringBuilder eps = new StringBuilder();
        for (String c : List.of("email", "messaging", "app", "phone", "video")) {
            if (eps.length() > 0) eps.append(',');
            eps.append('"')
                    .append(c)
                    .append("\":{\"url\":\"")
                    .append(url(c))
                    .append("\",\"secret\":\"")
                    .append(SECRET)
                    .append("\"}");
        }
        return "{\"endpoints\":{" + eps + "},\"maxAttempts\":3,\"baseDelay\":\"PT0.02S\",\"maxDelay\":\"PT2S\","
                + "\"requestTimeout\":\"PT5S\"}";
    }

    URI url(String channel) {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/hook/" + channel);
    }

    Received next() throws InterruptedException {
        Received r = arrivals.poll(10, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("the receiver got nothing within 10 s");
        return r;
    }

    List<Received> of(String key) {
        return received.stream().filter(r -> key.equals(r.key())).toList();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
