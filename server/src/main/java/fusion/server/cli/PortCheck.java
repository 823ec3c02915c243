package fusion.server.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Is the port free? Asked before {@code serve} creates anything, so a taken port costs one line
 * and leaves no data directory or credentials behind. It also says what holds the port when that
 * is cheap to learn: a Fusion server answers {@code /health} with its counts.
 */
final class PortCheck {
    private static final Duration ASK = Duration.ofSeconds(1);

    private PortCheck() {}

    /** Empty when {@code host:port} can be bound; else one line saying what holds it. */
    static Optional<String> taken(String host, int port) {
        if (port == 0) return Optional.empty();
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as the HTTP server binds: a port in TIME_WAIT is free
            s.bind(new InetSocketAddress(host, port));
            return Optional.empty();
        } catch (BindException e) {
            // the same exception says "Cannot assign requested address" for a host that is not ours
            if (e.getMessage() == null
                    || !e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("in use")) {
                return Optional.of("cannot listen on " + host + ":" + port + ": " + e.getMessage());
            }
            return Optional.of(message(host, port));
        } catch (IOException e) {
            return Optional.of("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
    }

    static String message(String host, int port) {
        return "port " + port + " on " + host + " is taken by " + holder(host, port)
                + "; stop it or choose another --port";
    }

    private static String holder(String host, int port) {
        String probe = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (probe.contains(":")) probe = "[" + probe + "]";
        try {
            HttpResponse<String> r = HttpClient.newBuilder()
                    .connectTimeout(ASK)
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://" + probe + ":" + port + "/health"))
                                    .timeout(ASK)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200
                    && r.body().contains("\"status\":\"ok\"")
                    && r.body().contains("\"events\"")) {
                var health = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
                return "a Fusion server (" + health.path("events").asLong() + " events; /health answered)";
            }
        } catch (IOException | RuntimeException e) {
            // not an HTTP server, or not answering: another process
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "another process";
    }
}
