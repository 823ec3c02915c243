package fusion.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.TrackMessage;
import com.sun.net.httpserver.HttpServer;
import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming parser against the tree parser it replaced ({@link TreeSegmentParser}, kept in the
 * tests unchanged): on what real clients send and on seeded random batches, both give the same
 * calls, or the same refusal; and each call's original text is exactly its bytes in the body.
 */
class SegmentParserParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-11-24T10:00:05.123456Z");

    private final SegmentParser streaming = new SegmentParser();
    private final TreeSegmentParser tree = new TreeSegmentParser();

    static IntStream seeds() {
        return IntStream.range(0, 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("issue 18 request side: on a random batch the streaming parser gives the tree parser's calls")
    void randomBatchesGiveTheSameCalls(int seed) throws Exception {
        Random r = new Random(seed);
        int parsed = 0;
        for (int round = 0; round < 20; round++) {
            String body = randomBatch(r);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String theirs = outcome(
                    () -> withoutGeneratedIds(tree.batch(bytes, RECEIVED).calls()));
            assertThat(outcome(() ->
                            withoutGeneratedIds(streaming.batch(bytes, RECEIVED).calls())))
                    .as(body)
                    .isEqualTo(theirs);
            if (theirs.startsWith("parsed")) {
                parsed++;
                SegmentParser.Request mine = streaming.batch(bytes, RECEIVED);
                assertThat(mine.writeKey())
                        .isEqualTo(tree.batch(bytes, RECEIVED).writeKey());
                assertOriginals(body, mine.calls());
            }
        }
        assertThat(parsed).as("many random batches are valid").isGreaterThan(3);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName(
            "issue 18 request side: on a mutated batch both parsers accept the same calls or refuse the same field")
    void mutatedBatchesGiveTheSameOutcome(int seed) {
        Random r = new Random(1_000 + seed);
        int refused = 0;
        for (int round = 0; round < 60; round++) {
            byte[] input = mutate(r, randomBatch(r).getBytes(StandardCharsets.UTF_8));
            String mine = outcome(
                    () -> withoutGeneratedIds(streaming.batch(input, RECEIVED).calls()));
            String theirs = outcome(
                    () -> withoutGeneratedIds(tree.batch(input, RECEIVED).calls()));
            assertThat(mine).as(new String(input, StandardCharsets.UTF_8)).isEqualTo(theirs);
            if (mine.startsWith("refused")) refused++;
        }
        assertThat(refused).as("the mutations reach the refusals").isPositive();
    }

    @Test
    @DisplayName("issue 18 request side: the captured RudderStack Node request gives the tree parser's call")
    void theCapturedRudderStackRequestGivesTheSameCall() throws Exception {
        JsonNode captured;
        try (InputStream in = getClass().getResourceAsStream("/clients/rudderstack-node.json")) {
            captured = JSON.readTree(in);
        }
        byte[] gzipped = Base64.getDecoder().decode(captured.get("bodyBase64").asText());
        byte[] body = Bodies.read(new java.io.ByteArrayInputStream(gzipped), "gzip", SegmentParser.MAX_BATCH_BYTES);
        List<SegmentCall> calls = streaming.batch(body, RECEIVED).calls();
        assertThat(calls).hasSize(1).isEqualTo(tree.batch(body, RECEIVED).calls());
        assertOriginals(new String(body, StandardCharsets.UTF_8), calls);
    }

    @Test
    @DisplayName("issue 18 request side: what Segment's Java SDK sends gives the tree parser's calls")
    void segmentsJavaSdkRequestGivesTheSameCalls() throws Exception {
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        HttpServer capture = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        capture.createContext("/", exchange -> {
            bodies.add(Bodies.read(
                    exchange.getRequestBody(),
                    exchange.getRequestHeaders().getFirst("Content-Encoding"),
                    SegmentParser.MAX_BATCH_BYTES));
            byte[] ok = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        capture.start();
        Analytics analytics = Analytics.builder("key")
                .endpoint("http://127.0.0.1:" + capture.getAddress().getPort())
                .flushQueueSize(5)
                .build();
        try {
            analytics.enqueue(TrackMessage.builder("Order Completed")
                    .userId("bea")
                    .properties(Map.of("brand", "brewline", "revenue", 30.5, "items", List.of(1, 2))));
            analytics.enqueue(IdentifyMessage.builder()
                    .userId("bea")
                    .anonymousId("device-1")
                    .traits(Map.of("name", "Bea", "age", 31)));
            analytics.enqueue(PageMessage.builder("Home").anonymousId("device-1"));
            analytics.enqueue(GroupMessage.builder("brewline").userId("bea"));
            analytics.enqueue(AliasMessage.builder("device-1").userId("bea"));
            analytics.flush();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !bodies.isEmpty());
        } finally {
            analytics.shutdown();
            capture.stop(0);
        }
        int seen = 0;
        for (byte[] body : bodies) {
            List<SegmentCall> calls = streaming.batch(body, RECEIVED).calls();
            assertThat(calls).isEqualTo(tree.batch(body, RECEIVED).calls());
            assertOriginals(new String(body, StandardCharsets.UTF_8), calls);
            seen += calls.size();
        }
        assertThat(seen).isEqualTo(5);
    }

    @Test
    @DisplayName("issue 18 request side: a single-call route keeps the whole body as the call's original text")
    void aSingleCallKeepsItsWholeBody() {
        String body =
                "{ \"userId\" : \"ana\", \"messageId\": \"s1\",\n \"event\":\"Order Completed\", \"integrations\":{\"All\":true} }";
        SegmentCall call = streaming
                .single(body.getBytes(StandardCharsets.UTF_8), SegmentCall.Type.TRACK, RECEIVED)
                .calls()
                .get(0);
        assertThat(call.original()).isEqualTo(body);
        assertThat(call)
                .isEqualTo(tree.single(body.getBytes(StandardCharsets.UTF_8), SegmentCall.Type.TRACK, RECEIVED)
                        .calls()
                        .get(0));
    }

    @Test
    @DisplayName("issue 18 request side: a call that takes the batch's context keeps its text with that context first")
    void aCallThatTakesTheBatchContextKeepsItFirst() {
        String body =
                "{\"context\":{\"ip\":\"1.2.3.4\"},\"batch\":[{\"type\":\"track\",\"userId\":\"ana\",\"event\":\"X\"},"
                        + "{\"type\":\"track\",\"userId\":\"ana\",\"event\":\"Y\",\"context\":{}}]}";
        List<SegmentCall> calls =
                streaming.batch(body.getBytes(StandardCharsets.UTF_8), RECEIVED).calls();
        assertThat(calls.get(0).context()).isEqualTo(Map.of("ip", "1.2.3.4"));
        assertThat(calls.get(0).original())
                .isEqualTo("{\"context\":{\"ip\":\"1.2.3.4\"},\"type\":\"track\",\"userId\":\"ana\",\"event\":\"X\"}");
        assertThat(calls.get(1).original())
                .isEqualTo("{\"type\":\"track\",\"userId\":\"ana\",\"event\":\"Y\",\"context\":{}}");
    }

    @Test
    @DisplayName("issue 18 request side: a call whose text or taken context holds an escape keeps no original text")
    void anEscapeMeansNoOriginalText() {
        String body =
                "{\"context\":{\"ip\":\"1.2.3.\\u0034\"},\"batch\":[{\"type\":\"track\",\"userId\":\"ana\",\"event\":\"X\"},"
                        + "{\"type\":\"track\",\"userId\":\"\\u0061na\",\"event\":\"Y\",\"context\":{}}]}";
        List<SegmentCall> calls =
                streaming.batch(body.getBytes(StandardCharsets.UTF_8), RECEIVED).calls();
        assertThat(calls.get(0).context()).isEqualTo(Map.of("ip", "1.2.3.4"));
        assertThat(calls.get(0).original()).isNull();
        assertThat(calls.get(1).userId()).isEqualTo("ana");
        assertThat(calls.get(1).original()).isNull();
    }

    /**
     * Each call's original text is its element of the body's batch (with the batch's context when
     * it took it), and, when it took none, exactly that element's bytes.
     */
    private static void assertOriginals(String body, List<SegmentCall> calls) throws Exception {
        JsonNode root = JSON.readTree(body);
        JsonNode batch = root.has("batch") ? root.get("batch") : null;
        for (int i = 0; i < calls.size(); i++) {
            SegmentCall c = calls.get(i);
            if (c.original() == null) {
                assertThat(body.substring(body.indexOf('{', 1)))
                        .as("only a call with an escape has no text")
                        .contains("\\");
                continue;
            }
            JsonNode element = batch == null ? root : batch.get(i);
            com.fasterxml.jackson.databind.node.ObjectNode expected =
                    (com.fasterxml.jackson.databind.node.ObjectNode) element.deepCopy();
            boolean took = batch != null && !element.has("context") && root.has("context");
            if (took) expected.set("context", root.get("context"));
            else assertThat(body).contains(c.original());
            assertThat(JSON.readTree(c.original())).isEqualTo(expected);
        }
    }

    private static List<SegmentCall> withoutGeneratedIds(List<SegmentCall> calls) {
        List<SegmentCall> out = new ArrayList<>();
        for (SegmentCall c : calls) {
            String id = c.messageId().startsWith("fusion-") ? "generated" : c.messageId();
            out.add(new SegmentCall(
                    c.type(),
                    id,
                    c.userId(),
                    c.anonymousId(),
                    c.event(),
                    c.name(),
                    c.groupId(),
                    c.previousId(),
                    c.properties(),
                    c.traits(),
                    c.context(),
                    c.timestamp(),
                    c.receivedAt()));
        }
        return out;
    }

    private static String outcome(java.util.concurrent.Callable<List<SegmentCall>> parse) {
        try {
            return "parsed " + parse.call();
        } catch (InvalidInput e) {
            return "refused " + e.getMessage();
        } catch (MalformedInput e) {
            return "malformed"; // the wording of Jackson's syntax errors is not the parsers' own
        } catch (Exception e) {
            return "failed " + e;
        }
    }

    // ------------------------------------------------------------------ the generator

    private static final String[] TYPES = {"track", "identify", "page", "screen", "group", "alias", "Track"};
    private static final String[] WORDS = {
        "Order Completed",
        "glitter",
        "brewline",
        "",
        " ",
        "é\u00e9",
        "\\u00e9",
        "a\\\"b",
        "\\n",
        "😀",
        "x\\ud83d\\ude00"
    };

    static String randomBatch(Random r) {
        StringBuilder s = new StringBuilder("{");
        List<String> root = new ArrayList<>();
        int calls = 1 + r.nextInt(6);
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < calls; i++) elements.add(randomCall(r, i));
        root.add(q("batch") + ":" + ws(r) + "[" + ws(r) + String.join("," + ws(r), elements) + ws(r) + "]");
        if (r.nextInt(3) == 0) root.add(q("sentAt") + ":" + q(time(r, 60)));
        if (r.nextInt(4) == 0) root.add(q("context") + ":" + randomObject(r, 2));
        if (r.nextInt(4) == 0) root.add(q("writeKey") + ":" + q("wk" + r.nextInt(9)));
        if (r.nextInt(4) == 0) root.add(q("integrations") + ":{\"All\":true}");
        java.util.Collections.shuffle(root, r);
        return s.append(ws(r))
                .append(String.join("," + ws(r), root))
                .append(ws(r))
                .append("}")
                .toString();
    }

    private static String randomCall(Random r, int i) {
        List<String> f = new ArrayList<>();
        String type = TYPES[r.nextInt(TYPES.length)];
        f.add(q("type") + ":" + ws(r) + q(type));
        if (r.nextInt(10) > 0) f.add(q("messageId") + ":" + q("m" + i + "-" + r.nextInt(1_000_000)));
        boolean user = r.nextInt(3) > 0;
        if (user || type.equals("alias")) f.add(q("userId") + ":" + q("u" + r.nextInt(50)));
        if (!user || r.nextBoolean()) f.add(q("anonymousId") + ":" + q("a" + r.nextInt(50)));
        if (type.equalsIgnoreCase("track") || r.nextInt(5) == 0) f.add(q("event") + ":" + q(word(r) + "Order"));
        if (r.nextInt(4) == 0) f.add(q("name") + ":" + q(word(r)));
        if (type.equals("group") || r.nextInt(6) == 0) f.add(q("groupId") + ":" + q("g" + r.nextInt(9)));
        if (type.equals("alias") || r.nextInt(8) == 0) f.add(q("previousId") + ":" + q("p" + r.nextInt(9)));
        if (r.nextInt(3) > 0) f.add(q("properties") + ":" + randomObject(r, 3));
        if (r.nextInt(3) == 0) f.add(q("traits") + ":" + randomObject(r, 2));
        if (r.nextInt(3) == 0) f.add(q("context") + ":" + randomObject(r, 3));
        if (r.nextInt(5) > 0) f.add(q("timestamp") + ":" + q(time(r)));
        if (r.nextInt(4) == 0) f.add(q("originalTimestamp") + ":" + q(time(r)));
        if (r.nextInt(5) == 0) f.add(q("sentAt") + ":" + q(time(r, 60)));
        if (r.nextInt(5) == 0) f.add(q("integrations") + ":" + randomObject(r, 2));
        if (r.nextInt(6) == 0) f.add(q("userId") + ":null");
        java.util.Collections.shuffle(f, r);
        // a repeated field is a refusal of both parsers: keep the first of each name here
        List<String> kept = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String field : f) {
            if (names.add(field.substring(0, field.indexOf(':')))) kept.add(field);
        }
        return "{" + ws(r) + String.join("," + ws(r), kept) + ws(r) + "}";
    }

    private static String randomObject(Random r, int depth) {
        int n = r.nextInt(5);
        List<String> f = new ArrayList<>();
        for (int i = 0; i < n; i++)
            f.add(q("k" + i + (r.nextBoolean() ? "" : "é")) + ":" + ws(r) + randomValue(r, depth - 1));
        if (r.nextInt(3) == 0) f.add(q("brand") + ":" + q(WORDS[r.nextInt(3)]));
        if (r.nextInt(6) == 0) f.add(q("co_parties") + ":[" + q("pal") + "," + q("buddy") + "]");
        if (r.nextInt(4) == 0) f.add(q("revenue") + ":" + r.nextInt(500) + "." + r.nextInt(100));
        return "{" + String.join(",", f) + "}";
    }

    private static String randomValue(Random r, int depth) {
        int pick = r.nextInt(depth > 0 ? 13 : 11);
        return switch (pick) {
            case 0 -> String.valueOf(r.nextInt());
            case 1 -> String.valueOf(r.nextLong());
            case 2 -> "123456789012345678901234567890";
            case 3 -> String.valueOf(r.nextDouble() * 1e6);
            case 4 -> r.nextInt(10) + "e" + (r.nextInt(40) - 20);
            case 5 -> "-0";
            case 6 -> r.nextBoolean() ? "true" : "false";
            case 7 -> "null";
            case 8, 9 -> q(word(r));
            case 10 -> "1.5E300";
            case 11 -> "[" + randomValue(r, depth - 1) + "," + ws(r) + randomValue(r, depth - 1) + "]";
            default -> randomObject(r, depth - 1);
        };
    }

    private static String word(Random r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    private static String time(Random r) {
        return time(r, 86_400 * 30);
    }

    /** A time up to {@code seconds} before the receipt, in one of the shapes clients send. */
    private static String time(Random r, int seconds) {
        Instant t = RECEIVED.minusSeconds(r.nextInt(seconds)).minusNanos(r.nextInt(1_000_000_000));
        int offsetMinutes = r.nextBoolean() ? 0 : (r.nextInt(24 * 60) - 12 * 60);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
        String pattern = switch (r.nextInt(4)) {
            case 0 -> "yyyy-MM-dd'T'HH:mm:ss";
            case 1 -> "yyyy-MM-dd'T'HH:mm:ss.SSS";
            case 2 -> "yyyy-MM-dd'T'HH:mm:ss.SSSSSS";
            default -> "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS";
        };
        String zone = offsetMinutes == 0 && r.nextBoolean() ? "'Z'" : "xxx";
        return DateTimeFormatter.ofPattern(pattern + zone).format(t.atOffset(offset));
    }

    private static String ws(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            default -> "";
        };
    }

    private static String q(String s) {
        return "\"" + s + "\"";
    }

    private static final String[] TOKENS = {
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "null",
        "true",
        "1e309",
        "-0",
        "\"type\"",
        "\"batch\"",
        "\"userId\"",
        "\\u0000",
        "\\ud800",
        "0.0000001",
        "\"\"",
        " ",
        "9".repeat(30),
        "\"context\"",
        "\"sentAt\"",
        "42",
        "1.5"
    };

    private static byte[] mutate(Random r, byte[] in) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            if (b.length == 0) b = new byte[] {'{'};
            String s = new String(b, StandardCharsets.ISO_8859_1);
            switch (r.nextInt(4)) {
                case 0 -> b[r.nextInt(b.length)] = (byte) (32 + r.nextInt(95));
                case 1 -> {
                    int at = r.nextInt(s.length());
                    b = (s.substring(0, at) + TOKENS[r.nextInt(TOKENS.length)] + s.substring(at))
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
                case 2 -> {
                    int from = r.nextInt(s.length());
                    int to = Math.min(s.length(), from + r.nextInt(12));
                    b = (s.substring(0, from) + s.substring(to)).getBytes(StandardCharsets.ISO_8859_1);
                }
                default -> {
                    // a value of a known field replaced by one of another kind
                    String[] fields = {"userId", "type", "timestamp", "properties", "context", "event", "sentAt"};
                    String[] values = {"42", "null", "[1]", "{\"a\":1}", "\"\"", "\"1990\"", "true", "1.5e3"};
                    String f = "\"" + fields[r.nextInt(fields.length)] + "\":";
                    int at = s.indexOf(f);
                    if (at >= 0) {
                        b = (s.substring(0, at + f.length()) + values[r.nextInt(values.length)] + "," + "\"x"
                                        + r.nextInt(1000) + "\":" + s.substring(at + f.length()))
                                .getBytes(StandardCharsets.ISO_8859_1);
                    }
                }
            }
        }
        return b;
    }
}
