package fusion.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.consent.ConsentPurpose;
import fusion.core.model.InvalidInput;
import fusion.core.model.Purpose;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the JSON rule language (docs/AUDIENCES.md, schema in {@code audience-rule.schema.json})
 * and refuses anything else with an {@link InvalidInput} whose field is the JSON path of the
 * offending value, e.g. {@code $.all[2].gte}, and whose problem says what would be accepted.
 */
public final class Rules {
    /** Nesting deeper than this is refused (a rule is written by people, and evaluated per event). */
    public static final int MAX_DEPTH = 12;
    /** More conditions than this in one rule are refused. */
    public static final int MAX_CONDITIONS = 200;
    /** More values than this in one {@code in} list are refused. */
    public static final int MAX_IN_VALUES = 1_000;
    /** The longest window, in days. */
    public static final int MAX_DAYS = 3_650;

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private static final Set<String> COMBINATORS = Set.of("all", "any", "not", "audience", "fact");
    private static final Set<String> EVENT_PARAMS = Set.of("purpose", "channel", "brand", "contactPoint");

    private int conditions;

    private Rules() {}

    /** The rule {@code node} says, or an {@link InvalidInput} naming the JSON path of the first thing wrong. */
    static Rule parse(JsonNode node) {
        return new Rules().rule(node, "$", 1);
    }

    private Rule rule(JsonNode node, String path, int depth) {
        if (node == null || !node.isObject()) {
            throw new InvalidInput(path, "expected an object with one of all, any, not, audience or fact");
        }
        if (depth > MAX_DEPTH) throw new InvalidInput(path, "rules nest at most " + MAX_DEPTH + " deep");
        if (++conditions > MAX_CONDITIONS) {
            throw new InvalidInput(path, "a rule has at most " + MAX_CONDITIONS + " conditions");
        }
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        List<String> heads = keys.stream().filter(COMBINATORS::contains).toList();
        if (heads.size() != 1) {
            throw new InvalidInput(
                    path,
                    "expected exactly one of all, any, not, audience or fact but found "
                            + (heads.isEmpty() ? "none (keys: " + keys + ")" : heads));
        }
        String head = heads.get(0);
        switch (head) {
            case "all", "any" -> {
                only(node, path, Set.of(head));
                JsonNode list = node.get(head);
                String p = path + "." + head;
                if (!list.isArray() || list.isEmpty()) throw new InvalidInput(p, "expected a non-empty array of rules");
                List<Rule> rules = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) rules.add(rule(list.get(i), p + "[" + i + "]", depth + 1));
                return head.equals("all") ? new Rule.All(List.copyOf(rules)) : new Rule.Any(List.copyOf(rules));
            }
            case "not" -> {
                only(node, path, Set.of("not"));
                return new Rule.Not(rule(node.get("not"), path + ".not", depth + 1));
            }
            case "audience" -> {
                only(node, path, Set.of("audience"));
                return new Rule.Member(id(node.get("audience"), path + ".audience"));
            }
            default -> {
                return condition(node, path);
            }
        }
    }

    /** An audience id: 1 to 64 of a-z, 0-9, '-' and '_', starting with a letter or digit. */
    static String id(JsonNode node, String path) {
        if (node == null || !node.isTextual() || !ID.matcher(node.asText()).matches()) {
            throw new InvalidInput(
                    path,
                    "expected an audience id: 1 to 64 of a-z, 0-9, '-' and '_' but was "
                            + (node == null ? "nothing" : node.toString()));
        }
        return node.asText();
    }

    private Rule condition(JsonNode node, String path) {
        JsonNode factNode = node.get("fact");
        String factPath = path + ".fact";
        if (!factNode.isTextual()) throw new InvalidInput(factPath, "expected the name of a fact: " + factNames());
        String name = factNode.asText();
        Fact.Kind kind = Arrays.stream(Fact.Kind.values())
                .filter(k -> k.wire.equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new InvalidInput(factPath, "expected one of " + factNames() + " but was '" + name + "'"));
        Set<String> params = switch (kind) {
            case TRAIT -> Set.of("name");
            case EVENTS -> union(EVENT_PARAMS, Set.of("days"));
            case LAST_EVENT, LAST_PURPOSE -> EVENT_PARAMS;
            case EXPERIENCE, FUSION, BRAND_SIDE, CONSUMER_SIDE -> Set.of("brand");
            case PROBABILITY_ALIVE, LIFETIME_VALUE -> Set.of();
            case CHURN_RISK -> Set.of("brand");
            case STALLED -> Set.of("brand", "days");
            case LEAKED_TO, LEAKED -> Set.of("brand");
            case CONSENT -> Set.of("purpose", "channel");
        };
        Set<String> operators = switch (kind.type) {
            case NUMBER -> Set.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "between", "exists");
            case STRING -> Set.of("eq", "ne", "in", "exists");
            case TIME -> Set.of("withinDays", "exists");
            case ANY -> Set.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "between", "exists");
            case BOOLEAN -> Set.of();
        };
        Set<String> allowed = union(union(params, operators), Set.of("fact"));
        String operatorName = null;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                String what = Operator.NAMES.contains(key)
                        ? "operator '" + key + "' does not apply to " + name + " ("
                                + kind.type.name().toLowerCase() + "); it takes "
                                + (operators.isEmpty() ? "no operator" : sorted(operators))
                        : "unknown key '" + key + "' for fact " + name + "; it takes " + sorted(params)
                                + (operators.isEmpty() ? "" : " and one operator of " + sorted(operators));
                throw new InvalidInput(path + "." + key, what);
            }
            if (operators.contains(key)) {
                if (operatorName != null) {
                    throw new InvalidInput(
                            path + "." + key,
                            "a condition takes one operator but also has '" + operatorName
                                    + "'; combine conditions with all");
                }
                operatorName = key;
            }
        }
        if (operatorName == null && !operators.isEmpty()) {
            throw new InvalidInput(path, "fact " + name + " needs one operator of " + sorted(operators));
        }
        String traitName = null;
        Integer days = null;
        String brand = null;
        ConsentPurpose consentPurpose = null;
        String channel = null;
        Fact.EventFilter filter = null;
        switch (kind) {
            case TRAIT -> traitName = text(node, path, "name", true);
            case EVENTS, LAST_EVENT, LAST_PURPOSE -> {
                String purpose = text(node, path, "purpose", false);
                filter = new Fact.EventFilter(
                        purpose == null ? null : purpose(purpose, path + ".purpose"),
                        text(node, path, "channel", false),
                        text(node, path, "brand", false),
                        text(node, path, "contactPoint", false));
                days = days(node, path);
            }
            case EXPERIENCE, FUSION, BRAND_SIDE, CONSUMER_SIDE, CHURN_RISK -> brand = text(node, path, "brand", true);
            case STALLED -> {
                brand = text(node, path, "brand", false);
                days = days(node, path);
            }
            case LEAKED_TO, LEAKED -> brand = text(node, path, "brand", false);
            case CONSENT -> {
                String raw = text(node, path, "purpose", true);
                try {
                    consentPurpose = ConsentPurpose.parse("purpose", raw);
                } catch (InvalidInput e) {
                    throw new InvalidInput(path + ".purpose", e.problem());
                }
                channel = text(node, path, "channel", false);
            }
            default -> {}
        }
        Fact fact = new Fact(kind, traitName, filter, days, brand, consentPurpose, channel);
        Operator op = operatorName == null
                ? new Operator("eq", Boolean.TRUE)
                : operator(operatorName, node.get(operatorName), path + "." + operatorName, kind);
        return new Rule.Condition(fact, op);
    }

    /** The optional {@code days}: a whole number from 1 to {@link #MAX_DAYS}, or null when absent. */
    private static Integer days(JsonNode node, String path) {
        if (!node.has("days")) return null;
        JsonNode d = node.get("days");
        if (!d.isIntegralNumber() || d.asLong() < 1 || d.asLong() > MAX_DAYS) {
            throw new InvalidInput(
                    path + ".days", "expected a whole number of days from 1 to " + MAX_DAYS + " but was " + d);
        }
        return d.asInt();
    }

    private static Operator operator(String name, JsonNode v, String path, Fact.Kind kind) {
        switch (name) {
            case "gt", "gte", "lt", "lte" -> {
                return new Operator(name, number(v, path));
            }
            case "eq", "ne" -> {
                return new Operator(name, scalar(v, path, kind));
            }
            case "in" -> {
                if (!v.isArray() || v.isEmpty() || v.size() > MAX_IN_VALUES) {
                    throw new InvalidInput(
                            path, "expected an array of 1 to " + MAX_IN_VALUES + " values but was " + abbreviate(v));
                }
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) values.add(scalar(v.get(i), path + "[" + i + "]", kind));
                return new Operator(name, List.copyOf(values));
            }
            case "between" -> {
                if (!v.isArray() || v.size() != 2) {
                    throw new InvalidInput(
                            path, "expected [low, high] (two numbers, both included) but was " + abbreviate(v));
                }
                double lo = number(v.get(0), path + "[0]"), hi = number(v.get(1), path + "[1]");
                if (lo > hi) throw new InvalidInput(path, "expected low <= high but was [" + lo + ", " + hi + "]");
                return new Operator(name, List.of(lo, hi));
            }
            case "exists" -> {
                if (!v.isBoolean()) throw new InvalidInput(path, "expected true or false but was " + abbreviate(v));
                return new Operator(name, v.asBoolean());
            }
            case "withinDays" -> {
                double d = number(v, path);
                if (!(d > 0) || d > MAX_DAYS) {
                    throw new InvalidInput(
                            path, "expected a number of days above 0 and at most " + MAX_DAYS + " but was " + v);
                }
                return new Operator(name, d);
            }
            default -> throw new IllegalStateException(name);
        }
    }

    private static Object scalar(JsonNode v, String path, Fact.Kind kind) {
        switch (kind.type) {
            case NUMBER -> {
                return number(v, path);
            }
            case STRING -> {
                if (!v.isTextual()) throw new InvalidInput(path, "expected a string but was " + abbreviate(v));
                if (kind == Fact.Kind.LAST_PURPOSE)
                    return purpose(v.asText(), path).label();
                return v.asText();
            }
            default -> {
                if (v.isNumber()) return v.asDouble();
                if (v.isTextual()) return v.asText();
                if (v.isBoolean()) return v.asBoolean();
                throw new InvalidInput(path, "expected a string, number or boolean but was " + abbreviate(v));
            }
        }
    }

    private static double number(JsonNode v, String path) {
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new InvalidInput(path, "expected a number but was " + abbreviate(v));
        }
        return v.asDouble();
    }

    private static Purpose purpose(String raw, String path) {
        try {
            return Purpose.parse("purpose", raw);
        } catch (InvalidInput e) {
            throw new InvalidInput(path, e.problem());
        }
    }

    private static String text(JsonNode node, String path, String key, boolean required) {
        JsonNode v = node.get(key);
        if (v == null) {
            if (required) throw new InvalidInput(path + "." + key, "is required (a non-empty string)");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 200) {
            throw new InvalidInput(
                    path + "." + key, "expected a non-empty string of at most 200 characters but was " + abbreviate(v));
        }
        return v.asText();
    }

    private static void only(JsonNode node, String path, Set<String> keys) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String k = field.getKey();
            if (!keys.contains(k)) {
                throw new InvalidInput(
                        path + "." + k,
                        "unexpected key beside " + keys.iterator().next() + "; wrap several conditions in all or any");
            }
        }
    }

    private static String abbreviate(JsonNode v) {
        String s = String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    static String factNames() {
        return Arrays.stream(Fact.Kind.values()).map(k -> k.wire).toList().toString();
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return u;
    }
}
