package fusion.server.activation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import fusion.core.model.InvalidInput;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where an audience is sent, as saved through the API; every refusal names the JSON path.
 *
 * <pre>{@code
 * {"id": "crm-buyers", "audience": "buyers", "kind": "webhook",
 *  "purpose": "marketing", "channel": "email", "stream": true,
 *  "url": "https://crm.example.com/hooks/audiences", "secret": "at least 16 characters",
 *  "maxAttempts": 6, "baseDelay": "PT1S", "maxDelay": "PT5M", "schedule": "PT24H"}
 * }</pre>
 *
 * A Kafka destination has {@code bootstrap} and {@code topic}; a CSV or Parquet one a {@code
 * directory} (absolute) where its files are written.
 *
 * @param stream   whether entered/left events are sent as they happen (a file destination keeps
 *                 them for its next file)
 * @param schedule how often a full export runs by itself; null: only on demand
 */
public record Destination(
        String id,
        String audience,
        Kind kind,
        ConsentPurpose purpose,
        Channel channel,
        boolean stream,
        URI url,
        String secret,
        String bootstrap,
        String topic,
        Path directory,
        int maxAttempts,
        Duration baseDelay,
        Duration maxDelay,
        Duration schedule) {

    public enum Kind {
        WEBHOOK,
        KAFKA,
        CSV,
        PARQUET;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean file() {
            return this == CSV || this == PARQUET;
        }
    }

    public static final int MIN_SECRET = 16;
    public static final int MAX_ATTEMPTS = 20;
    public static final Duration MAX_DELAY = Duration.ofHours(1);
    public static final Duration MIN_SCHEDULE = Duration.ofMinutes(1);
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Set<String> COMMON =
            Set.of("id", "audience", "kind", "purpose", "channel", "stream", "schedule");
    private static final Set<String> RETRIES = Set.of("maxAttempts", "baseDelay", "maxDelay");

    /** Parses a destination from its JSON; the audience is checked to exist by the caller. */
    public static Destination parse(JsonNode root) {
        if (root == null || !root.isObject()) throw new InvalidInput("$", "expected a JSON object");
        String id = text(root, "id", true);
        if (!ID.matcher(id).matches())
            throw new InvalidInput("$.id", "expected 1 to 64 of a-z, 0-9, '-' and '_' but was '" + id + "'");
        String audience = text(root, "audience", true);
        String kindText = text(root, "kind", true);
        Kind kind;
        try {
            kind = Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("$.kind", "expected one of webhook, kafka, csv, parquet but was '" + kindText + "'");
        }
        Set<String> allowed = new java.util.HashSet<>(COMMON);
        switch (kind) {
            case WEBHOOK -> {
                allowed.addAll(Set.of("url", "secret"));
                allowed.addAll(RETRIES);
            }
            case KAFKA -> {
                allowed.addAll(Set.of("bootstrap", "topic"));
                allowed.addAll(RETRIES);
            }
            case CSV, PARQUET -> allowed.add("directory");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f))
                throw new InvalidInput(
                        "$." + f,
                        "unknown field for a " + kind.label() + " destination; expected one of "
                                + new java.util.TreeSet<>(allowed));
        }
        ConsentPurpose purpose = ConsentPurpose.parse("$.purpose", text(root, "purpose", true));
        String channelText = text(root, "channel", false);
        Channel channel = channelText == null ? null : Channel.parse("$.channel", channelText);
        if (purpose == ConsentPurpose.MARKETING && channel == null)
            throw new InvalidInput(
                    "$.channel",
                    "a marketing destination names its channel (email, messaging, ...): consent is per channel");
        JsonNode streamNode = root.get("stream");
        if (streamNode != null && !streamNode.isBoolean())
            throw new InvalidInput("$.stream", "expected true or false but was " + streamNode);
        boolean stream = streamNode == null || streamNode.asBoolean();
        URI url = null;
        String secret = null, bootstrap = null, topic = null;
        Path directory = null;
        switch (kind) {
            case WEBHOOK -> {
                String u = text(root, "url", true);
                try {
                    url = URI.create(u);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInput("$.url", "not a URL: " + e.getMessage());
                }
                if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null)
                    throw new InvalidInput("$.url", "expected an http(s) URL with a host but was '" + u + "'");
                secret = text(root, "secret", true);
                if (secret.length() < MIN_SECRET)
                    throw new InvalidInput(
                            "$.secret", "expected at least " + MIN_SECRET + " characters: it signs every request");
            }
            case KAFKA -> {
                bootstrap = text(root, "bootstrap", true);
                if (!bootstrap.matches("[A-Za-z0-9.:\\[\\]_-]+(,[A-Za-z0-9.:\\[\\]_-]+)*"))
                    throw new InvalidInput(
                            "$.bootstrap", "expected host:port[,host:port...] but was '" + bootstrap + "'");
                topic = text(root, "topic", true);
                if (!TOPIC.matcher(topic).matches())
                    throw new InvalidInput(
                            "$.topic", "expected 1 to 249 of A-Z, a-z, 0-9, '.', '_' and '-' but was '" + topic + "'");
            }
            case CSV, PARQUET -> {
                String d = text(root, "directory", true);
                try {
                    directory = Path.of(d);
                } catch (java.nio.file.InvalidPathException e) {
                    throw new InvalidInput("$.directory", "not a path: " + e.getMessage());
                }
                if (!directory.isAbsolute())
                    throw new InvalidInput("$.directory", "expected an absolute path but was '" + d + "'");
                directory = directory.normalize();
            }
        }
        int maxAttempts = 6;
        JsonNode attempts = root.get("maxAttempts");
        if (attempts != null) {
            if (!attempts.canConvertToInt() || !attempts.isIntegralNumber())
                throw new InvalidInput("$.maxAttempts", "expected a whole number but was " + attempts);
            maxAttempts = attempts.asInt();
            if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS)
                throw new InvalidInput("$.maxAttempts", "expected 1 to " + MAX_ATTEMPTS + " but was " + maxAttempts);
        }
        Duration base = duration(root, "baseDelay", Duration.ofSeconds(1));
        Duration max = duration(root, "maxDelay", Duration.ofMinutes(5));
        if (base.isNegative() || base.isZero() || base.compareTo(max) > 0)
            throw new InvalidInput("$.baseDelay", "expected more than zero and at most maxDelay (" + max + ")");
        if (max.compareTo(MAX_DELAY) > 0)
            throw new InvalidInput("$.maxDelay", "expected at most " + MAX_DELAY + " but was " + max);
        Duration schedule = duration(root, "schedule", null);
        if (schedule != null && schedule.compareTo(MIN_SCHEDULE) < 0)
            throw new InvalidInput("$.schedule", "expected at least " + MIN_SCHEDULE + " but was " + schedule);
        return new Destination(
                id,
                audience,
                kind,
                purpose,
                channel,
                stream,
                url,
                secret,
                bootstrap,
                topic,
                directory,
                maxAttempts,
                base,
                max,
                schedule);
    }

    /** The destination as saved (with its secret: the store's copy). */
    ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("id", id);
        n.put("audience", audience);
        n.put("kind", kind.label());
        n.put("purpose", purpose.label());
        if (channel != null) n.put("channel", channel.label());
        n.put("stream", stream);
        if (url != null) n.put("url", url.toString());
        if (secret != null) n.put("secret", secret);
        if (bootstrap != null) n.put("bootstrap", bootstrap);
        if (topic != null) n.put("topic", topic);
        if (directory != null) n.put("directory", directory.toString());
        if (!kind.file()) {
            n.put("maxAttempts", maxAttempts);
            n.put("baseDelay", baseDelay.toString());
            n.put("maxDelay", maxDelay.toString());
        }
        if (schedule != null) n.put("schedule", schedule.toString());
        return n;
    }

    /** The destination as shown: the secret is never sent back. */
    public ObjectNode shown() {
        ObjectNode n = toJson();
        if (secret != null) n.put("secret", "(set: " + secret.length() + " characters)");
        return n;
    }

    /** The channel asked of the ledger: marketing is asked per channel, every other purpose without one. */
    String consentChannel() {
        return purpose == ConsentPurpose.MARKETING ? channel.label() : null;
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new InvalidInput("$." + field, "is required");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank())
            throw new InvalidInput("$." + field, "expected a non-empty string but was " + v);
        if (v.asText().length() > 2_000) throw new InvalidInput("$." + field, "expected at most 2000 characters");
        return v.asText();
    }

    private static Duration duration(JsonNode root, String field, Duration fallback) {
        String v = text(root, field, false);
        if (v == null) return fallback;
        try {
            return Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidInput("$." + field, "expected an ISO-8601 duration like 'PT1S' but was '" + v + "'");
        }
    }

    static List<String> kinds() {
        return List.of("webhook", "kafka", "csv", "parquet");
    }
}
