package fusion.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.segment.SegmentCall;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The log's record format: a call built in code is written as it always was (replay and the
 * digests depend on it byte for byte); a call read from a client keeps its text in an envelope.
 */
class LogCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The encoder as it was (a JSON tree, then text), kept here as the reference. */
    private static String treeEncode(SegmentCall c) throws Exception {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", c.type().wireName());
        n.put("messageId", c.messageId());
        for (String[] f : new String[][] {
            {"userId", c.userId()},
            {"anonymousId", c.anonymousId()},
            {"event", c.event()},
            {"name", c.name()},
            {"groupId", c.groupId()},
            {"previousId", c.previousId()}
        }) {
            if (f[1] != null) n.put(f[0], f[1]);
        }
        if (!c.properties().isEmpty()) n.set("properties", JSON.valueToTree(c.properties()));
        if (!c.traits().isEmpty()) n.set("traits", JSON.valueToTree(c.traits()));
        if (!c.context().isEmpty()) n.set("context", JSON.valueToTree(c.context()));
        n.put("timestamp", c.timestamp().toString());
        n.put("receivedAt", c.receivedAt().toString());
        return JSON.writeValueAsString(n);
    }

    @Test
    void theStreamedRecordIsTheTextTheTreeEncoderWrote() throws Exception {
        List<SegmentCall> calls = new ArrayList<>(Calls.random(7, 2_000));
        Map<String, Object> odd = new LinkedHashMap<>();
        odd.put("nested", Map.of("list", Arrays.asList(1, 2.5, null, "x\u00e9\u2028\"\\", true)));
        odd.put("big", new BigInteger("123456789012345678901234567890"));
        odd.put("long", 1L << 40);
        odd.put("tiny", 1e-7);
        odd.put("nothing", null);
        Instant t = Instant.parse("2026-03-01T00:00:00.123456Z");
        calls.add(new SegmentCall(
                SegmentCall.Type.TRACK,
                "odd",
                "u\u0000v",
                null,
                "Order Completed",
                null,
                null,
                null,
                odd,
                Map.of(),
                Map.of("ip", "1.2.3.4", "page", Map.of("url", "https://x/?a=1&b=<2>")),
                t,
                t));
        for (SegmentCall c : calls) {
            String record = LogCodec.encode(c);
            assertThat(record).isEqualTo(treeEncode(c));
            assertThat(LogCodec.encode(LogCodec.decode(record))).isEqualTo(record);
        }
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 18 request side: a call with its original text is logged as that text in an envelope and read back")
    void aCallWithItsOriginalTextIsLoggedAsThatText() throws Exception {
        String original =
                "{ \"type\":\"Track\", \"userId\":\"ana\",\"anonymousId\":\" \", \"event\":\"Order Completed\","
                        + "\"properties\":{\"revenue\":1e2,\"n\":3000000000,\"l\":[1,null,\"\\u00e9\"]},\"integrations\":{},"
                        + "\"timestamp\":\"2026-01-01T00:00:00+01:00\", \"messageId\":\"ignored here\" }";
        Instant at = Instant.parse("2026-03-01T00:00:00.123456Z");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("revenue", 100.0);
        properties.put("n", 3_000_000_000L);
        properties.put("l", Arrays.asList(1, null, "\u00e9"));
        SegmentCall call = new SegmentCall(
                SegmentCall.Type.TRACK,
                "m-1",
                "ana",
                null,
                "Order Completed",
                null,
                null,
                null,
                properties,
                Map.of(),
                Map.of(),
                at.minusSeconds(5),
                at,
                original);
        String record = LogCodec.encode(call);
        assertThat(record)
                .isEqualTo("{\"type\":\"track\",\"messageId\":\"m-1\",\"timestamp\":\"2026-02-28T23:59:55.123456Z\","
                        + "\"receivedAt\":\"2026-03-01T00:00:00.123456Z\",\"call\":" + original + "}");
        SegmentCall read = LogCodec.decode(record);
        assertThat(read).isEqualTo(call);
        assertThat(read.properties()).isEqualTo(properties);
        assertThat(read.original()).isEqualTo(original);
        assertThat(LogCodec.encode(read)).isEqualTo(record);
        assertThat(JSON.readTree(record).get("call")).isEqualTo(JSON.readTree(original));
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 18 request side: a record written before the envelope reads as it always did")
    void aRecordWrittenBeforeTheEnvelopeReadsAsBefore() {
        String old =
                "{\"type\":\"identify\",\"messageId\":\"m-2\",\"userId\":\"bo\",\"traits\":{\"name\":\"Bo\",\"age\":31},"
                        + "\"timestamp\":\"2026-02-28T23:59:55Z\",\"receivedAt\":\"2026-03-01T00:00:00Z\"}";
        SegmentCall read = LogCodec.decode(old);
        assertThat(read)
                .isEqualTo(new SegmentCall(
                        SegmentCall.Type.IDENTIFY,
                        "m-2",
                        "bo",
                        null,
                        null,
                        null,
                        null,
                        null,
                        Map.of(),
                        Map.of("name", "Bo", "age", 31),
                        Map.of(),
                        Instant.parse("2026-02-28T23:59:55Z"),
                        Instant.parse("2026-03-01T00:00:00Z")));
        assertThat(LogCodec.encode(read)).isEqualTo(old);
    }

    /** The envelope as Jackson's generator wrote it before: the reference for the builder that replaced it. */
    private static String generatedEnvelope(SegmentCall c) throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        try (var g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", c.type().wireName());
            g.writeStringField("messageId", c.messageId());
            g.writeStringField("timestamp", c.timestamp().toString());
            g.writeStringField("receivedAt", c.receivedAt().toString());
            g.writeFieldName("call");
            g.writeRawValue(c.original());
            g.writeEndObject();
        }
        return out.toString();
    }

    /** An instant of one of the shapes the text differs by: whole seconds, millis, micros, nanos, edges of the years written plainly. */
    private static Instant instantOf(java.util.Random r) {
        long sec = switch (r.nextInt(5)) {
            case 0 -> -62_167_219_200L + r.nextInt(3) - 1; // around 0000-01-01
            case 1 -> 253_402_300_800L + r.nextInt(3) - 1; // around 10000-01-01
            case 2 -> r.nextLong(-62_167_219_200L, 253_402_300_800L);
            default -> 1_700_000_000L + r.nextInt(200_000_000); // now-ish, leap days included
        };
        int nano = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextInt(1_000) * 1_000_000;
            case 2 -> r.nextInt(1_000_000) * 1_000;
            default -> r.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(sec, nano);
    }

    private static String textOf(java.util.Random r) {
        String pool = "am-1\"\\/\n\t\u0000\u001f\u007f\u00e9\u2028\ud83d\ude00 ";
        StringBuilder b = new StringBuilder("m"); // a messageId is never blank
        for (int i = r.nextInt(12); i > 0; i--) b.append(pool.charAt(r.nextInt(pool.length())));
        return b.toString();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    @org.junit.jupiter.api.DisplayName(
            "the envelope written by hand is the text Jackson's generator wrote, for any messageId and instant")
    void theEnvelopeIsTheGeneratorsText(int seed) throws Exception {
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < 2_000; i++) {
            Instant at = instantOf(r);
            StringBuilder b = new StringBuilder();
            LogCodec.instant(b, at);
            assertThat(b.toString())
                    .as("instant %s", at.getEpochSecond() + "/" + at.getNano())
                    .isEqualTo(at.toString());
            SegmentCall c = new SegmentCall(
                    r.nextBoolean() ? SegmentCall.Type.TRACK : SegmentCall.Type.IDENTIFY,
                    textOf(r),
                    "ana",
                    null,
                    "Order Completed",
                    null,
                    null,
                    null,
                    Map.of(),
                    Map.of(),
                    Map.of(),
                    instantOf(r),
                    at,
                    "{\"userId\":\"ana\",\"x\":" + r.nextInt() + "}");
            assertThat(LogCodec.encode(c)).isEqualTo(generatedEnvelope(c));
        }
    }
}
