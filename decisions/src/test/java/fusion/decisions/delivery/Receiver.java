package fusion.decisions.delivery;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver on loopback, port 0, that fails on purpose according to a script, checks
 * every signature and dedupes by idempotency key, as a well-behaved receiver would. It stops when
 * closed, and by itself after 30 s in case a test forgets.
 */
final class Receiver implements AutoCloseable {
    static final String SECRET = "whsec_test_0123456789abcdef";

    /** What to answer to the n-th request (1-based) for a key. */
    interface Script {
        Reply reply(int n);
    }

    record Reply(int status, long delayMillis, Map<String, String> headers) {
        static Reply of(int status) {
            return new Reply(status, 0, Map.of());
        }
    }

    record Request(String key, int attempt, byte[] body, boolean signatureValid, long receivedNanos) {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "receiver");
        t.setDaemon(true);
        return t;
    });
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Set<String> processed = ConcurrentHashMap.newKeySet();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    Receiver(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/hook", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try (exchange;
                    InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                String key = exchange.getRequestHeaders().getFirst(WebhookDelivery.IDEMPOTENCY_HEADER);
                int n = counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                boolean valid = WebhookSignature.verify(
                        SECRET, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), body, Instant.now());
                requests.add(new Request(
                        key,
                        Integer.parseInt(exchange.getRequestHeaders().getFirst(WebhookDelivery.ATTEMPT_HEADER)),
                        body,
                        valid,
                        System.nanoTime()));
                Reply reply = valid ? script.reply(n) : Reply.of(401);
                if (reply.delayMillis() > 0) {
                    Thread.sleep(reply.delayMillis());
                }
                if (reply.status() / 100 == 2 && !processed.add(key)) {
                    duplicates.incrementAndGet();
                }
                reply.headers().forEach((h, v) -> exchange.getResponseHeaders().add(h, v));
                exchange.sendResponseHeaders(reply.status(), -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.start();
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    close();
                },
                "receiver-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    List<Request> requestsFor(String key) {
        return requests.stream().filter(r -> r.key().equals(key)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
