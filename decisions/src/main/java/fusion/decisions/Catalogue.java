package fusion.decisions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import fusion.core.model.InvalidInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The actions a brand offers, read from JSON (format in docs/DECISIONS.md) and validated whole:
 * an unknown field, type, channel or a duplicate id is refused with its JSON path, so a typo never
 * silently disables an action. Entries are kept highest priority first (ties by id).
 */
public final class Catalogue {
    private static final String DEFAULT_RESOURCE = "/fusion/decisions/default-catalogue.json";
    private static final Set<String> FIELDS =
            Set.of("id", "type", "channels", "cooldown", "priority", "purpose", "eligibility", "title", "holdout");
    private static final Set<String> ELIGIBILITY_FIELDS =
            Set.of("min_predicted_value", "min_probability_alive", "min_strength", "min_experience", "audience");

    private final List<ActionSpec> actions;

    public Catalogue(List<ActionSpec> actions) {
        Set<String> ids = new HashSet<>();
        for (ActionSpec a : actions) {
            if (!ids.add(a.id())) {
                throw new InvalidCatalogue("$.actions", "duplicate id '" + a.id() + "'");
            }
        }
        this.actions = actions.stream()
                .sorted(Comparator.comparingInt(ActionSpec::priority).reversed().thenComparing(ActionSpec::id))
                .toList();
    }

    /** The catalogue shipped with Fusion: one entry per action type. */
    public static Catalogue defaults() {
        try (InputStream in = Catalogue.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Catalogue read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalogue " + file, e);
        }
    }

    public static Catalogue read(InputStream json) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidCatalogue(
                    "$",
                    "not valid JSON: " + e.getOriginalMessage() + " at line "
                            + e.getLocation().getLineNr());
        }
        JsonNode list = root == null ? null : root.get("actions");
        if (list == null || !list.isArray()) {
            throw new InvalidCatalogue("$.actions", "expected an array of actions");
        }
        List<ActionSpec> specs = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            specs.add(spec(list.get(k), "$.actions[" + k + "]"));
        }
        return new Catalogue(specs);
    }

    public List<ActionSpec> actions() {
        return actions;
    }

    public Optional<ActionSpec> find(String id) {
        return actions.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    private static ActionSpec spec(JsonNode n, String path) {
        if (!n.isObject()) {
            throw new InvalidCatalogue(path, "expected an object");
        }
        unknownFields(n, FIELDS, path);
        String id = text(n, "id", path);
        ActionKind kind;
        try {
            kind = ActionKind.parse(text(n, "type", path));
        } catch (IllegalArgumentException e) {
            throw new InvalidCatalogue(
                    path + ".type",
                    "expected one of " + labels() + " but was '" + n.get("type").asText() + "'");
        }
        JsonNode ch = n.get("channels");
        if (ch == null || !ch.isArray() || ch.isEmpty()) {
            throw new InvalidCatalogue(path + ".channels", "expected a non-empty array of channels");
        }
        List<Channel> channels = new ArrayList<>();
        for (int k = 0; k < ch.size(); k++) {
            try {
                channels.add(Channel.parse("channel", ch.get(k).asText()));
            } catch (InvalidInput e) {
                throw new InvalidCatalogue(path + ".channels[" + k + "]", e.getMessage());
            }
        }
        Duration cooldown;
        try {
            cooldown = Duration.parse(text(n, "cooldown", path));
        } catch (DateTimeParseException e) {
            throw new InvalidCatalogue(
                    path + ".cooldown",
                    "expected an ISO-8601 duration like 'P7D' but was '"
                            + n.get("cooldown").asText() + "'");
        }
        JsonNode p = n.get("priority");
        if (p == null || !p.canConvertToInt()) {
            throw new InvalidCatalogue(path + ".priority", "expected an integer");
        }
        ConsentPurpose purpose =
                n.has("purpose") ? purpose(n.get("purpose").asText(), path) : ActionTypes.defaultPurpose(kind);
        return new ActionSpec(
                id,
                kind,
                channels,
                cooldown,
                p.asInt(),
                purpose,
                eligibility(n.get("eligibility"), path + ".eligibility"),
                n.has("title") ? n.get("title").asText() : id,
                holdout(n.get("holdout"), path + ".holdout"));
    }

    private static Eligibility eligibility(JsonNode n, String path) {
        if (n == null) {
            return Eligibility.ANY;
        }
        unknownFields(n, ELIGIBILITY_FIELDS, path);
        try {
            return new Eligibility(
                    n.path("min_predicted_value").asDouble(0),
                    n.path("min_probability_alive").asDouble(0),
                    n.path("min_strength").asInt(1),
                    n.path("min_experience").asDouble(0),
                    audience(n.get("audience"), path + ".audience"));
        } catch (IllegalArgumentException e) {
            throw new InvalidCatalogue(path, e.getMessage());
        }
    }

    /** {@code {"share": 0.1, "seed": 7}}: the share of people withheld from the action (0 to 0.5). */
    private static Holdout holdout(JsonNode n, String path) {
        if (n == null || n.isNull()) return Holdout.NONE;
        unknownFields(n, Set.of("share", "seed"), path);
        JsonNode share = n.get("share");
        if (share == null || !share.isNumber())
            throw new InvalidCatalogue(path + ".share", "expected a number from 0 to 0.5");
        JsonNode seed = n.get("seed");
        if (seed != null && !(seed.isIntegralNumber() && seed.canConvertToLong()))
            throw new InvalidCatalogue(path + ".seed", "expected a whole number");
        try {
            return new Holdout(share.asDouble(), seed == null ? 0 : seed.asLong());
        } catch (IllegalArgumentException e) {
            throw new InvalidCatalogue(path + ".share", e.getMessage());
        }
    }

    /** An audience id as docs/AUDIENCES.md defines them; whether it exists is known only at decision time. */
    private static String audience(JsonNode n, String path) {
        if (n == null || n.isNull()) return null;
        if (!n.isTextual() || !n.asText().matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw new InvalidCatalogue(path, "expected an audience id (1 to 64 of a-z, 0-9, '-' and '_') but was " + n);
        }
        return n.asText();
    }

    private static ConsentPurpose purpose(String v, String path) {
        try {
            return ConsentPurpose.find(v).orElseThrow(IllegalArgumentException::new);
        } catch (IllegalArgumentException e) {
            throw new InvalidCatalogue(
                    path + ".purpose",
                    "expected a consent purpose: service (the contract), "
                            + "marketing, personalisation, sharing or analytics, but was '" + v + "'");
        }
    }

    private static void unknownFields(JsonNode n, Set<String> known, String path) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new InvalidCatalogue(path + "." + f, "unknown field; expected one of " + known);
            }
        }
    }

    private static String text(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new InvalidCatalogue(path + "." + field, "expected a non-empty string");
        }
        return v.asText();
    }

    private static List<String> labels() {
        return List.of(ActionKind.values()).stream().map(ActionKind::label).toList();
    }
}
