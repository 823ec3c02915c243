package fusion.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.segment.SegmentCall;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The event log's record format: a validated {@link SegmentCall} as compact JSON, with the
 * corrected timestamp and the receipt time, so replay sees exactly what the live path saw.
 */
public final class LogCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private LogCodec() {}

    public static String encode(SegmentCall c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", c.type().wireName());
        n.put("messageId", c.messageId());
        putIfPresent(n, "userId", c.userId());
        putIfPresent(n, "anonymousId", c.anonymousId());
        putIfPresent(n, "event", c.event());
        putIfPresent(n, "name", c.name());
        putIfPresent(n, "groupId", c.groupId());
        putIfPresent(n, "previousId", c.previousId());
        if (!c.properties().isEmpty()) n.set("properties", JSON.valueToTree(c.properties()));
        if (!c.traits().isEmpty()) n.set("traits", JSON.valueToTree(c.traits()));
        if (!c.context().isEmpty()) n.set("context", JSON.valueToTree(c.context()));
        n.put("timestamp", c.timestamp().toString());
        n.put("receivedAt", c.receivedAt().toString());
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode call " + c.messageId(), e);
        }
    }

    public static SegmentCall decode(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return new SegmentCall(
                    SegmentCall.Type.valueOf(n.get("type").asText().toUpperCase(Locale.ROOT)),
                    n.get("messageId").asText(),
                    text(n, "userId"), text(n, "anonymousId"), text(n, "event"), text(n, "name"),
                    text(n, "groupId"), text(n, "previousId"),
                    map(n, "properties"), map(n, "traits"), map(n, "context"),
                    Instant.parse(n.get("timestamp").asText()),
                    Instant.parse(n.get("receivedAt").asText()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt log record: " + e.getOriginalMessage(), e);
        }
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null) n.put(field, value);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, Object> map(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null ? Map.of() : JSON.convertValue(v, MAP);
    }
}
