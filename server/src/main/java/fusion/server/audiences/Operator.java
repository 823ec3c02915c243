package fusion.server.audiences;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One comparison of a fact's value with the rule's operand. A missing value (no such trait, no
 * relationship, no prediction) makes every operator false except {@code exists: false}.
 */
record Operator(String name, Object operand) {
    static final List<String> NAMES =
            List.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "between", "exists", "withinDays");

    boolean timeBased() {
        return name.equals("withinDays");
    }

    boolean test(Object value, Instant now) {
        if (name.equals("exists")) return (value != null) == (Boolean) operand;
        if (value == null) return false;
        return switch (name) {
            case "eq" -> same(value, operand);
            case "ne" -> !same(value, operand);
            case "gt" -> number(value) != null && number(value) > (Double) operand;
            case "gte" -> number(value) != null && number(value) >= (Double) operand;
            case "lt" -> number(value) != null && number(value) < (Double) operand;
            case "lte" -> number(value) != null && number(value) <= (Double) operand;
            case "in" -> ((List<?>) operand).stream().anyMatch(o -> same(value, o));
            case "between" -> {
                Double v = number(value);
                List<?> range = (List<?>) operand;
                yield v != null && v >= (Double) range.get(0) && v <= (Double) range.get(1);
            }
            case "withinDays" ->
                value instanceof Instant t
                        && !t.isBefore(now.minus(Duration.ofSeconds(Math.round((Double) operand * 86_400))));
            default -> throw new IllegalStateException("operator " + name);
        };
    }

    /** Numbers compare by value whatever their Java type; everything else by equality. */
    static boolean same(Object a, Object b) {
        Double x = number(a), y = number(b);
        if (x != null && y != null) return x.doubleValue() == y.doubleValue();
        return Objects.equals(a, b);
    }

    static Double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : null;
    }
}
