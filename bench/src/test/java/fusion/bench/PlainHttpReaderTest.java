package fusion.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * LoadDriver's reader against the JDK's own HTTP server on loopback: both framings a server may
 * answer with, several answers on one kept-alive connection (a body read short or long would
 * garble the next status line), and a closed connection reopened.
 */
class PlainHttpReaderTest {
    private HttpServer server;
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** /len/N: N bytes with Content-Length; /chunked/N: N bytes chunked; /close: closes after; status from ?s=. */
    private void answer(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        seen.add(path + " from " + x.getRemoteAddress().getPort() + " auth "
                + x.getRequestHeaders().getFirst("Authorization"));
        String query = x.getRequestURI().getQuery();
        int status = query != null && query.startsWith("s=") ? Integer.parseInt(query.substring(2)) : 200;
        String[] parts = path.split("/");
        int n = parts.length > 2 ? Integer.parseInt(parts[2]) : 3;
        byte[] body = "x".repeat(n).getBytes(StandardCharsets.US_ASCII);
        if (parts[1].equals("close")) x.getResponseHeaders().set("Connection", "close");
        x.sendResponseHeaders(status, parts[1].equals("chunked") ? 0 : body.length);
        try (OutputStream o = x.getResponseBody()) {
            // in pieces, so that a chunked answer has several chunks
            for (int i = 0; i < body.length; i += 1000) o.write(body, i, Math.min(1000, body.length - i));
        }
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    @DisplayName("issue 18 bench: the plain reader reads both framings, whole, on one kept-alive connection")
    void readsBothFramingsOnOneConnection() throws IOException {
        try (PlainHttpReader r = new PlainHttpReader(base(), "Bearer t")) {
            assertThat(r.get("/len/5")).isEqualTo(200);
            assertThat(r.get("/chunked/25000")).isEqualTo(200);
            assertThat(r.get("/len/0?s=404")).isEqualTo(404);
            assertThat(r.get("/chunked/1")).isEqualTo(200);
            assertThat(r.get("/len/70000")).isEqualTo(200);
        }
        assertThat(seen).hasSize(5);
        // one client port: every answer was read to its end, so the connection stayed usable
        assertThat(seen.stream()
                        .map(s -> s.replaceAll(".* from (\\d+) .*", "$1"))
                        .distinct())
                .hasSize(1);
        assertThat(seen).allMatch(s -> s.endsWith("auth Bearer t"));
    }

    @Test
    @DisplayName("issue 18 bench: a connection the server closes is opened again for the next read")
    void reopensAClosedConnection() throws IOException {
        try (PlainHttpReader r = new PlainHttpReader(base(), "Bearer t")) {
            assertThat(r.get("/close/10")).isEqualTo(200);
            assertThat(r.get("/len/10")).isEqualTo(200);
        }
        assertThat(seen.stream()
                        .map(s -> s.replaceAll(".* from (\\d+) .*", "$1"))
                        .distinct())
                .hasSize(2);
    }

    @Test
    @DisplayName("issue 18 bench: no server is an IOException, not a status")
    void noServerIsAnError() {
        URI gone = base();
        server.stop(0);
        try (PlainHttpReader r = new PlainHttpReader(gone, "Bearer t")) {
            assertThatThrownBy(() -> r.get("/len/1")).isInstanceOf(IOException.class);
        }
    }
}
