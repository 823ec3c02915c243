package fusion.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.model.Bounds;
import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import fusion.store.JsonValues;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads Segment tracking-API requests (the HTTP API's JSON) into validated calls, enforcing the
 * API's limits: 32 KB per call, 500 KB and 2,500 calls per batch. Every problem names the field,
 * located in the batch ({@code batch[3].timestamp: expected ISO-8601 but was '17/3'}).
 *
 * <p>A body is read once with Jackson's streaming parser, without a tree: each call's known
 * fields are read into plain values (its maps straight into the maps the call keeps), every other
 * field is skipped, and the call keeps the bytes it was sent as ({@link SegmentCall#original}),
 * which the log stores instead of encoding the call again. Validation runs after the whole body is
 * read, in the order the fields were always checked in, so a refusal names the same field
 * whatever order the client wrote them in.
 *
 * <p>Event time follows Segment's clock-skew correction: with {@code sentAt} (on the call or the
 * batch) the time is {@code receivedAt - (sentAt - originalTimestamp)}, where the client's
 * {@code originalTimestamp} falls back to its {@code timestamp}; without it, the client's time
 * is taken as given, and without any, the receipt time.
 */
public final class SegmentParser {
    public static final int MAX_CALL_BYTES = 32 * 1024;
    public static final int MAX_BATCH_BYTES = 500 * 1024;
    public static final int MAX_BATCH_CALLS = 2_500;
    static final int MAX_ID_LENGTH = 512;
    private static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");
    private static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);
    /**
     * A call whose text is at most this long is within {@link #MAX_CALL_BYTES} as compact JSON
     * too: compacting only removes bytes, except a number such as {@code 1e2} written as
     * {@code 100.0} (at most 21 bytes more for a token of at least 4 bytes with its separator),
     * so the compact form is at most 6.25 times the text. Longer calls are measured exactly.
     */
    private static final int SURELY_WITHIN = MAX_CALL_BYTES * 4 / 25;

    private final JsonFactory factory;
    private final ObjectMapper json;

    public SegmentParser() {
        factory = JsonFactory.builder()
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
        Draft root = root(body, true);
        Object batch = root.get(Draft.BATCH);
        if (batch == null || batch == Draft.ABSENT) throw new InvalidInput("batch", "is required");
        if (!(batch instanceof Calls calls)) {
            throw new InvalidInput("batch", "expected an array but was " + JsonValues.kind(batch));
        }
        if (calls.size() > MAX_BATCH_CALLS) {
            throw new InvalidInput("batch", "has " + calls.size() + " calls; the limit is " + MAX_BATCH_CALLS);
        }
        Optional<Instant> sentAt = time(root, Draft.SENT_AT, "sentAt");
        Object sharedContext = root.get(Draft.CONTEXT);
        List<SegmentCall> out = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            String at = "batch[" + i + "]";
            if (!(calls.get(i) instanceof Draft call)) {
                throw new InvalidInput(at, "expected an object but was " + JsonValues.kind(calls.get(i)));
            }
            if (call.get(Draft.CONTEXT) == Draft.ABSENT && sharedContext != Draft.ABSENT) {
                call.inherit(sharedContext, root.contextText(body));
            }
            out.add(call(body, call, null, sentAt, receivedAt, at + "."));
        }
        return new Request(out, writeKey(root));
    }

    /** {@code /v1/track} and friends: one call whose type the path gives. */
    public Request single(byte[] body, SegmentCall.Type type, Instant receivedAt) {
        if (body.length > MAX_CALL_BYTES) {
            throw new InvalidInput("$", "the call is " + body.length + " bytes; the limit is " + MAX_CALL_BYTES);
        }
        Draft root = root(body, false);
        return new Request(List.of(call(body, root, type, Optional.empty(), receivedAt, "")), writeKey(root));
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
        if (line.length == 0) throw new MalformedInput("the line is empty; expected a JSON object");
        utf8(line);
        try {
            JsonNode n = json.readTree(line);
            if (n instanceof ObjectNode o) return o;
            throw new InvalidInput(
                    "$", "expected an object but was " + JsonValues.kind(json.treeToValue(n, Object.class)));
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (java.io.IOException e) {
            throw new MalformedInput("unreadable line: " + e.getMessage());
        }
    }

    /**
     * A call read from {@code n}, its type given by its {@code type} field, as {@code /v1/batch}
     * reads each call (its original text is {@code n} as compact JSON).
     */
    public SegmentCall call(ObjectNode n, Instant receivedAt) {
        byte[] text;
        try {
            text = json.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new MalformedInput("cannot read a call: " + e.getOriginalMessage());
        }
        return call(text, root(text, false), null, Optional.empty(), receivedAt, "");
    }

    private SegmentCall call(
            byte[] body,
            Draft n,
            SegmentCall.Type pathType,
            Optional<Instant> batchSentAt,
            Instant receivedAt,
            String at) {
        int size = size(body, n);
        if (size > MAX_CALL_BYTES) {
            throw new InvalidInput(
                    at.isEmpty() ? "$" : at.substring(0, at.length() - 1),
                    "the call is " + size + " bytes; the limit is " + MAX_CALL_BYTES);
        }
        SegmentCall.Type type = pathType != null ? pathType : type(n, at);
        // Segment's semantics: de-duplicate on messageId only; a call without one is a new call
        String messageId = id(n, Draft.MESSAGE_ID, at).orElseGet(() -> "fusion-" + UUID.randomUUID());
        Optional<Instant> client = time(n, Draft.ORIGINAL_TIMESTAMP, at + "originalTimestamp")
                .or(() -> time(n, Draft.TIMESTAMP, at + "timestamp"));
        Optional<Instant> sentAt = time(n, Draft.SENT_AT, at + "sentAt").or(() -> batchSentAt);
        Instant when = client.map(c -> sentAt.map(s -> receivedAt.minus(Duration.between(c, s)))
                        .orElse(c))
                .orElse(receivedAt);
        String field = at + (n.get(Draft.ORIGINAL_TIMESTAMP) != Draft.ABSENT ? "originalTimestamp" : "timestamp");
        if (when.isBefore(EARLIEST)) {
            throw new InvalidInput(field, "is " + when + ", before " + EARLIEST + "; is the clock or unit wrong?");
        }
        if (when.isAfter(receivedAt.plus(FUTURE_TOLERANCE))) {
            throw new InvalidInput(
                    field, "is " + when + ", more than a day after it was received (" + receivedAt + ")");
        }
        String userId = id(n, Draft.USER_ID, at).orElse(null);
        String anonymousId = id(n, Draft.ANONYMOUS_ID, at).orElse(null);
        String event = text(n, Draft.EVENT, at).orElse(null);
        String name = text(n, Draft.NAME, at).orElse(null);
        String groupId = id(n, Draft.GROUP_ID, at).orElse(null);
        String previousId = id(n, Draft.PREVIOUS_ID, at).orElse(null);
        Map<String, Object> properties = map(n, Draft.PROPERTIES, at);
        printableIds(properties, at + "properties");
        Map<String, Object> traits = map(n, Draft.TRAITS, at);
        Map<String, Object> context = map(n, Draft.CONTEXT, at);
        String original = originalText(body, n);
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
                    receivedAt,
                    original);
        } catch (InvalidInput e) {
            throw at.isEmpty() ? e : e.within(at.substring(0, at.length() - 1));
        }
    }

    /**
     * The body read in one streaming pass: the top-level object as a {@link Draft} (with
     * {@code batch}, when {@code batch} is true, read as a list of drafts). Throws
     * {@link MalformedInput} when the body is not one JSON value, and {@link InvalidInput} when
     * it is not an object.
     */
    private Draft root(byte[] body, boolean batch) {
        if (body.length == 0) throw new MalformedInput("the request body is empty; expected a JSON object");
        utf8(body);
        try (JsonParser p = factory.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new MalformedInput("the request body is empty; expected a JSON object");
            Object value = t == JsonToken.START_OBJECT ? Draft.read(p, batch) : JsonValues.read(p);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                var loc = p.currentTokenLocation();
                throw new MalformedInput("malformed JSON at line " + loc.getLineNr() + ", column " + loc.getColumnNr()
                        + ": trailing token (of type " + trailing + ") found after the value");
            }
            if (value instanceof Draft d) return d;
            throw new InvalidInput("$", "expected an object but was " + JsonValues.kind(value));
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (java.io.IOException e) {
            throw new MalformedInput("unreadable body: " + e.getMessage());
        }
    }

    /**
     * The call's text as sent (with the batch's context, as sent, put first when it took it), or
     * null when the log must encode the call instead: when its text or the context it took holds a
     * backslash escape. Names are found in log records by their plain JSON text (the erasure's
     * scan of a Kafka topic, the store's search of bodies), which an escape such as
     * {@code "\u0061na"} would hide; an encoded record writes every string in one canonical form.
     * Segment's libraries escape only quotes, backslashes and control characters, so most calls
     * keep their text.
     */
    private static String originalText(byte[] body, Draft n) {
        if (escaped(body, n.start, n.end)) return null;
        String own = new String(body, n.start, n.end - n.start, StandardCharsets.UTF_8);
        if (!n.inherited) return own;
        if (n.inheritedText == null) return null;
        String rest = own.substring(1);
        return "{\"context\":" + n.inheritedText
                + (rest.isBlank() || rest.strip().equals("}") ? "" : ",") + rest;
    }

    private static boolean escaped(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] == '\\') return true;
        }
        return false;
    }

    private static MalformedInput malformed(JsonProcessingException e) {
        var loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return new MalformedInput("malformed JSON" + where + ": " + e.getOriginalMessage());
    }

    private static void utf8(byte[] body) {
        if (!ascii(body)) { // ASCII is valid UTF-8: only other bodies pay for a decoding pass
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body));
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new MalformedInput("the request body is not valid UTF-8");
            }
        }
    }

    private static boolean ascii(byte[] body) {
        for (byte b : body) {
            if (b < 0) return false;
        }
        return true;
    }

    /** A batch's array, as read: drafts for its objects, plain values for anything else. */
    private static final class Calls extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;
    }

    /**
     * One object of the body as read: the values of the fields a call or a batch has (absent ones
     * {@link #ABSENT}, JSON null as null, objects as maps), the byte range of its text, and
     * whether it took the batch's context.
     */
    private static final class Draft {
        static final Object ABSENT = new Object();
        static final int TYPE = 0,
                MESSAGE_ID = 1,
                USER_ID = 2,
                ANONYMOUS_ID = 3,
                EVENT = 4,
                NAME = 5,
                GROUP_ID = 6,
                PREVIOUS_ID = 7,
                PROPERTIES = 8,
                TRAITS = 9,
                CONTEXT = 10,
                TIMESTAMP = 11,
                ORIGINAL_TIMESTAMP = 12,
                SENT_AT = 13,
                WRITE_KEY = 14,
                BATCH = 15;

        final Object[] values = new Object[16];
        int start;
        int end;
        boolean inherited;
        /** The byte range of the {@code context} value's text, when the object has one. */
        int contextStart = -1;

        int contextEnd;
        /** The text of the batch's context this call took, or null (none, or not usable as sent). */
        String inheritedText;

        Draft() {
            java.util.Arrays.fill(values, ABSENT);
        }

        Object get(int field) {
            return values[field];
        }

        /** The context's text as sent, or null when there is none, it is not an object or it holds an escape. */
        String contextText(byte[] body) {
            if (contextStart < 0
                    || !(values[CONTEXT] instanceof Map<?, ?>)
                    || escaped(body, contextStart, contextEnd)) {
                return null;
            }
            return new String(body, contextStart, contextEnd - contextStart, StandardCharsets.UTF_8);
        }

        void inherit(Object context, String text) {
            inheritedText = text;
            values[CONTEXT] = context;
            inherited = true;
        }

        private static int field(String name) {
            return switch (name) {
                case "type" -> TYPE;
                case "messageId" -> MESSAGE_ID;
                case "userId" -> USER_ID;
                case "anonymousId" -> ANONYMOUS_ID;
                case "event" -> EVENT;
                case "name" -> NAME;
                case "groupId" -> GROUP_ID;
                case "previousId" -> PREVIOUS_ID;
                case "properties" -> PROPERTIES;
                case "traits" -> TRAITS;
                case "context" -> CONTEXT;
                case "timestamp" -> TIMESTAMP;
                case "originalTimestamp" -> ORIGINAL_TIMESTAMP;
                case "sentAt" -> SENT_AT;
                case "writeKey" -> WRITE_KEY;
                case "batch" -> BATCH;
                default -> -1;
            };
        }

        /** The object whose START_OBJECT is current; {@code batch}: its {@code batch} array holds calls. */
        static Draft read(JsonParser p, boolean batch) throws java.io.IOException {
            Draft d = new Draft();
            d.start = (int) p.currentTokenLocation().getByteOffset();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                int f = field(p.currentName());
                JsonToken t = p.nextToken();
                if (f == BATCH && !batch) f = -1;
                if (f == BATCH && t == JsonToken.START_ARRAY) {
                    Calls calls = new Calls();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        calls.add(p.currentToken() == JsonToken.START_OBJECT ? read(p, false) : JsonValues.read(p));
                    }
                    d.values[BATCH] = calls;
                } else if (f == CONTEXT) {
                    d.contextStart = (int) p.currentTokenLocation().getByteOffset();
                    d.values[f] = JsonValues.read(p);
                    d.contextEnd = (int) p.currentLocation().getByteOffset();
                } else if (f >= 0) {
                    d.values[f] = JsonValues.read(p);
                } else {
                    p.skipChildren();
                }
            }
            d.end = (int) p.currentLocation().getByteOffset();
            return d;
        }
    }

    /**
     * The call's size as compact JSON, as Segment counts it (with the batch's context when it
     * took it). A call whose text is short enough is surely within the limit (see
     * {@link #SURELY_WITHIN}) and is not measured; a longer one is written compactly to count.
     */
    private int size(byte[] body, Draft n) {
        int text = n.end - n.start;
        if (n.inherited) text += 11 + (n.inheritedText != null ? n.inheritedText.length() * 3 : MAX_CALL_BYTES);
        if (text <= SURELY_WITHIN) return 0;
        try (JsonParser p = factory.createParser(body, n.start, n.end - n.start)) {
            p.nextToken();
            Map<String, Object> call = JsonValues.object(p);
            if (n.inherited) call.put("context", n.get(Draft.CONTEXT));
            return json.writeValueAsBytes(call).length;
        } catch (java.io.IOException e) {
            throw new MalformedInput("cannot measure a call: " + e.getMessage());
        }
    }

    private static SegmentCall.Type type(Draft n, String at) {
        Object t = n.get(Draft.TYPE);
        if (t == null || t == Draft.ABSENT) throw new InvalidInput(at + "type", "is required");
        if (!(t instanceof String s))
            throw new InvalidInput(at + "type", "expected a string but was " + JsonValues.kind(t));
        try {
            return SegmentCall.Type.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(
                    at + "type",
                    "expected one of track, identify, page, screen, group, alias but was '" + abbreviate(s) + "'");
        }
    }

    private static Optional<String> id(Draft n, int field, String at) {
        Optional<String> v = text(n, field, at);
        if (v.isPresent() && v.get().length() > MAX_ID_LENGTH) {
            throw new InvalidInput(
                    at + NAMES[field], "is " + v.get().length() + " characters; the limit is " + MAX_ID_LENGTH);
        }
        v.ifPresent(id -> printable(at + NAMES[field], id));
        return v;
    }

    private static final String[] NAMES = {
        "type",
        "messageId",
        "userId",
        "anonymousId",
        "event",
        "name",
        "groupId",
        "previousId",
        "properties",
        "traits",
        "context",
        "timestamp",
        "originalTimestamp",
        "sentAt",
        "writeKey",
        "batch"
    };

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

    private static Optional<String> text(Draft n, int field, String at) {
        Object v = n.get(field);
        if (v == null || v == Draft.ABSENT) return Optional.empty();
        if (!(v instanceof String s)) {
            throw new InvalidInput(at + NAMES[field], "expected a string but was " + JsonValues.kind(v));
        }
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    private static Optional<Instant> time(Draft n, int field, String path) {
        Object v = n.get(field);
        if (v == null || v == Draft.ABSENT) return Optional.empty();
        if (!(v instanceof String s)) {
            throw new InvalidInput(path, "expected an ISO-8601 time but was " + JsonValues.kind(v));
        }
        Instant t;
        try {
            t = Timestamps.parse(s);
        } catch (DateTimeParseException e) {
            throw new InvalidInput(path, "expected an ISO-8601 time but was '" + abbreviate(s) + "'");
        }
        // the clock-skew correction subtracts these: bounded, no difference can leave Instant's range
        return Optional.of(Bounds.instant(path, t));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Draft n, int field, String at) {
        Object v = n.get(field);
        if (v == null || v == Draft.ABSENT) return Map.of();
        if (!(v instanceof Map<?, ?> m)) {
            throw new InvalidInput(at + NAMES[field], "expected an object but was " + JsonValues.kind(v));
        }
        return (Map<String, Object>) m;
    }

    private static Optional<String> writeKey(Draft root) {
        Object k = root.get(Draft.WRITE_KEY);
        if (k == null || k == Draft.ABSENT) return Optional.empty();
        if (!(k instanceof String s))
            throw new InvalidInput("writeKey", "expected a string but was " + JsonValues.kind(k));
        return Optional.of(s);
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

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
