package fusion.core.segment;

import fusion.core.model.InvalidInput;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a user declares about their tracking: each event's meaning as an interaction (the mapping
 * the pipeline scores with, in declared order) and the properties it is expected to carry, with
 * their types; and, per source (a write key's name), what happens to a call that breaks the plan
 * ({@link Mode}). The server reads it from a JSON or YAML file; the default plan, shipped with the
 * server, is today's {@link StandardEvents} with no property expectations, so it changes nothing.
 *
 * <p>Only {@code track} calls are checked against the plan: identify, group, alias, page and screen
 * calls have meanings of their own. Consent events ({@link ConsentEvents}) are always planned.
 *
 * @param events      the planned events, in the order their names are matched
 * @param sources     the mode of each named source
 * @param defaultMode the mode of every other source
 */
public record TrackingPlan(List<Event> events, Map<String, Mode> sources, Mode defaultMode) {

    /** What happens to a call that breaks the plan. */
    public enum Mode {
        /** Accepted, and nothing is counted: the source is not held to the plan. */
        ALLOW,
        /** Accepted, and each violation is counted per event and source, with samples. */
        FLAG,
        /** Refused with 400 naming the property (the whole batch, as any invalid call); counted too. */
        BLOCK;

        public static Mode parse(String field, String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInput(field, "expected one of allow, flag, block but was '" + value + "'");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A property's expected JSON type. */
    public enum Type {
        STRING,
        NUMBER,
        INTEGER,
        BOOLEAN,
        OBJECT,
        ARRAY;

        public static Type parse(String field, String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInput(
                        field,
                        "expected one of string, number, integer, boolean, object, array but was '" + value + "'");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean fits(Object v) {
            return switch (this) {
                case STRING -> v instanceof String;
                case NUMBER -> v instanceof Number n && Double.isFinite(n.doubleValue());
                case INTEGER ->
                    v instanceof Integer
                            || v instanceof Long
                            || v instanceof BigInteger
                            || (v instanceof Number n
                                    && Double.isFinite(n.doubleValue())
                                    && n.doubleValue() == Math.rint(n.doubleValue()));
                case BOOLEAN -> v instanceof Boolean;
                case OBJECT -> v instanceof Map<?, ?>;
                case ARRAY -> v instanceof List<?>;
            };
        }
    }

    /** A planned property: its type, and whether every call of the event must carry it. */
    public record Property(Type type, boolean required) {
        public Property {
            if (type == null) throw new InvalidInput("type", "must not be null");
        }
    }

    /**
     * A planned event: its name, its meaning, and its properties (in declared order).
     *
     * @param key the name {@linkplain EventMapping#normalize normalized}, computed once: every call is
     *            looked up by it
     */
    public record Event(String name, EventDefaults meaning, Map<String, Property> properties, String key) {
        public Event {
            if (name == null || name.isBlank()) throw new InvalidInput("name", "must not be empty");
            if (meaning == null) throw new InvalidInput("meaning", "must not be null");
            properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            key = EventMapping.normalize(name);
        }

        public Event(String name, EventDefaults meaning, Map<String, Property> properties) {
            this(name, meaning, properties, null);
        }
    }

    /** What is wrong with a call under the plan. */
    public enum Kind {
        UNKNOWN_EVENT,
        MISSING_PROPERTY,
        MISTYPED_PROPERTY;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * One violation of the plan.
     *
     * @param field   the field it is about, as the API names it ({@code event}, {@code properties.revenue})
     * @param problem what is wrong, for a person
     */
    public record Violation(Kind kind, String event, String field, String problem) {}

    public TrackingPlan {
        events = List.copyOf(events);
        sources = Map.copyOf(sources);
        if (defaultMode == null) throw new InvalidInput("defaultMode", "must not be null");
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Integer first = seen.putIfAbsent(events.get(i).key(), i);
            if (first != null) {
                throw new InvalidInput(
                        "events[" + i + "].name",
                        "'" + events.get(i).name() + "' is planned twice (first at events[" + first + "])");
            }
        }
    }

    /** The mode of a source (a write key's name, {@code import} for files, ...). */
    public Mode mode(String source) {
        return sources.getOrDefault(source, defaultMode);
    }

    /** The plan's mapping, as {@link SegmentMapping} takes it: one named mapping per event, in order. */
    public List<EventMapping> mappings() {
        List<EventMapping> m = new ArrayList<>(events.size());
        for (Event e : events) m.add(EventMapping.named(e.name(), e.meaning()));
        return List.copyOf(m);
    }

    /** The planned event of a name (case and surrounding spaces ignored). */
    public Optional<Event> event(String name) {
        String key = EventMapping.normalize(name);
        for (Event e : events) {
            if (e.key().equals(key)) return Optional.of(e);
        }
        return Optional.empty();
    }

    /** Every way {@code call} breaks the plan, in a stable order (empty for a call that keeps it). */
    public List<Violation> check(SegmentCall call) {
        if (call.type() != SegmentCall.Type.TRACK || ConsentEvents.isConsentEvent(call.event())) return List.of();
        Optional<Event> planned = event(call.event());
        if (planned.isEmpty()) {
            return List.of(new Violation(
                    Kind.UNKNOWN_EVENT, call.event(), "event", "'" + call.event() + "' is not in the tracking plan"));
        }
        List<Violation> out = new ArrayList<>();
        Event e = planned.get();
        for (var p : e.properties().entrySet()) {
            Object v = call.properties().get(p.getKey());
            String field = "properties." + p.getKey();
            if (v == null) {
                if (p.getValue().required()) {
                    out.add(new Violation(
                            Kind.MISSING_PROPERTY,
                            e.name(),
                            field,
                            "is required by the tracking plan for '" + e.name() + "'"));
                }
            } else if (!p.getValue().type().fits(v)) {
                out.add(new Violation(
                        Kind.MISTYPED_PROPERTY,
                        e.name(),
                        field,
                        "expected " + article(p.getValue().type()) + " (tracking plan for '" + e.name() + "') but was "
                                + show(v)));
            }
        }
        return out;
    }

    private static String article(Type t) {
        return switch (t) {
            case INTEGER, OBJECT, ARRAY -> "an " + t.label();
            default -> "a " + t.label();
        };
    }

    private static String show(Object v) {
        if (v instanceof String s) return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        if (v instanceof Map<?, ?>) return "an object";
        if (v instanceof List<?>) return "an array";
        return String.valueOf(v);
    }
}
