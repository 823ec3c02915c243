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
 * @param original   the call's JSON exactly as the client sent it, when this record is what was
 *                   read from it and nothing else (the log keeps that text instead of encoding
 *                   the record again, and a call read back from such a record has it too);
 *                   {@code null} for a call built or changed in code. It is provenance, not
 *                   content: {@link #equals}, {@link #hashCode} and {@link #toString} leave it
 *                   out.
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
        Instant receivedAt,
        String original) {

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

    /** A call built in code: no original text. */
    public SegmentCall(
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
        this(
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
                timestamp,
                receivedAt,
                null);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentCall c
                && type == c.type
                && messageId.equals(c.messageId)
                && java.util.Objects.equals(userId, c.userId)
                && java.util.Objects.equals(anonymousId, c.anonymousId)
                && java.util.Objects.equals(event, c.event)
                && java.util.Objects.equals(name, c.name)
                && java.util.Objects.equals(groupId, c.groupId)
                && java.util.Objects.equals(previousId, c.previousId)
                && properties.equals(c.properties)
                && traits.equals(c.traits)
                && context.equals(c.context)
                && timestamp.equals(c.timestamp)
                && receivedAt.equals(c.receivedAt);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
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
                timestamp,
                receivedAt);
    }

    @Override
    public String toString() {
        return "SegmentCall[type=" + type + ", messageId=" + messageId + ", userId=" + userId + ", anonymousId="
                + anonymousId + ", event=" + event + ", name=" + name + ", groupId=" + groupId + ", previousId="
                + previousId + ", properties=" + properties + ", traits=" + traits + ", context=" + context
                + ", timestamp=" + timestamp + ", receivedAt=" + receivedAt + "]";
    }
}
