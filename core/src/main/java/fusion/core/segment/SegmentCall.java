package fusion.core.segment;

import fusion.core.model.InvalidInput;
import java.time.Instant;
import java.util.Map;

/**
 * One validated Segment tracking-API call, as the log keeps it. Free-form fields stay maps of
 * JSON values (strings, numbers, booleans, lists, maps); {@link Fields} reads them with types
 * and names the field when a value does not fit.
 *
 * @param timestamp  when it happened, corrected for the sender's clock skew:
 *                   {@code receivedAt - (sentAt - originalTimestamp)}
 * @param receivedAt when Fusion received it
 */
public record SegmentCall(
        Type type,
        String messageId,
        String userId,
        String anonymousId,
        String event,
        String name,
        String groupId,
        String previousId,
        Map<String, Object> properties,
        Map<String, Object> traits,
        Map<String, Object> context,
        Instant timestamp,
        Instant receivedAt) {

    public enum Type {
        TRACK,
        IDENTIFY,
        PAGE,
        SCREEN,
        GROUP,
        ALIAS;

        private final String wire = name().toLowerCase(java.util.Locale.ROOT);

        public String wireName() {
            return wire;
        }
    }

    public SegmentCall {
        if (type == null) throw new InvalidInput("type", "must not be null");
        if (messageId == null || messageId.isBlank()) throw new InvalidInput("messageId", "must not be empty");
        if (type == Type.ALIAS) {
            if (userId == null) throw new InvalidInput("userId", "alias needs a userId");
            if (previousId == null) throw new InvalidInput("previousId", "alias needs a previousId");
        } else if (userId == null && anonymousId == null) {
            throw new InvalidInput("userId", "either userId or anonymousId is required");
        }
        if (type == Type.TRACK && (event == null || event.isBlank())) {
            throw new InvalidInput("event", "a track call needs an event name");
        }
        if (type == Type.GROUP && (groupId == null || groupId.isBlank())) {
            throw new InvalidInput("groupId", "a group call needs a groupId");
        }
        if (timestamp == null) throw new InvalidInput("timestamp", "must not be null");
        if (receivedAt == null) throw new InvalidInput("receivedAt", "must not be null");
        properties = properties == null ? Map.of() : properties;
        traits = traits == null ? Map.of() : traits;
        context = context == null ? Map.of() : context;
    }
}
