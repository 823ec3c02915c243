package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.store.StateDigest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IngestApiTest {
    @TempDir
    Path dir;

    Running fusion;

    @BeforeEach
    void start() {
        fusion = new Running(dir);
    }

    @AfterEach
    void stop() {
        fusion.close();
    }

    static String batch() {
        String t = Instant.now().minus(1, ChronoUnit.HOURS).toString();
        return """
            {"batch": [
              {"type": "identify", "messageId": "m1", "anonymousId": "anon-7", "userId": "ana",
               "traits": {"name": "Ana Lima", "email": "ana@example.com"}, "timestamp": "%1$s"},
              {"type": "track", "messageId": "m2", "userId": "ana", "event": "Order Completed",
               "properties": {"brand": "glitter", "revenue": 120}, "timestamp": "%1$s"},
              {"type": "track", "messageId": "m3", "anonymousId": "anon-7", "event": "Ticket Resolved",
               "properties": {"brand": "glitter", "wow": true, "channel": "chat"}, "timestamp": "%1$s"}
            ]}""".formatted(t);
    }

    @Test
    void aGzippedBatchWithBasicAuthIsAcceptedAndLandsOnOneProfile() {
        var reply = fusion.post(
                "/v1/batch",
                Running.gzip(batch()),
                "Authorization",
                Running.basic(Running.WRITE_KEY + ":"),
                "Content-Encoding",
                "gzip",
                "Content-Type",
                "application/json");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("accepted").asInt()).isEqualTo(3);

        var profile = fusion.get("/api/profiles/anon-7").body();
        assertThat(profile.get("id").asText()).isEqualTo("ana");
        assertThat(profile.get("identities").toString()).contains("user:ana", "anon:anon-7");
        assertThat(profile.get("traits").get("name").asText()).isEqualTo("Ana Lima");

        var rels = fusion.get("/api/profiles/ana/relationships").body();
        assertThat(rels).hasSize(1);
        var glitter = rels.get(0);
        assertThat(glitter.get("brand").asText()).isEqualTo("glitter");
        assertThat(glitter.get("fusion").asDouble()).isGreaterThan(50);
        assertThat(glitter.get("experience").asDouble()).isGreaterThan(50);
        assertThat(glitter.get("ledger").toString()).contains("spent 120", "wow moment");
        assertThat(fusion.get("/api/profiles/ana/timeline").body()).hasSize(3);
    }

    @Test
    void theSameBatchSentAgainChangesNothing() {
        assertThat(fusion.postJson("/v1/batch", batch()).status()).isEqualTo(200);
        StateDigest before = fusion.server.store().digest();
        var again = fusion.postJson("/v1/batch", batch());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("duplicates").asInt()).isEqualTo(3);
        assertThat(fusion.server.store().digest()).isEqualTo(before);
    }

    @Test
    void theWriteKeyWorksWithoutTheColonAndInTheBody() {
        String one = "{\"userId\":\"u1\",\"event\":\"Product Viewed\",\"messageId\":\"k1\"}";
        assertThat(fusion.post(
                                "/v1/track",
                                one.getBytes(StandardCharsets.UTF_8),
                                "Authorization",
                                Running.basic(Running.WRITE_KEY))
                        .status())
                .isEqualTo(200);
        String inBody = "{\"writeKey\":\"" + Running.WRITE_KEY + "\",\"batch\":[{\"type\":\"page\",\"userId\":\"u1\","
                + "\"name\":\"Home\",\"messageId\":\"k2\"}]}";
        assertThat(fusion.post("/v1/import/", inBody.getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);
        assertThat(fusion.get("/api/profiles/u1/timeline").body()).hasSize(2);
    }

    @Test
    void anUnknownWriteKeyGets401AndStoresNothing() {
        StateDigest before = fusion.server.store().digest();
        var reply = fusion.post(
                "/v1/batch", batch().getBytes(StandardCharsets.UTF_8), "Authorization", Running.basic("wrong:"));
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().get("error").asText()).contains("unknown write key");
        assertThat(fusion.post("/v1/batch", batch().getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(401);
        assertThat(fusion.server.store().digest()).isEqualTo(before);
    }

    static Stream<Arguments> badRequests() {
        String ok = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Product Viewed\",\"messageId\":\"x%d\"}";
        return Stream.of(
                Arguments.of("{\"batch\": [", "$"),
                Arguments.of("{\"batch\": {}}", "batch"),
                Arguments.of(
                        "{\"batch\": [" + ok.formatted(1) + ", {\"type\":\"track\",\"event\":\"E\"}]}",
                        "batch[1].userId"),
                Arguments.of(
                        "{\"batch\": [" + ok.formatted(2) + ", {\"type\":\"track\",\"userId\":7,\"event\":\"E\"}]}",
                        "batch[1].userId"),
                Arguments.of(
                        "{\"batch\": [{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Order Completed\","
                                + "\"properties\":{\"revenue\":\"ten\"}}]}",
                        "batch[0].properties.revenue"),
                Arguments.of(
                        "{\"batch\": [{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"17/3\"}]}",
                        "batch[0].timestamp"),
                Arguments.of("{\"batch\": [{\"type\":\"shout\",\"userId\":\"u\"}]}", "batch[0].type"),
                Arguments.of(
                        "{\"batch\": [{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"x\":\""
                                + "a".repeat(40_000) + "\"}}]}",
                        "batch[0]"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void aBadRequestGets400NamingTheFieldAndStoresNothing(String body, String field) {
        StateDigest before = fusion.server.store().digest();
        var reply = fusion.postJson("/v1/batch", body);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("field").asText()).isEqualTo(field);
        assertThat(reply.body().get("error").asText()).startsWith(field.equals("$") ? "malformed" : field);
        assertThat(fusion.server.store().digest()).isEqualTo(before);
    }

    @Test
    void anOversizeBatchGets400() {
        StringBuilder b = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 2_501; i++) {
            if (i > 0) b.append(',');
            b.append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"messageId\":\"o")
                    .append(i)
                    .append("\"}");
        }
        var reply = fusion.postJson("/v1/batch", b.append("]}").toString());
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("error").asText()).contains("limit");
        assertThat(fusion.server.store().stats().events()).isZero();
    }

    @Test
    void clockSkewIsCorrectedWithSentAt() {
        Instant clientNow = Instant.parse("2030-01-01T12:00:00Z");
        String body = "{\"sentAt\":\"" + clientNow + "\",\"batch\":[{\"type\":\"track\",\"userId\":\"s\","
                + "\"event\":\"Product Viewed\",\"messageId\":\"skew\",\"timestamp\":\"" + clientNow.minusSeconds(60)
                + "\"}]}";
        Instant before = Instant.now();
        assertThat(fusion.postJson("/v1/batch", body).status()).isEqualTo(200);
        Instant at = Instant.parse(
                fusion.get("/api/profiles/s/timeline").body().get(0).get("time").asText());
        assertThat(at).isBetween(before.minusSeconds(61), Instant.now().minusSeconds(59));
    }

    @Test
    void theReadApiNeedsTheAdminToken() {
        var reply = fusion.send(java.net.http.HttpRequest.newBuilder(fusion.uri("/api/brands"))
                .GET()
                .build());
        assertThat(reply.status()).isEqualTo(401);
        var wrong = fusion.send(java.net.http.HttpRequest.newBuilder(fusion.uri("/api/profiles/ana"))
                .header("Authorization", "Bearer nope")
                .GET()
                .build());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.raw().body()).doesNotContain(Running.ADMIN);
        assertThat(fusion.send(java.net.http.HttpRequest.newBuilder(fusion.uri("/health"))
                                .GET()
                                .build())
                        .status())
                .isEqualTo(200);
    }
}
