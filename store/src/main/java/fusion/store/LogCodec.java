package fusion.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.segment.SegmentCall;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The event log's record format. A call read from a client keeps the client's own bytes: its
 * record is a small envelope with what Fusion decided about it (type, messageId, the corrected
 * timestamp, the receipt time) and, under {@code call}, the call's JSON exactly as it arrived
 * (whitespace, field order and fields Fusion does not read included):
 *
 * <pre>{"type":"track","messageId":"m1","timestamp":"…","receivedAt":"…","call":{…as sent…}}</pre>
 *
 * A call built or changed in code (an erased co-party removed, an import, a test) has no
 * original text and is written field by field, as every record was before:
 *
 * <pre>{"type":"track","messageId":"m1","userId":"…",…,"timestamp":"…","receivedAt":"…"}</pre>
 *
 * {@link #decode} reads both, so logs written before the envelope replay unchanged; the envelope's
 * fields win over the same names inside {@code call}. Kafka records are these same texts
 * (docs/SCALE-OUT.md "Topics").
 */
public final class LogCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogCodec() {}

    /**
     * The record of {@code c}: the envelope around its original text when it has one, else the
     * call field by field (with a streaming generator, without building a JSON tree).
     */
    public static String encode(SegmentCall c) {
        String original = c.original();
        if (original != null) return envelope(c, original);
        java.io.StringWriter out = new java.io.StringWriter(256);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", c.type().wireName());
            g.writeStringField("messageId", c.messageId());
            putIfPresent(g, "userId", c.userId());
            putIfPresent(g, "anonymousId", c.anonymousId());
            putIfPresent(g, "event", c.event());
            putIfPresent(g, "name", c.name());
            putIfPresent(g, "groupId", c.groupId());
            putIfPresent(g, "previousId", c.previousId());
            putIfPresent(g, "properties", c.properties());
            putIfPresent(g, "traits", c.traits());
            putIfPresent(g, "context", c.context());
            g.writeStringField("timestamp", c.timestamp().toString());
            g.writeStringField("receivedAt", c.receivedAt().toString());
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode call " + c.messageId(), e);
        }
        return out.toString();
    }

    /**
     * The envelope around a call's original text, written straight into one builder: the same
     * text Jackson's generator writes (its string escapes, {@link Instant#toString}'s instants),
     * without the generator, its {@code StringWriter} and the formatter's objects, which were a
     * tenth of what the server allocated per event.
     */
    static String envelope(SegmentCall c, String original) {
        StringBuilder b = new StringBuilder(original.length() + 128);
        b.append("{\"type\":\"").append(c.type().wireName()).append("\",\"messageId\":");
        if (c.messageId() == null) {
            b.append("null");
        } else {
            b.append('"');
            quote(b, c.messageId());
            b.append('"');
        }
        b.append(",\"timestamp\":\"");
        instant(b, c.timestamp());
        b.append("\",\"receivedAt\":\"");
        instant(b, c.receivedAt());
        return b.append("\",\"call\":").append(original).append('}').toString();
    }

    /** Appends {@code s} escaped as in a JSON string, as Jackson's generator escapes it. */
    private static void quote(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == '"' || ch == '\\') {
                b.append(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                        .quoteAsString(s));
                return;
            }
        }
        b.append(s);
    }

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    private static final long YEAR_0 = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long YEAR_10000 = 253_402_300_800L; // 10000-01-01T00:00:00Z

    /**
     * Appends {@code t} as {@link Instant#toString} writes it (ISO-8601 in UTC, the fraction of a
     * second in groups of three digits, none when whole). Years outside 0000-9999, which the JDK
     * writes with a sign, are left to it.
     */
    static void instant(StringBuilder b, Instant t) {
        long sec = t.getEpochSecond();
        if (sec < YEAR_0 || sec >= YEAR_10000) {
            b.append(t);
            return;
        }
        java.time.LocalDate d = java.time.LocalDate.ofEpochDay(Math.floorDiv(sec, 86_400));
        int s = Math.floorMod(sec, 86_400);
        digits(b, d.getYear(), 4).append('-');
        digits(b, d.getMonthValue(), 2).append('-');
        digits(b, d.getDayOfMonth(), 2).append('T');
        digits(b, s / 3600, 2).append(':');
        digits(b, s / 60 % 60, 2).append(':');
        digits(b, s % 60, 2);
        int nano = t.getNano();
        if (nano != 0) {
            b.append('.');
            if (nano % 1_000_000 == 0) digits(b, nano / 1_000_000, 3);
            else if (nano % 1_000 == 0) digits(b, nano / 1_000, 6);
            else digits(b, nano, 9);
        }
        b.append('Z');
    }

    /** {@code v} (not negative) in {@code width} digits, zeros in front. */
    private static StringBuilder digits(StringBuilder b, int v, int width) {
        for (int div = POWERS[width - 1]; div > 0; div /= 10) b.append((char) ('0' + v / div % 10));
        return b;
    }

    private static void putIfPresent(JsonGenerator g, String field, String value) throws java.io.IOException {
        if (value != null) g.writeStringField(field, value);
    }

    private static void putIfPresent(JsonGenerator g, String field, Map<String, Object> value)
            throws java.io.IOException {
        if (value.isEmpty()) return;
        g.writeFieldName(field);
        JSON.writeValue(g, value);
    }

    /**
     * The call a record holds; from an envelope, with its original text (so that encoding it again,
     * as a replay or an erasure's rebuild does, gives the same record), its fields read as the HTTP
     * API read them: a blank string is absent.
     */
    public static SegmentCall decode(String body) {
        Fields f = new Fields();
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT)
                throw new IllegalStateException("corrupt log record: not an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "type" -> f.type = p.getText();
                    case "messageId" -> f.messageId = p.getText();
                    case "timestamp" -> f.timestamp = p.getText();
                    case "receivedAt" -> f.receivedAt = p.getText();
                    case "call" -> {
                        if (t != JsonToken.START_OBJECT)
                            throw new IllegalStateException("corrupt log record: call is not an object");
                        int start = (int) p.currentTokenLocation().getCharOffset();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            p.nextToken();
                            f.field(inner, p, true);
                        }
                        f.original =
                                body.substring(start, (int) p.currentLocation().getCharOffset());
                    }
                    default -> f.field(name, p, false);
                }
            }
            if (f.type == null || f.messageId == null || f.timestamp == null || f.receivedAt == null) {
                throw new IllegalStateException("corrupt log record: type, messageId, timestamp or receivedAt missing");
            }
            return new SegmentCall(
                    SegmentCall.Type.valueOf(f.type.toUpperCase(Locale.ROOT)),
                    f.messageId,
                    f.userId,
                    f.anonymousId,
                    f.event,
                    f.name,
                    f.groupId,
                    f.previousId,
                    f.properties,
                    f.traits,
                    f.context,
                    Instant.parse(f.timestamp),
                    Instant.parse(f.receivedAt),
                    f.original);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt log record: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("corrupt log record: " + e.getMessage(), e);
        }
    }

    /** The call's own fields, from the record's top level or from its envelope's {@code call}. */
    private static final class Fields {
        String type, messageId, timestamp, receivedAt, original;
        String userId, anonymousId, event, name, groupId, previousId;
        Map<String, Object> properties = Map.of(), traits = Map.of(), context = Map.of();

        void field(String field, JsonParser p, boolean asSent) throws java.io.IOException {
            switch (field) {
                case "userId" -> userId = text(p, asSent);
                case "anonymousId" -> anonymousId = text(p, asSent);
                case "event" -> event = text(p, asSent);
                case "name" -> name = text(p, asSent);
                case "groupId" -> groupId = text(p, asSent);
                case "previousId" -> previousId = text(p, asSent);
                case "properties" -> properties = map(p);
                case "traits" -> traits = map(p);
                case "context" -> context = map(p);
                default -> p.skipChildren();
            }
        }

        private static String text(JsonParser p, boolean asSent) throws java.io.IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) return null;
            String s = p.getText();
            return asSent && s.isBlank() ? null : s;
        }

        private static Map<String, Object> map(JsonParser p) throws java.io.IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return Map.of();
            }
            return JsonValues.object(p);
        }
    }
}
