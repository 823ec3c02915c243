package fusion.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.server.http.Admission;
import fusion.store.sql.SqlStore;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris on ingestion: connections that send headers without credentials, then a body one
 * byte every two seconds. They must not keep real clients out, and none may hold the server
 * longer than the body deadline. Every connection is closed by the test; it stops by itself.
 */
class IngestSlowBodiesTest {
    private static final String KEY = "adversarial-write-key";

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @DisplayName("issue 12 item 6: twenty slow bodies without credentials do not keep a real client's batch from 200")
    void slowBodiesWithoutCredentialsDoNotStopIngest() throws Exception {
        try (Server fusion = new Server(dir, Admission.Limits.defaults());
                Trickle slow = new Trickle()) {
            int idle = fusion.busyThreads();
            for (int i = 0; i < 20; i++) slow.open(fusion.port(), null);
            fusion.awaitBusyThreads(idle + 20);
            // Basic auth: checked from the headers, so it never competes with the slow ones
            HttpResponse<String> real =
                    http.send(batch(fusion.port(), "real-1", true), HttpResponse.BodyHandlers.ofString());
            assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
            // a key in the body still works: twenty slow readers leave places for it
            HttpResponse<String> bodyKey =
                    http.send(batch(fusion.port(), "real-2", false), HttpResponse.BodyHandlers.ofString());
            assertThat(bodyKey.statusCode()).as(bodyKey.body()).isEqualTo(200);
            assertThat(fusion.server.store().stats().events()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("issue 12 item 6: a body that has not arrived by the deadline has its connection closed, key or not")
    void aLateBodyIsCutAtTheDeadline() throws Exception {
        Admission.Limits quick = new Admission.Limits(16, Duration.ofSeconds(2), 1, Duration.ofSeconds(1), 32);
        try (Server fusion = new Server(dir, quick);
                Trickle slow = new Trickle()) {
            int idle = fusion.busyThreads();
            Socket withKey = slow.open(fusion.port(), KEY);
            Socket without = slow.open(fusion.port(), null);
            fusion.awaitBusyThreads(idle + 2);
            for (Socket s : List.of(withKey, without)) {
                s.setSoTimeout(15_000); // far beyond the deadline of 1 s: a hang fails the test
                String answer = readToEnd(s.getInputStream());
                assertThat(answer)
                        .as("408 or a plain close, never a hang")
                        .satisfiesAnyOf(
                                a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 408"));
            }
            HttpResponse<String> real =
                    http.send(batch(fusion.port(), "after", true), HttpResponse.BodyHandlers.ofString());
            assertThat(real.statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("issue 12 item 6: beyond the places for bodies without credentials, one more gets 503 at once")
    void tooManyReadsWithoutCredentialsAreTurnedAway() throws Exception {
        Admission.Limits two = new Admission.Limits(16, Duration.ofSeconds(2), 7, Duration.ofSeconds(20), 2);
        try (Server fusion = new Server(dir, two);
                Trickle slow = new Trickle()) {
            int idle = fusion.busyThreads();
            slow.open(fusion.port(), null);
            slow.open(fusion.port(), null);
            fusion.awaitBusyThreads(idle + 2);
            HttpResponse<String> third =
                    http.send(batch(fusion.port(), "third", false), HttpResponse.BodyHandlers.ofString());
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(third.body()).contains("Basic-auth");
            HttpResponse<String> basic =
                    http.send(batch(fusion.port(), "basic", true), HttpResponse.BodyHandlers.ofString());
            assertThat(basic.statusCode())
                    .as("a key in the headers is not held up")
                    .isEqualTo(200);
        }
    }

    private static HttpRequest batch(int port, String id, boolean basic) {
        String body =
                "{" + (basic ? "" : "\"writeKey\":\"" + KEY + "\",") + "\"batch\":[{\"type\":\"track\",\"messageId\":\""
                        + id + "\",\"userId\":\"u\",\"event\":\"Order Completed\"}]}";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basic) b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes()));
        return b.build();
    }

    private static String readToEnd(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException reset) {
            return ""; // closed by the server with a reset: that is a close too
        }
    }

    /** A Fusion server with the given admission over a fresh SQLite store. */
    private static final class Server implements AutoCloseable {
        final FusionServer server;
        final Javalin app;

        Server(Path dir, Admission.Limits admission) {
            server = FusionServer.start(
                    FusionConfig.of("127.0.0.1", 0, new Credentials(KEY, "admin"))
                            .withAdmission(admission),
                    SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())));
            app = server.http();
        }

        int port() {
            return app.port();
        }

        int busyThreads() {
            return ((org.eclipse.jetty.util.thread.QueuedThreadPool)
                            app.jettyServer().threadPool())
                    .getBusyThreads();
        }

        /** Polls until {@code n} worker threads are busy: the slow requests are being handled, not queued. */
        void awaitBusyThreads(int n) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (busyThreads() < n) {
                assertThat(System.nanoTime())
                        .as("the server took up the slow requests")
                        .isLessThan(deadline);
                Thread.sleep(10);
            }
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** Connections that announce a 100 KB body and send one byte of it every two seconds. */
    private static final class Trickle implements AutoCloseable {
        private final List<Socket> sockets = new ArrayList<>();
        private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();

        Trickle() {
            clock.scheduleAtFixedRate(this::drip, 2, 2, TimeUnit.SECONDS);
        }

        Socket open(int port, String key) throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            String head = "POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + (key == null
                            ? ""
                            : "Authorization: Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes())
                                    + "\r\n")
                    + "Content-Length: 100000\r\n\r\n{";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            synchronized (sockets) {
                sockets.add(s);
            }
            return s;
        }

        private void drip() {
            synchronized (sockets) {
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write(' ');
                        s.getOutputStream().flush();
                    } catch (IOException closedByServer) {
                        // the deadline closed it: nothing more to send
                    }
                }
            }
        }

        @Override
        public void close() {
            clock.shutdownNow();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing is all that is left
                    }
                }
            }
        }
    }
}
