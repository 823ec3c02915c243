package fusion.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values read from a streaming parser into the plain Java values a {@link
 * fusion.core.segment.SegmentCall} keeps in its maps: objects as {@link LinkedHashMap} in their
 * order, arrays as {@link ArrayList}, integers as Integer, Long or BigInteger by size, other
 * numbers as Double (as Jackson's tree keeps them), booleans, strings and null. The HTTP API's parser and the log's decoder both read calls through
 * here, so a call read back from the log equals the call that was accepted.
 */
public final class JsonValues {
    private JsonValues() {}

    /** The value whose first token is the parser's current token; leaves the parser on its last token. */
    public static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) throw new IOException("no JSON value");
        switch (t) {
            case START_OBJECT:
                return object(p);
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(read(p));
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
                return p.getNumberValue(); // Integer, Long or BigInteger by size
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue(); // 1e309 is Infinity, as in Jackson's tree
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }

    /** The object whose START_OBJECT is the parser's current token. */
    public static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            m.put(name, read(p));
        }
        return m;
    }

    /**
     * How a value is named in a refusal ({@code expected a string but was 42}), as the tree parser
     * named it: a string quoted and cut at 40 characters, a number or boolean as its text, null,
     * {@code an array}, {@code an object}.
     */
    public static String kind(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        if (v instanceof List<?>) return "an array";
        return "an object";
    }
}
