package fusion.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Builds Segment messages for the demo, numbering them so their messageIds are deterministic. */
final class Messages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ObjectNode> all = new ArrayList<>();
    private long counter;

    ObjectNode track(String userId, String anonymousId, String event, Instant at) {
        ObjectNode m = base("track", userId, anonymousId, at);
        m.put("event", event);
        m.putObject("properties");
        return m;
    }

    /** A track call with properties given as alternating keys and values. */
    ObjectNode track(String userId, String event, Instant at, Object... props) {
        ObjectNode m = track(userId, null, event, at);
        ObjectNode p = (ObjectNode) m.get("properties");
        for (int i = 0; i < props.length; i += 2) {
            put(p, (String) props[i], props[i + 1]);
        }
        return m;
    }

    ObjectNode identify(String userId, String anonymousId, Instant at, Object... traits) {
        ObjectNode m = base("identify", userId, anonymousId, at);
        ObjectNode t = m.putObject("traits");
        for (int i = 0; i < traits.length; i += 2) {
            put(t, (String) traits[i], traits[i + 1]);
        }
        return m;
    }

    ObjectNode page(String userId, String anonymousId, String name, String path, String brand, Instant at) {
        ObjectNode m = base("page", userId, anonymousId, at);
        m.put("name", name);
        m.putObject("properties").put("path", path).put("brand", brand);
        return m;
    }

    ObjectNode group(String userId, String brand, String name, boolean competitor, Instant at) {
        ObjectNode m = base("group", userId, null, at);
        m.put("groupId", brand);
        m.putObject("traits").put("name", name).put("competitor", competitor);
        return m;
    }

    ObjectNode alias(String previousId, String userId, Instant at) {
        ObjectNode m = base("alias", userId, null, at);
        m.put("previousId", previousId);
        return m;
    }

    /** Everything built so far, in time order. */
    List<ObjectNode> sorted() {
        List<ObjectNode> out = new ArrayList<>(all);
        out.sort(Comparator.comparing((ObjectNode m) -> m.get("timestamp").asText())
                .thenComparing(m -> m.get("messageId").asText()));
        return out;
    }

    private ObjectNode base(String type, String userId, String anonymousId, Instant at) {
        ObjectNode m = JSON.createObjectNode();
        m.put("type", type);
        m.put("messageId", "demo-" + counter++);
        if (userId != null) m.put("userId", userId);
        if (anonymousId != null) m.put("anonymousId", anonymousId);
        m.put("timestamp", at.toString());
        all.add(m);
        return m;
    }

    private static void put(ObjectNode o, String key, Object v) {
        if (v instanceof String s) o.put(key, s);
        else if (v instanceof Integer i) o.put(key, i);
        else if (v instanceof Long l) o.put(key, l);
        else if (v instanceof Double d) o.put(key, d);
        else if (v instanceof Boolean b) o.put(key, b);
        else if (v instanceof List<?> list) {
            ArrayNode a = o.putArray(key);
            list.forEach(x -> a.add(x.toString()));
        } else throw new IllegalArgumentException(key + ": unsupported demo value " + v);
    }
}
