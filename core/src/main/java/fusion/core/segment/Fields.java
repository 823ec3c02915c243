package fusion.core.segment;

import fusion.core.model.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of a free-form JSON object ({@code properties}, {@code traits}, {@code context}).
 * A value of the wrong type fails with the full path: {@code properties.revenue: expected a
 * number but was "ten"}. Absent and null are the same.
 */
final class Fields {
    private final String path;
    private final Map<String, Object> map;

    Fields(String path, Map<String, Object> map) {
        this.path = path;
        this.map = map;
    }

    Optional<String> text(String key) {
        Object v = map.get(key);
        if (v == null) return Optional.empty();
        if (v instanceof String s) return s.isBlank() ? Optional.empty() : Optional.of(s);
        if (v instanceof Number || v instanceof Boolean) return Optional.of(v.toString());
        throw wrong(key, "a string", v);
    }

    Optional<Double> number(String key) {
        Object v = map.get(key);
        if (v == null) return Optional.empty();
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) throw wrong(key, "a finite number", v);
            return Optional.of(d);
        }
        if (v instanceof String s) {
            try {
                double d = Double.parseDouble(s.trim());
                if (Double.isFinite(d)) return Optional.of(d);
            } catch (NumberFormatException ignored) {
                // falls through to the error naming the field
            }
        }
        throw wrong(key, "a number", v);
    }

    /** A whole number from 0 to {@code max} (a bound of {@link fusion.core.model.Bounds}). */
    Optional<Long> count(String key, long max) {
        Optional<Double> d = number(key);
        if (d.isEmpty()) return Optional.empty();
        double v = d.get();
        if (v < 0 || v != Math.rint(v) || v > max) {
            throw wrong(key, "a whole number from 0 to " + max, map.get(key));
        }
        return Optional.of((long) v);
    }

    /** A number from {@code min} to {@code max} (bounds of {@link fusion.core.model.Bounds}). */
    Optional<Double> number(String key, double min, double max) {
        Optional<Double> d = number(key);
        if (d.isPresent() && (d.get() < min || d.get() > max)) {
            throw wrong(key, "a number from " + plain(min) + " to " + plain(max), map.get(key));
        }
        return d;
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    Optional<Boolean> flag(String key) {
        Object v = map.get(key);
        if (v == null) return Optional.empty();
        if (v instanceof Boolean b) return Optional.of(b);
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Optional.of(Boolean.parseBoolean(s));
        }
        throw wrong(key, "true or false", v);
    }

    List<String> texts(String key) {
        Object v = map.get(key);
        if (v == null) return List.of();
        if (v instanceof String s) return s.isBlank() ? List.of() : List.of(s);
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                if (!(item instanceof String s) || s.isBlank()) {
                    throw new InvalidInput(
                            path + "." + key + "[" + i + "]", "expected a non-empty string but was " + show(item));
                }
                out.add(s);
            }
            return out;
        }
        throw wrong(key, "a string or a list of strings", v);
    }

    Optional<Fields> object(String key) {
        Object v = map.get(key);
        if (v == null) return Optional.empty();
        if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) m;
            return Optional.of(new Fields(path + "." + key, typed));
        }
        throw wrong(key, "an object", v);
    }

    /** The object as given, for iterating its keys. */
    Map<String, Object> raw() {
        return map;
    }

    String path(String key) {
        return path + "." + key;
    }

    private InvalidInput wrong(String key, String expected, Object v) {
        return new InvalidInput(path + "." + key, "expected " + expected + " but was " + show(v));
    }

    private static String show(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "a list";
        return v.toString();
    }
}
