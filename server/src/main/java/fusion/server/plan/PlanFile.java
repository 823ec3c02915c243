package fusion.server.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import fusion.core.model.Channel;
import fusion.core.model.Initiator;
import fusion.core.model.InvalidInput;
import fusion.core.model.Need;
import fusion.core.model.Purpose;
import fusion.core.segment.EventDefaults;
import fusion.core.segment.TrackingPlan;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a tracking plan file: JSON, or YAML for a {@code .yaml}/{@code .yml} file (the same
 * structure). Every refusal names the JSON path ({@code $.events[3].purpose: expected one of
 * research, ... but was 'buy'}); unknown keys are refused too, so a misspelt {@code requird} cannot
 * silently leave a property optional. The format is in docs/SEGMENT.md; the default plan is the
 * resource {@value #DEFAULT}.
 */
public final class PlanFile {
    static final String DEFAULT = "/fusion/server/plan/default-tracking-plan.json";
    /** A plan is read whole into memory: a bound on its size keeps a wrong file from exhausting it. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    static final int MAX_EVENTS = 10_000;

    private static final Set<String> ROOT = Set.of("$comment", "defaultMode", "sources", "events");
    private static final Set<String> EVENT = Set.of(
            "name",
            "description",
            "purpose",
            "initiator",
            "channel",
            "need",
            "valueReceived",
            "moneyReturned",
            "repeatContacts",
            "properties");
    private static final Set<String> PROPERTY = Set.of("type", "required", "description");

    private PlanFile() {}

    /** The plan shipped with the server: today's standard events, every source flagged. */
    public static TrackingPlan standard() {
        return Standard.PLAN;
    }

    /** Read once, on first use. */
    private static final class Standard {
        static final TrackingPlan PLAN = load();
    }

    private static TrackingPlan load() {
        try (InputStream in = PlanFile.class.getResourceAsStream(DEFAULT)) {
            if (in == null) throw new IllegalStateException(DEFAULT + " is missing from the build");
            return parse(json().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code file}; a refusal names the JSON path inside it. */
    public static TrackingPlan read(Path file) {
        try {
            if (!Files.isRegularFile(file)) throw new InvalidInput("$", "no file " + file.toAbsolutePath());
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new InvalidInput("$", "the plan is " + size + " bytes; the limit is " + MAX_BYTES);
            }
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? yaml() : json();
            JsonNode root;
            try {
                root = mapper.readTree(file.toFile());
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                var at = e.getLocation();
                throw new InvalidInput(
                        "$",
                        "not readable as " + (mapper instanceof YAMLMapper ? "YAML" : "JSON")
                                + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                                + ": " + e.getOriginalMessage());
            }
            return parse(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectMapper json() {
        return JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonParser.Feature.ALLOW_COMMENTS)
                .build();
    }

    private static ObjectMapper yaml() {
        return YAMLMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** A plan from its parsed tree. */
    static TrackingPlan parse(JsonNode root) {
        object(root, "$");
        keys(root, "$", ROOT);
        TrackingPlan.Mode defaultMode = Optional.ofNullable(root.get("defaultMode"))
                .map(n -> TrackingPlan.Mode.parse("$.defaultMode", text(n, "$.defaultMode")))
                .orElse(TrackingPlan.Mode.FLAG);
        Map<String, TrackingPlan.Mode> sources = new HashMap<>();
        JsonNode s = root.get("sources");
        if (s != null && !s.isNull()) {
            object(s, "$.sources");
            for (var it = s.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                String at = "$.sources." + e.getKey();
                sources.put(e.getKey(), TrackingPlan.Mode.parse(at, text(e.getValue(), at)));
            }
        }
        JsonNode events = root.get("events");
        if (events == null || events.isNull()) throw new InvalidInput("$.events", "is required (a list of events)");
        if (!events.isArray()) throw new InvalidInput("$.events", "expected a list but was " + kind(events));
        if (events.size() > MAX_EVENTS) {
            throw new InvalidInput("$.events", "has " + events.size() + " events; the limit is " + MAX_EVENTS);
        }
        List<TrackingPlan.Event> planned = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) planned.add(event(events.get(i), "$.events[" + i + "]"));
        try {
            return new TrackingPlan(planned, sources, defaultMode);
        } catch (InvalidInput e) {
            throw new InvalidInput("$." + e.field(), e.problem());
        }
    }

    private static TrackingPlan.Event event(JsonNode n, String at) {
        object(n, at);
        keys(n, at, EVENT);
        JsonNode nameNode = n.get("name");
        if (nameNode == null || nameNode.isNull()) throw new InvalidInput(at + ".name", "is required");
        String name = text(nameNode, at + ".name");
        if (name.isBlank()) throw new InvalidInput(at + ".name", "must not be empty");
        JsonNode p = n.get("purpose");
        if (p == null || p.isNull()) throw new InvalidInput(at + ".purpose", "is required");
        EventDefaults d = EventDefaults.of(Purpose.parse(at + ".purpose", text(p, at + ".purpose")));
        if (n.hasNonNull("initiator")) {
            Initiator who = Initiator.parse(at + ".initiator", text(n.get("initiator"), at + ".initiator"));
            if (who == Initiator.BRAND) d = d.initiatedByBrand();
        }
        if (n.hasNonNull("channel")) d = d.on(Channel.parse(at + ".channel", text(n.get("channel"), at + ".channel")));
        if (n.hasNonNull("need")) d = d.settles(Need.parse(at + ".need", text(n.get("need"), at + ".need")));
        if (n.hasNonNull("valueReceived")) {
            JsonNode v = n.get("valueReceived");
            if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > fusion.core.model.Bounds.MAX_VALUE_RECEIVED) {
                throw new InvalidInput(
                        at + ".valueReceived",
                        "expected a number from 0 to " + (long) fusion.core.model.Bounds.MAX_VALUE_RECEIVED
                                + " but was " + kind(v));
            }
            d = d.gives(v.asDouble());
        }
        if (n.hasNonNull("moneyReturned")) {
            JsonNode v = n.get("moneyReturned");
            if (!v.isBoolean())
                throw new InvalidInput(at + ".moneyReturned", "expected true or false but was " + kind(v));
            if (v.asBoolean()) d = d.returnsMoney();
        }
        if (n.hasNonNull("repeatContacts")) {
            JsonNode v = n.get("repeatContacts");
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > 100) {
                throw new InvalidInput(
                        at + ".repeatContacts", "expected a whole number from 0 to 100 but was " + kind(v));
            }
            for (int k = 0; k < v.asInt(); k++) d = d.repeats();
        }
        Map<String, TrackingPlan.Property> properties = new LinkedHashMap<>();
        JsonNode props = n.get("properties");
        if (props != null && !props.isNull()) {
            object(props, at + ".properties");
            for (var it = props.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                properties.put(e.getKey(), property(e.getValue(), at + ".properties." + e.getKey()));
            }
        }
        return new TrackingPlan.Event(name, d, properties);
    }

    /** {@code "number"}, or {@code {"type": "number", "required": true}}. */
    private static TrackingPlan.Property property(JsonNode n, String at) {
        if (n.isTextual()) return new TrackingPlan.Property(TrackingPlan.Type.parse(at, n.asText()), false);
        object(n, at);
        keys(n, at, PROPERTY);
        JsonNode t = n.get("type");
        if (t == null || t.isNull()) throw new InvalidInput(at + ".type", "is required");
        TrackingPlan.Type type = TrackingPlan.Type.parse(at + ".type", text(t, at + ".type"));
        boolean required = false;
        JsonNode r = n.get("required");
        if (r != null && !r.isNull()) {
            if (!r.isBoolean()) throw new InvalidInput(at + ".required", "expected true or false but was " + kind(r));
            required = r.asBoolean();
        }
        return new TrackingPlan.Property(type, required);
    }

    private static void object(JsonNode n, String at) {
        if (n == null || !n.isObject()) throw new InvalidInput(at, "expected an object but was " + kind(n));
    }

    private static void keys(JsonNode n, String at, Set<String> known) {
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new InvalidInput(
                        at + "." + k,
                        "is not a key of the plan here; expected one of " + new java.util.TreeSet<>(known));
            }
        }
    }

    private static String text(JsonNode n, String at) {
        if (!n.isTextual()) throw new InvalidInput(at, "expected a string but was " + kind(n));
        return n.asText();
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "null";
        if (n.isTextual()) return "'" + n.asText() + "'";
        if (n.isArray()) return "a list";
        if (n.isObject()) return "an object";
        return n.asText();
    }
}
