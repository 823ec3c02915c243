package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests that gave 500s, HTML or a reset are answered with a JSON 4xx naming what was wrong. */
class HttpBoundsTest {
    private static final String FAR = "+999999999-12-31T23:59:59Z";

    @TempDir
    static Path dir;

    static Running s;

    @BeforeAll
    static void start() {
        s = new Running(dir);
        assertThat(s.postJson(
                                "/v1/track",
                                "{\"userId\":\"ana\",\"event\":\"Order Completed\","
                                        + "\"properties\":{\"revenue\":5}}")
                        .status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    @DisplayName("issue 12 item 16: instants past the documented range are 400 naming the field, not 500")
    void farInstantsAre400NamingTheField() {
        assertBadRequest(
                s.call("POST", "/api/decisions", Running.ADMIN, "{\"profile\":\"ana\",\"at\":\"" + FAR + "\"}"), "at");
        assertBadRequest(
                s.call(
                        "POST",
                        "/api/brands/own/actions",
                        Running.ADMIN,
                        "{\"name\":\"x\",\"kind\":\"concert\",\"starts\":\"" + FAR + "\"}"),
                "starts");
        assertBadRequest(s.get("/api/brands?at=%2B1000000000-01-01T00:00:00Z"), "at");
        assertBadRequest(s.get("/api/audit?since=-000001-01-01T00:00:00Z"), "since");
        // the ends of the range are accepted
        assertThat(s.get("/api/brands?at=9999-12-31T23:59:59Z").status()).isEqualTo(200);
        assertThat(s.get("/api/brands?at=1970-01-01T00:00:00Z").status()).isEqualTo(200);
    }

    @Test
    @DisplayName("issue 12 item 16: a brand action's name is bounded to 200 characters and its description to 2,000")
    void brandActionTextIsBounded() {
        String name200 = "n".repeat(200);
        assertThat(s.call(
                                "POST",
                                "/api/brands/own/actions",
                                Running.ADMIN,
                                "{\"name\":\"" + name200
                                        + "\",\"kind\":\"concert\",\"starts\":\"2026-11-01T00:00:00Z\"}")
                        .status())
                .isEqualTo(201);
        assertBadRequest(
                s.call(
                        "POST",
                        "/api/brands/own/actions",
                        Running.ADMIN,
                        "{\"name\":\"" + "n".repeat(100_000)
                                + "\",\"kind\":\"concert\",\"starts\":\"2026-11-01T00:00:00Z\"}"),
                "name");
        assertBadRequest(
                s.call(
                        "POST",
                        "/api/brands/own/actions",
                        Running.ADMIN,
                        "{\"name\":\"x\",\"description\":\"" + "d".repeat(2_001)
                                + "\",\"kind\":\"concert\",\"starts\":\"2026-11-01T00:00:00Z\"}"),
                "description");
    }

    @Test
    @DisplayName("issue 12 item 16: a write key cannot be issued under the bootstrap key's source name 'default'")
    void noWriteKeyForTheBootstrapSource() {
        assertBadRequest(s.call("POST", "/api/keys", Running.ADMIN, "{\"source\":\"default\"}"), "source");
        assertBadRequest(s.call("POST", "/api/keys", Running.ADMIN, "{\"source\":\" Default \"}"), "source");
        assertThat(s.call("POST", "/api/keys", Running.ADMIN, "{\"source\":\"shop\"}")
                        .status())
                .isEqualTo(201);
    }

    @Test
    @DisplayName("issue 12 item 16: URIs Jetty cannot decode get a JSON error, not its HTML page")
    void badUrisGetJson() throws Exception {
        for (String target : new String[] {
            "/api/profiles/%zz", "/api/profiles/%", "/api/profiles/%c3%28", "/api/profiles/" + "a".repeat(20_000)
        }) {
            Raw r = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Running.ADMIN
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(r.status())
                    .as(target.substring(0, Math.min(40, target.length())))
                    .isBetween(400, 499);
            assertThat(r.header("content-type")).as(r.head()).startsWith("application/json");
            assertThat(Running.JSON.readTree(r.body()).path("error").asText()).isNotBlank();
        }
    }

    @Test
    @DisplayName("issue 12 item 16: a body over the limit sent with Expect: 100-continue gets 413 in JSON, not 100 "
            + "and a reset")
    void expectContinueOverTheLimitGets413() throws Exception {
        Raw r = raw("POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: " + Running.basic(Running.WRITE_KEY + ":")
                + "\r\nContent-Type: application/json\r\nContent-Length: 600000\r\nExpect: 100-continue\r\n\r\n");
        assertThat(r.status()).as(r.head()).isEqualTo(413);
        assertThat(r.header("content-type")).startsWith("application/json");
        JsonNode body = Running.JSON.readTree(r.body());
        assertThat(body.path("error").asText()).contains("512000");
        Raw api = raw("POST /api/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Running.ADMIN
                + "\r\nContent-Type: application/json\r\nContent-Length: 3000000\r\nExpect: 100-continue\r\n\r\n");
        assertThat(api.status()).as(api.head()).isEqualTo(413);
    }

    private static void assertBadRequest(Running.Reply r, String field) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
        assertThat(r.body().path("field").asText()).isEqualTo(field);
    }

    /** A response read off a raw socket: the first status line that is not 100 Continue... or 100 itself. */
    record Raw(String head, String body) {
        int status() {
            return Integer.parseInt(head.split(" ", 3)[1]);
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }
    }

    /** Sends {@code request} as is and reads the first response (head and body) until the server closes or stops. */
    private static Raw raw(String request) throws IOException {
        return raw(s.server.port(), request);
    }

    /** The same, to the server on {@code port}. */
    static Raw raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            int n;
            String text;
            while (true) {
                n = in.read(b);
                if (n > 0) buf.write(b, 0, n);
                text = buf.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    String head = text.substring(0, end);
                    if (head.startsWith("HTTP/1.1 100")) return new Raw(head, ""); // the defect: 100 first
                    int length = contentLength(head);
                    if (length >= 0 && text.length() - end - 4 >= length) {
                        return new Raw(head, text.substring(end + 4, end + 4 + length));
                    }
                    if (n < 0) return new Raw(head, text.substring(end + 4));
                }
                if (n < 0) throw new IOException("closed before a response: " + text);
            }
        }
    }

    private static int contentLength(String head) {
        return Integer.parseInt(
                new Raw(head, "").header("content-length").isEmpty()
                        ? "-1"
                        : new Raw(head, "").header("content-length"));
    }
}
