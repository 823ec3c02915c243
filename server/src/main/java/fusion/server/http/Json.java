package fusion.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.model.InvalidInput;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Typed fields of a small JSON request body (the admin and privacy APIs), naming the field on error. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Map<String, Object> map;

    private Json(Map<String, Object> map) {
        this.map = map;
    }

    @SuppressWarnings("unchecked")
    static Json body(String raw) {
        if (raw == null || raw.isBlank()) return new Json(Map.of());
        try {
            Object v = MAPPER.readValue(raw, Object.class);
            if (!(v instanceof Map<?, ?> m)) throw new MalformedInput("the body must be a JSON object");
            return new Json((Map<String, Object>) m);
        } catch (JsonProcessingException e) {
            throw new MalformedInput("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    Optional<String> text(String field) {
        Object v = map.get(field);
        if (v == null) return Optional.empty();
        if (!(v instanceof String s)) throw new InvalidInput(field, "expected a string but was " + v);
        return s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    String required(String field) {
        return text(field).orElseThrow(() -> new InvalidInput(field, "is required"));
    }

    Optional<Boolean> flag(String field) {
        Object v = map.get(field);
        if (v == null) return Optional.empty();
        if (!(v instanceof Boolean b)) throw new InvalidInput(field, "expected true or false but was " + v);
        return Optional.of(b);
    }

    Optional<Double> number(String field) {
        Object v = map.get(field);
        if (v == null) return Optional.empty();
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new InvalidInput(field, "expected a number but was " + v);
        }
        return Optional.of(n.doubleValue());
    }

    Optional<Instant> instant(String field) {
        Optional<String> s = text(field);
        if (s.isEmpty()) return Optional.empty();
        return Optional.of(Instants.parse(field, s.get()));
    }

    /** A text field of at most {@code max} characters (names, descriptions: a bound on what is stored). */
    Optional<String> text(String field, int max) {
        Optional<String> s = text(field);
        if (s.isPresent() && s.get().length() > max) {
            throw new InvalidInput(
                    field,
                    "must be at most " + max + " characters but has " + s.get().length());
        }
        return s;
    }

    String required(String field, int max) {
        return text(field, max).orElseThrow(() -> new InvalidInput(field, "is required"));
    }
}
