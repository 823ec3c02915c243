package fusion.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.model.InvalidInput;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A person's erasure as a record of the log (cluster mode, docs/SCALE-OUT.md "Erasure in a
 * cluster"): the ingest tier writes it into the events topic, keyed by one of the person's ids,
 * and the job applies it at its place in the log's order, like a call. Its value is a small JSON
 * object whose {@code type} is {@value #TYPE}, which no Segment call has:
 * <pre>{"type":"erase","messageId":"erase-…","receivedAt":"…Z","profile":"…","ids":["u1","b1"],"actor":"admin"}</pre>
 *
 * @param messageId  unique per command (a resent copy is dropped as a duplicate, as a call is)
 * @param receivedAt when the ingest tier accepted it: its place in the log's order
 * @param profile    the profile to erase, as the read API knew it
 * @param ids        the person's user and anonymous ids as the read API knew them (the job also
 *                   erases any it linked since, and finds the profile by these if it was merged)
 * @param actor      who asked, for the erasures table
 */
public record ErasureCommand(String messageId, Instant receivedAt, String profile, List<String> ids, String actor) {
    public static final String TYPE = "erase";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ErasureCommand {
        if (messageId == null || messageId.isBlank()) throw new InvalidInput("messageId", "is required");
        if (receivedAt == null) throw new InvalidInput("receivedAt", "is required");
        if (profile == null || profile.isBlank()) throw new InvalidInput("profile", "is required");
        if (actor == null || actor.isBlank()) throw new InvalidInput("actor", "is required");
        ids = List.copyOf(ids);
    }

    /** The record's key: the person's first id, else the profile, so it shares a partition with their calls. */
    public String key() {
        return ids.isEmpty() ? profile : ids.get(0);
    }

    public String encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", TYPE);
        o.put("messageId", messageId);
        o.put("receivedAt", receivedAt.toString());
        o.put("profile", profile);
        ArrayNode a = o.putArray("ids");
        ids.forEach(a::add);
        o.put("actor", actor);
        return o.toString();
    }

    /** Whether a log record (a call, or a command) is an erasure command: its {@code type} says so. */
    public static boolean is(String type) {
        return TYPE.equals(type);
    }

    /** Reads a record written by {@link #encode}; a record that is not one is refused naming the field. */
    public static ErasureCommand decode(String record) {
        JsonNode n;
        try {
            n = JSON.readTree(record);
        } catch (JsonProcessingException e) {
            throw new InvalidInput("erasure command", "is not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject() || !TYPE.equals(n.path("type").asText(null))) {
            throw new InvalidInput("type", "an erasure command has type '" + TYPE + "'");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : n.path("ids")) {
            if (!id.isTextual()) throw new InvalidInput("ids", "must be strings");
            ids.add(id.asText());
        }
        Instant at;
        try {
            at = Instant.parse(n.path("receivedAt").asText(""));
        } catch (DateTimeParseException e) {
            throw new InvalidInput("receivedAt", "is not an ISO-8601 instant: " + n.path("receivedAt"));
        }
        return new ErasureCommand(
                n.path("messageId").asText(null),
                at,
                n.path("profile").asText(null),
                ids,
                n.path("actor").asText(null));
    }
}
