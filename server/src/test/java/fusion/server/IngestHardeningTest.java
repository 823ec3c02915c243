package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.ModelConfig;
import fusion.store.Replay;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 12, items 1 to 5: what real clients and an attacker holding a write key send to /v1. */
class IngestHardeningTest {
    @TempDir
    Path dir;

    @TempDir
    Path rebuilt;

    private static final String AUTH = Running.basic(Running.WRITE_KEY + ":");

    private static String track(String messageId, String who, String properties) {
        return "{\"type\":\"track\"," + (messageId == null ? "" : "\"messageId\":\"" + messageId + "\",") + who
                + ",\"event\":\"Order Completed\",\"properties\":" + properties + "}";
    }

    private static String batch(String... calls) {
        return "{\"batch\":[" + String.join(",", calls) + "]}";
    }

    @Test
    @DisplayName("issue 12 item 1: a wrong write key with no Content-Type gets 401, not 415")
    void aWrongKeyWithoutContentTypeIs401() {
        try (Running fusion = new Running(dir)) {
            var reply = fusion.post(
                    "/v1/batch",
                    "<not json>".getBytes(StandardCharsets.UTF_8),
                    "Authorization",
                    Running.basic("wrong-key:"));
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.body().get("error").asText()).contains("unknown write key");
        }
    }

    @Test
    @DisplayName("issue 12 item 1: JSON sent as text/plain, form-urlencoded or without a type is accepted")
    void anyContentTypeCarryingJsonIsAccepted() {
        try (Running fusion = new Running(dir)) {
            int n = 0;
            for (String type :
                    new String[] {"application/x-www-form-urlencoded", "text/plain", null, "application/octet-stream"
                    }) {
                byte[] body = Running.gzip(batch(track("ct-" + n++, "\"userId\":\"u\"", "{\"revenue\":1}")));
                var reply = type == null
                        ? fusion.post("/v1/batch", body, "Authorization", AUTH, "Content-Encoding", "gzip")
                        : fusion.post(
                                "/v1/batch",
                                body,
                                "Authorization",
                                AUTH,
                                "Content-Encoding",
                                "gzip",
                                "Content-Type",
                                type);
                assertThat(reply.status()).as(type + ": " + reply.raw().body()).isEqualTo(200);
            }
            assertThat(fusion.server.store().stats().events()).isEqualTo(4);
        }
    }

    static Stream<Arguments> outOfRange() {
        String grant = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Consent Granted\",\"properties\":"
                + "{\"purpose\":\"marketing\",\"expiresAt\":\"%s\"}}";
        return Stream.of(
                Arguments.of(
                        "item 2",
                        "reach 2^63",
                        track("p1", "\"userId\":\"u\"", "{\"purpose\":\"advocacy\",\"reach\":9223372036854775808}"),
                        "properties.reach"),
                Arguments.of(
                        "item 2",
                        "followers_gained 2^63",
                        track("p2", "\"userId\":\"u\"", "{\"followers_gained\":9223372036854775808}"),
                        "properties.followers_gained"),
                Arguments.of(
                        "item 2",
                        "reach 10^10 + 1",
                        track("p3", "\"userId\":\"u\"", "{\"reach\":10000000001}"),
                        "properties.reach"),
                Arguments.of(
                        "item 2",
                        "a consent expiry in year 999999999",
                        grant.formatted("+999999999-12-31T23:59:59Z"),
                        "properties.expiresAt"),
                Arguments.of(
                        "item 2",
                        "a consent expiry in year 10000",
                        grant.formatted("+10000-01-01T00:00:00Z"),
                        "properties.expiresAt"),
                Arguments.of(
                        "item 3",
                        "revenue 1.7e308",
                        track("p4", "\"userId\":\"u\"", "{\"revenue\":1.7e308}"),
                        "properties.revenue"),
                Arguments.of(
                        "item 3",
                        "a refund of -1e13",
                        track("p5", "\"userId\":\"u\"", "{\"total\":-1e13}"),
                        "properties.total"),
                Arguments.of(
                        "item 3",
                        "wait_seconds of a century",
                        track("p6", "\"userId\":\"u\"", "{\"wait_seconds\":3155760000}"),
                        "properties.wait_seconds"),
                Arguments.of(
                        "item 3",
                        "repeat_contacts 2^31",
                        track("p7", "\"userId\":\"u\"", "{\"repeat_contacts\":2147483648}"),
                        "properties.repeat_contacts"),
                Arguments.of(
                        "item 3",
                        "value_received 1e300",
                        track("p8", "\"userId\":\"u\"", "{\"value_received\":1e300}"),
                        "properties.value_received"),
                Arguments.of(
                        "item 3",
                        "a sentAt in year 999999999 against an early timestamp",
                        "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"-999999999-01-01T00:00:00Z\","
                                + "\"sentAt\":\"+999999999-12-31T23:59:59Z\"}",
                        "timestamp"),
                Arguments.of(
                        "item 4",
                        "a lone high surrogate as userId",
                        track("i1", "\"userId\":\"\\ud800\"", "{}"),
                        "userId"),
                Arguments.of(
                        "item 4",
                        "another lone surrogate as userId",
                        track("i2", "\"userId\":\"\\udbff\"", "{}"),
                        "userId"),
                Arguments.of("item 4", "a NUL in userId", track("i3", "\"userId\":\"nul\\u0000byte\"", "{}"), "userId"),
                Arguments.of(
                        "item 4",
                        "a control character in anonymousId",
                        track("i4", "\"anonymousId\":\"dev\\u001bice\"", "{}"),
                        "anonymousId"),
                Arguments.of(
                        "item 4",
                        "a lone low surrogate in groupId",
                        "{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g\\udc00\"}",
                        "groupId"),
                Arguments.of(
                        "item 4",
                        "a NUL in previousId",
                        "{\"type\":\"alias\",\"userId\":\"u\",\"previousId\":\"\\u0000\"}",
                        "previousId"),
                Arguments.of(
                        "item 4",
                        "a line separator in messageId",
                        track("m\\u2028x", "\"userId\":\"u\"", "{}"),
                        "messageId"),
                Arguments.of(
                        "item 4",
                        "a noncharacter in the brand",
                        track("i5", "\"userId\":\"u\"", "{\"brand\":\"b\\uffff\"}"),
                        "properties.brand"),
                Arguments.of(
                        "item 4",
                        "a NUL in a co-party",
                        track("i6", "\"userId\":\"u\"", "{\"co_parties\":[\"ok\",\"x\\u0000\"]}"),
                        "properties.co_parties[1]"));
    }

    @ParameterizedTest(name = "issue 12 {0}: {1} is refused with 400 naming {3}")
    @MethodSource("outOfRange")
    @DisplayName("issue 12 items 2-4: out-of-range numbers and instants and unprintable ids are refused at the edge")
    void outOfRangeValuesAreRefusedNamingTheField(String item, String what, String call, String field) {
        try (Running fusion = new Running(dir)) {
            var before = fusion.server.store().digest();
            var reply = fusion.postJson("/v1/batch", batch(track("ok-1", "\"userId\":\"ok\"", "{}"), call));
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(400);
            assertThat(reply.body().get("field").asText()).isEqualTo("batch[1]." + field);
            assertThat(fusion.server.store().digest())
                    .as("nothing of the batch is stored")
                    .isEqualTo(before);
            // the single-call endpoints refuse the same call, naming the field as sent
            String type = readType(call);
            var single = fusion.postJson("/v1/" + type, call);
            assertThat(single.status()).as(single.raw().body()).isEqualTo(400);
            assertThat(single.body().get("field").asText()).isEqualTo(field);
        }
    }

    private static String readType(String call) {
        try {
            return Running.JSON.readTree(call).get("type").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("issue 12 item 4: printable ids in any script, emoji sequences included, are accepted as they are")
    void printableUnicodeIdsAreKept() {
        try (Running fusion = new Running(dir)) {
            String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // a ZWJ sequence
            for (String id : new String[] {"Zoë", "李小龍", family, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"}) {
                String json = batch(track(null, "\"userId\":" + Running.JSON.valueToTree(id), "{}"));
                assertThat(fusion.postJson("/v1/batch", json).status()).isEqualTo(200);
                assertThat(fusion.get("/api/profiles/"
                                        + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8)
                                                .replace("+", "%20"))
                                .body()
                                .get("id")
                                .asText())
                        .isEqualTo(id);
            }
        }
    }

    @Test
    @DisplayName("issue 12 item 3: two purchases of 1.7e308 are refused; the brand's money stays what was accepted")
    void hugeRevenueIsRefusedAndTheBrandStaysFinite() {
        try (Running fusion = new Running(dir)) {
            for (int i = 0; i < 2; i++) {
                var reply = fusion.postJson(
                        "/v1/track",
                        track("huge-" + i, "\"userId\":\"rich\"", "{\"brand\":\"glitter\",\"revenue\":1.7e308}"));
                assertThat(reply.status()).isEqualTo(400);
                assertThat(reply.body().get("field").asText()).isEqualTo("properties.revenue");
            }
            assertThat(fusion.postJson(
                                    "/v1/track",
                                    track("fine", "\"userId\":\"rich\"", "{\"brand\":\"glitter\",\"revenue\":10}"))
                            .status())
                    .isEqualTo(200);
            JsonNode glitter = brand(fusion, "glitter");
            assertThat(glitter.get("money").asDouble()).isEqualTo(10.0);
            assertThat(glitter.get("fusion").isNumber()).isTrue();
        }
    }

    @Test
    @DisplayName(
            "issue 12 item 3: many values at every bound leave money, fusion and experience finite, and replay equal")
    void maxBoundValuesStayFiniteAndReplayEqually() {
        try (Running fusion = new Running(dir)) {
            Instant t0 = Instant.now().minusSeconds(3_600);
            int calls = 0;
            for (int b = 0; b < 20; b++) {
                StringBuilder json = new StringBuilder("{\"batch\":[");
                for (int i = 0; i < 50; i++, calls++) {
                    if (i > 0) json.append(',');
                    // every number at its documented bound (docs/SECURITY.md), on one pair
                    json.append("{\"type\":\"track\",\"messageId\":\"max-")
                            .append(calls)
                            .append("\",\"userId\":\"whale\",\"event\":\"Order Completed\",\"timestamp\":\"")
                            .append(t0.plusSeconds(calls))
                            .append("\",\"properties\":{\"brand\":\"glitter\",")
                            .append("\"revenue\":1e12,\"reach\":10000000000,\"followers_gained\":10000000000,")
                            .append("\"value_received\":1e12,\"wait_seconds\":315576000,")
                            .append("\"repeat_contacts\":1000000,\"channel_switches\":1000000,\"wow\":true,")
                            .append("\"purpose\":\"advocacy\",\"sentiment\":1}}");
                }
                var reply = fusion.postJson("/v1/batch", json.append("]}").toString());
                assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
            }
            JsonNode glitter = brand(fusion, "glitter");
            // 1,000 purchases of 10^12: 10^15 exactly (every partial sum is an integer below 2^53)
            assertThat(glitter.get("money").asDouble()).isEqualTo(1e15);
            assertThat(glitter.get("fusion").asDouble()).isBetween(0.0, 100.0);
            assertThat(glitter.get("experience").asDouble()).isBetween(0.0, 100.0);
            JsonNode rel =
                    fusion.get("/api/profiles/whale/relationships").body().get(0);
            for (String f : new String[] {"experience", "fusion", "money"}) {
                assertThat(Double.isFinite(rel.get(f).asDouble()))
                        .as(f + " = " + rel.get(f))
                        .isTrue();
            }
            try (Store empty = SqlStore.sqlite(rebuilt, FusionServer.pipeline(ModelConfig.defaults()))) {
                Replay.Report report = Replay.run(
                        fusion.server.store(),
                        empty,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                assertThat(report.events()).isEqualTo(calls);
                assertThat(report.differences()).isEmpty();
            }
        }
    }

    private static JsonNode brand(Running fusion, String id) {
        for (JsonNode b : fusion.get("/api/brands").body()) {
            if (b.get("id").asText().equals(id)) return b;
        }
        throw new AssertionError("no brand " + id);
    }

    @Test
    @DisplayName("issue 12 item 5: the README's Order Completed example sent twice without messageId is kept twice")
    void identicalCallsWithoutMessageIdAreBothKept() {
        try (Running fusion = new Running(dir)) {
            String example = batch("{\"type\":\"track\",\"userId\":\"ana\",\"event\":\"Order Completed\","
                    + "\"properties\":{\"brand\":\"brewline\",\"revenue\":42}}");
            for (int i = 0; i < 2; i++) {
                var reply = fusion.postJson("/v1/batch", example);
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.body().get("accepted").asInt()).isEqualTo(1);
                assertThat(reply.body().get("duplicates").asInt()).isZero();
            }
            String single = "{\"userId\":\"ana\",\"event\":\"Order Completed\",\"properties\":{\"brand\":\"brewline\","
                    + "\"revenue\":42}}";
            var viaTrack = fusion.postJson("/v1/track", single);
            assertThat(viaTrack.body().get("accepted").asInt()).isEqualTo(1);
            assertThat(brand(fusion, "brewline").get("money").asDouble())
                    .as("three purchases of 42")
                    .isEqualTo(126.0);
            // with a messageId, /v1/track and /v1/batch are one call: the second is a duplicate
            String withId =
                    "{\"type\":\"track\",\"messageId\":\"same\",\"userId\":\"ana\",\"event\":\"Order Completed\"}";
            assertThat(fusion.postJson("/v1/track", withId)
                            .body()
                            .get("accepted")
                            .asInt())
                    .isEqualTo(1);
            assertThat(fusion.postJson("/v1/batch", batch(withId))
                            .body()
                            .get("duplicates")
                            .asInt())
                    .isEqualTo(1);
        }
    }
}
