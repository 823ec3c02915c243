package fusion.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.model.Bounds;
import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * THE PARSER AS IT WAS before the streaming one (a Jackson tree, then validation), kept here
 * unchanged as the second method the streaming {@link SegmentParser} is compared with
 * (SegmentParserParityTest). Only its name changed.
 *
 * <p>Reads Segment tracking-API requests (the HTTP API's JSON) into validated calls, enforcing the
 * API's limits: 32 KB per call, 500 KB and 2,500 calls per batch. Every problem names the field,
 * located in the batch ({@code batch[3].timestamp: expected ISO-8601 but was '17/3'}).
 *
 * <p>Event time follows Segment's clock-skew correction: with {@code sentAt} (on the call or the
 * batch) the time is {@code receivedAt - (sentAt - originalTimestamp)}, where the client's
 * {@code originalTimestamp} falls back to its {@code timestamp}; without it, the client's time
 * is taken as given, and without any, the receipt time.
 */
final class TreeSegmentParser {
    public static final int MAX_CALL_BYTES = 32 * 1024;
    public static final int MAX_BATCH_BYTES = 500 * 1024;
    public static final int MAX_BATCH_CALLS = 2_500;
    static final int MAX_ID_LENGTH = 512;
    private static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");
    private static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);

    private final ObjectMapper json;

    TreeSegmentParser() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxStringLength(MAX_BATCH_BYTES)
                        .maxNumberLength(100)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        json = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonParser.Feature.ALLOW_COMMENTS);
    }

    /** A parsed request: its calls and the write key it carried in its body, if any. */
    public record Request(List<SegmentCall> calls, Optional<String> writeKey) {}

    /** {@code /v1/batch} and {@code /v1/import}: an object with a {@code batch} array. */
    public Request batch(byte[] body, Instant receivedAt) {
        if (body.length > MAX_BATCH_BYTES) {
            throw new InvalidInput("$", "the batch is " + body.length + " bytes; the limit is " + MAX_BATCH_BYTES);
        }
        ObjectNode root = object(read(body), "$");
        JsonNode batch = root.get("batch");
        if (batch == null || batch.isNull()) throw new InvalidInput("batch", "is required");
        if (!batch.isArray()) throw new InvalidInput("batch", "expected an array but was " + kind(batch));
        if (batch.size() > MAX_BATCH_CALLS) {
            throw new InvalidInput("batch", "has " + batch.size() + " calls; the limit is " + MAX_BATCH_CALLS);
        }
        Optional<Instant> sentAt = time(root, "sentAt", "sentAt");
        Map<String, JsonNode> shared = new java.util.HashMap<>();
        for (String f : List.of("context", "integrations")) {
            if (root.has(f)) shared.put(f, root.get(f));
        }
        List<SegmentCall> calls = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String at = "batch[" + i + "]";
            ObjectNode call = object(batch.get(i), at);
            if (!call.has("context") && shared.containsKey("context")) call.set("context", shared.get("context"));
            calls.add(call(call, null, sentAt, receivedAt, at + "."));
        }
        return new Request(calls, writeKey(root));
    }

    /** {@code /v1/track} and friends: one call whose type the path gives. */
    public Request single(byte[] body, SegmentCall.Type type, Instant receivedAt) {
        if (body.length > MAX_CALL_BYTES) {
            throw new InvalidInput("$", "the call is " + body.length + " bytes; the limit is " + MAX_CALL_BYTES);
        }
        ObjectNode root = object(read(body), "$");
        return new Request(List.of(call(root, type, Optional.empty(), receivedAt, "")), writeKey(root));
    }

    /**
     * One line of an import file ({@code ./fusion import}): a JSON object holding one call with its
     * own {@code type}, read with the limits and checks of the HTTP API. Throws
     * {@link MalformedInput} when it is not JSON and {@link InvalidInput} naming the field.
     */
    public ObjectNode object(byte[] line) {
        if (line.length > MAX_CALL_BYTES) {
            throw new InvalidInput("$", "the call is " + line.length + " bytes; the limit is " + MAX_CALL_BYTES);
        }
        return object(read(line), "$");
    }

    /** A call read from {@code n}, its type given by its {@code type} field, as {@code /v1/batch} reads each call. */
    public SegmentCall call(ObjectNode n, Instant receivedAt) {
        return call(n, null, Optional.empty(), receivedAt, "");
    }

    private SegmentCall call(
            ObjectNode n, SegmentCall.Type pathType, Optional<Instant> batchSentAt, Instant receivedAt, String at) {
        int size = size(n);
        if (size > MAX_CALL_BYTES) {
            throw new InvalidInput(
                    at.isEmpty() ? "$" : at.substring(0, at.length() - 1),
                    "the call is " + size + " bytes; the limit is " + MAX_CALL_BYTES);
        }
        SegmentCall.Type type = pathType != null ? pathType : type(n, at);
        // Segment's semantics: de-duplicate on messageId only; a call without one is a new call
        String messageId = id(n, "messageId", at).orElseGet(() -> "fusion-" + UUID.randomUUID());
        Optional<Instant> client =
                time(n, "originalTimestamp", at + "originalTimestamp").or(() -> time(n, "timestamp", at + "timestamp"));
        Optional<Instant> sentAt = time(n, "sentAt", at + "sentAt").or(() -> batchSentAt);
        Instant when = client.map(c -> sentAt.map(s -> receivedAt.minus(Duration.between(c, s)))
                        .orElse(c))
                .orElse(receivedAt);
        String field = at + (n.has("originalTimestamp") ? "originalTimestamp" : "timestamp");
        if (when.isBefore(EARLIEST)) {
            throw new InvalidInput(field, "is " + when + ", before " + EARLIEST + "; is the clock or unit wrong?");
        }
        if (when.isAfter(receivedAt.plus(FUTURE_TOLERANCE))) {
            throw new InvalidInput(
                    field, "is " + when + ", more than a day after it was received (" + receivedAt + ")");
        }
        String userId = id(n, "userId", at).orElse(null);
        String anonymousId = id(n, "anonymousId", at).orElse(null);
        String event = text(n, "event", at).orElse(null);
        String name = text(n, "name", at).orElse(null);
        String groupId = id(n, "groupId", at).orElse(null);
        String previousId = id(n, "previousId", at).orElse(null);
        Map<String, Object> properties = map(n, "properties", at);
        printableIds(properties, at + "properties");
        Map<String, Object> traits = map(n, "traits", at);
        Map<String, Object> context = map(n, "context", at);
        try {
            return new SegmentCall(
                    type,
                    messageId,
                    userId,
                    anonymousId,
                    event,
                    name,
                    groupId,
                    previousId,
                    properties,
                    traits,
                    context,
                    when,
                    receivedAt);
        } catch (InvalidInput e) {
            throw at.isEmpty() ? e : e.within(at.substring(0, at.length() - 1));
        }
    }

    private JsonNode read(byte[] body) {
        if (body.length == 0) throw new MalformedInput("the request body is empty; expected a JSON object");
        if (!ascii(body)) { // ASCII is valid UTF-8: only other bodies pay for a decoding pass
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body));
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new MalformedInput("the request body is not valid UTF-8");
            }
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new MalformedInput("malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new MalformedInput("unreadable body: " + e.getMessage());
        }
    }

    private static boolean ascii(byte[] body) {
        for (byte b : body) {
            if (b < 0) return false;
        }
        return true;
    }

    private static ObjectNode object(JsonNode n, String field) {
        if (n instanceof ObjectNode o) return o;
        throw new InvalidInput(field, "expected an object but was " + kind(n));
    }

    private static SegmentCall.Type type(ObjectNode n, String at) {
        JsonNode t = n.get("type");
        if (t == null || t.isNull()) throw new InvalidInput(at + "type", "is required");
        if (!t.isTextual()) throw new InvalidInput(at + "type", "expected a string but was " + kind(t));
        try {
            return SegmentCall.Type.valueOf(t.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(
                    at + "type",
                    "expected one of track, identify, page, screen, group, alias but was '" + abbreviate(t.asText())
                            + "'");
        }
    }

    private static Optional<String> id(ObjectNode n, String field, String at) {
        Optional<String> v = text(n, field, at);
        if (v.isPresent() && v.get().length() > MAX_ID_LENGTH) {
            throw new InvalidInput(at + field, "is " + v.get().length() + " characters; the limit is " + MAX_ID_LENGTH);
        }
        v.ifPresent(id -> printable(at + field, id));
        return v;
    }

    /** The ids among the properties: the brand met and the co-involved parties. */
    private static void printableIds(Map<String, Object> properties, String path) {
        if (properties.get("brand") instanceof String brand) printable(path + ".brand", brand);
        Object co = properties.get("co_parties");
        if (co instanceof String party) printable(path + ".co_parties", party);
        if (co instanceof List<?> parties) {
            for (int i = 0; i < parties.size(); i++) {
                if (parties.get(i) instanceof String party) printable(path + ".co_parties[" + i + "]", party);
            }
        }
    }

    /**
     * Refuses an id that is not printable Unicode: a lone UTF-16 surrogate (which every store
     * writes as '?', so two people would share a profile), a control character such as NUL
     * (which no URL, export or erasure can name), a line or paragraph separator, or a
     * noncharacter. Format characters stay allowed: emoji sequences are joined by U+200D.
     */
    static void printable(String field, String id) {
        for (int i = 0; i < id.length(); ) {
            int cp = id.codePointAt(i);
            String problem = null;
            if (Character.isSurrogate((char) cp) && Character.charCount(cp) == 1) {
                problem = "a lone UTF-16 surrogate";
            } else if (Character.getType(cp) == Character.CONTROL) {
                problem = "the control character";
            } else if (Character.getType(cp) == Character.LINE_SEPARATOR
                    || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR) {
                problem = "a line separator";
            } else if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) {
                problem = "the noncharacter";
            }
            if (problem != null) {
                throw new InvalidInput(
                        field,
                        "must be printable Unicode but contains " + problem + String.format(Locale.ROOT, " U+%04X", cp)
                                + " at index " + i);
            }
            i += Character.charCount(cp);
        }
    }

    private static Optional<String> text(ObjectNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) throw new InvalidInput(at + field, "expected a string but was " + kind(v));
        String s = v.asText();
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    private static Optional<Instant> time(ObjectNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) throw new InvalidInput(path, "expected an ISO-8601 time but was " + kind(v));
        Instant t;
        try {
            t = OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                t = Instant.parse(v.asText());
            } catch (DateTimeParseException e2) {
                throw new InvalidInput(path, "expected an ISO-8601 time but was '" + abbreviate(v.asText()) + "'");
            }
        }
        // the clock-skew correction subtracts these: bounded, no difference can leave Instant's range
        return Optional.of(Bounds.instant(path, t));
    }

    private static Map<String, Object> map(ObjectNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return Map.of();
        if (!v.isObject()) throw new InvalidInput(at + field, "expected an object but was " + kind(v));
        return toMap(v);
    }

    private static Optional<String> writeKey(ObjectNode root) {
        JsonNode k = root.get("writeKey");
        if (k == null || k.isNull()) return Optional.empty();
        if (!k.isTextual()) throw new InvalidInput("writeKey", "expected a string but was " + kind(k));
        return Optional.of(k.asText());
    }

    /**
     * The call's size as compact JSON, as Segment counts it. Serialising every call just to
     * measure it cost as much as the log record itself, so a tree walk first bounds the size
     * from above (every character escaped, every number at its longest); only a call whose
     * bound passes the limit is serialised to measure it exactly.
     */
    private int size(JsonNode n) {
        if (bound(n, MAX_CALL_BYTES) <= MAX_CALL_BYTES) return 0;
        try {
            return json.writeValueAsBytes(n).length;
        } catch (JsonProcessingException e) {
            throw new MalformedInput("cannot measure a call: " + e.getOriginalMessage());
        }
    }

    /**
     * An upper bound of {@code n}'s compact UTF-8 JSON length: a char is at most 6 bytes
     * ({@code \\uXXXX}), a number at most 128 (the parser refuses longer ones; a double's shortest
     * form is under 25), plus quotes, colons and commas. Stops counting once past {@code stop}.
     */
    static long bound(JsonNode n, long stop) {
        if (n.isObject()) {
            long b = 2;
            for (var it = n.properties().iterator(); it.hasNext() && b <= stop; ) {
                var e = it.next();
                b += 6L * e.getKey().length() + 4 + bound(e.getValue(), stop - b);
            }
            return b;
        }
        if (n.isArray()) {
            long b = 2;
            for (int i = 0; i < n.size() && b <= stop; i++) b += 1 + bound(n.get(i), stop - b);
            return b;
        }
        if (n.isTextual()) return 6L * n.textValue().length() + 2;
        return 128; // numbers, booleans, null
    }

    /**
     * An object node as the map Jackson's {@code convertValue(node, Map)} made of it (objects in
     * order as LinkedHashMaps, arrays as ArrayLists, ints as Integer, Long or BigInteger by size,
     * floats as Double), without its detour through a token buffer.
     */
    static Map<String, Object> toMap(JsonNode n) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (var it = n.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            m.put(e.getKey(), value(e.getValue()));
        }
        return m;
    }

    private static Object value(JsonNode v) {
        switch (v.getNodeType()) {
            case OBJECT:
                return toMap(v);
            case ARRAY: {
                List<Object> l = new ArrayList<>(v.size());
                for (JsonNode e : v) l.add(value(e));
                return l;
            }
            case STRING:
                return v.textValue();
            case BOOLEAN:
                return v.booleanValue();
            case NULL:
            case MISSING:
                return null;
            case NUMBER:
                if (v.isInt()) return v.intValue();
                if (v.isLong()) return v.longValue();
                if (v.isBigInteger()) return v.bigIntegerValue();
                if (v.isDouble()) return v.doubleValue();
                return v.numberValue();
            default:
                throw new IllegalStateException("unexpected JSON node " + v.getNodeType());
        }
    }

    /**
     * The top-level {@code writeKey} of a body, read without building its tree (every other
     * value is skipped), so a request can be authenticated before it gets an ingest slot. Empty
     * when the body has none or is not a JSON object: the full parse reports what is wrong.
     */
    public Optional<String> writeKeyOf(byte[] body) {
        try (JsonParser p = json.getFactory().createParser(body)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) return Optional.empty();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                var value = p.nextToken();
                if (name.equals("writeKey") && value == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    return Optional.of(p.getText());
                }
                p.skipChildren();
            }
            return Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    static String kind(JsonNode n) {
        if (n == null || n.isNull()) return "null";
        if (n.isTextual()) return "'" + abbreviate(n.asText()) + "'";
        if (n.isNumber() || n.isBoolean()) return n.asText();
        if (n.isArray()) return "an array";
        return "an object";
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
