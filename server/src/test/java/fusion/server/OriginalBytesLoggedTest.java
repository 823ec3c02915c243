package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log keeps each call's bytes as the client sent them, not a re-encoding of what was read. */
class OriginalBytesLoggedTest {
    @TempDir
    Path dir;

    /** Spacing, field order, a number's spelling and fields Fusion does not read: none survive an encoding. */
    private static final String FIRST = "{ \"userId\" :\"ana\",  \"type\":\"track\",\n"
            + "  \"event\":\"Order Completed\", \"messageId\":\"orig-1\",\n"
            + "  \"properties\":{\"brand\":\"glitter\", \"revenue\":12.50, \"note\":\"café\"},\n"
            + "  \"integrations\":{\"All\":false}, \"timestamp\":\"2026-11-24T09:59:30.5+01:00\" }";

    private static final String SECOND = "{\"type\":\"identify\",\"messageId\":\"orig-2\",\"userId\":\"ana\","
            + "\"traits\":{\"name\":\"Ana\"},\"sentAt\":\"2026-11-24T09:00:00Z\"}";

    @Test
    @DisplayName("issue 18 request side: the events row holds the call's bytes exactly as they were posted")
    void theEventsRowHoldsTheBytesAsPosted() throws Exception {
        try (Running fusion = new Running(dir)) {
            var reply = fusion.postJson("/v1/batch", "{\"batch\":[" + FIRST + ",\n" + SECOND + "]}");
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
            assertThat(reply.body().get("accepted").asInt()).isEqualTo(2);
            String first = body("orig-1");
            assertThat(first).contains(FIRST);
            assertThat(first)
                    .startsWith(
                            "{\"type\":\"track\",\"messageId\":\"orig-1\",\"timestamp\":\"2026-11-24T08:59:30.500Z\"");
            assertThat(body("orig-2")).contains(SECOND);
            // what was read from those bytes is what the engine saw
            var rels = fusion.get("/api/profiles/ana/relationships").body();
            assertThat(rels.get(0).get("brand").asText()).isEqualTo("glitter");
            assertThat(rels.get(0).get("money").asDouble()).isEqualTo(12.5);
        }
    }

    @Test
    @DisplayName(
            "issue 18 request side: a call that takes the batch's context is logged as sent with that context first")
    void aCallWithTheBatchContextIsLoggedWithIt() throws Exception {
        try (Running fusion = new Running(dir)) {
            var reply = fusion.postJson(
                    "/v1/batch",
                    "{\"context\":{\"ip\":\"10.0.0.1\"},\"batch\":[{\"type\":\"track\",\"messageId\":\"ctx-1\","
                            + "\"userId\":\"bo\",\"event\":\"Product Viewed\"}]}");
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
            assertThat(body("ctx-1"))
                    .startsWith("{\"type\":\"track\",\"messageId\":\"ctx-1\",\"timestamp\":")
                    .endsWith(",\"call\":{\"context\":{\"ip\":\"10.0.0.1\"},\"type\":\"track\",\"messageId\":\"ctx-1\","
                            + "\"userId\":\"bo\",\"event\":\"Product Viewed\"}}");
        }
    }

    private String body(String messageId) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                PreparedStatement ps = c.prepareStatement("SELECT body FROM events WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("the events row of " + messageId).isTrue();
                return rs.getString(1);
            }
        }
    }

    @Test
    @DisplayName(
            "issue 18 request side: a call with an escape is logged in canonical form, so erasure finds the names in it")
    void aCallWithAnEscapeIsEncoded() throws Exception {
        try (Running fusion = new Running(dir)) {
            var reply = fusion.postJson(
                    "/v1/batch",
                    "{\"batch\":[{\"type\":\"track\",\"messageId\":\"esc-1\",\"userId\":\"\\u0061na\","
                            + "\"event\":\"Product Viewed\",\"properties\":{\"co_parties\":[\"b\\u0065a\"]}}]}");
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
            assertThat(body("esc-1"))
                    .startsWith("{\"type\":\"track\",\"messageId\":\"esc-1\",\"userId\":\"ana\","
                            + "\"event\":\"Product Viewed\",\"properties\":{\"co_parties\":[\"bea\"]},\"timestamp\":");
        }
    }
}
