package fusion.server.decisions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.model.Channel;
import fusion.core.model.InvalidInput;
import fusion.decisions.delivery.DeliveryConfig;
import fusion.decisions.delivery.WebhookEndpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where decisions are delivered, read from the file given by {@code --webhooks} or
 * {@code FUSION_WEBHOOKS}. Validated whole when the server starts; a refusal names the JSON path.
 *
 * <pre>{@code
 * { "endpoints": { "email":     { "url": "https://crm.example.com/hooks/email", "secret": "at least 16 chars" },
 *                  "messaging": { "url": "https://sms.example.com/fusion",     "secret": "..." } },
 *   "maxAttempts": 6, "baseDelay": "PT1S", "maxDelay": "PT5M", "requestTimeout": "PT10S", "maxConcurrent": 8 }
 * }</pre>
 */
public final class Webhooks {
    private static final Set<String> FIELDS =
            Set.of("endpoints", "maxAttempts", "baseDelay", "maxDelay", "requestTimeout", "maxConcurrent");

    private Webhooks() {}

    /** No file: decisions are recorded and not delivered. */
    public static Optional<DeliveryConfig> load(Path file) {
        if (file == null || file.toString().isBlank()) return Optional.empty();
        try {
            return Optional.of(parse(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new InvalidInput("webhooks", "cannot read " + file + ": " + e.getMessage());
        }
    }

    public static DeliveryConfig parse(byte[] json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new InvalidInput("$", "webhooks: expected a JSON object but it did not parse: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new InvalidInput("$", "webhooks: expected a JSON object");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new InvalidInput("$." + f, "unknown field; expected one of " + FIELDS);
        }
        JsonNode eps = root.path("endpoints");
        if (!eps.isObject() || eps.isEmpty()) {
            throw new InvalidInput("$.endpoints", "expected an object of channel to {url, secret}");
        }
        Map<Channel, WebhookEndpoint> endpoints = new EnumMap<>(Channel.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = eps.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = "$.endpoints." + e.getKey();
            Channel channel = Channel.parse(path, e.getKey());
            try {
                endpoints.put(
                        channel,
                        new WebhookEndpoint(
                                URI.create(e.getValue().path("url").asText()),
                                e.getValue().path("secret").asText(null)));
            } catch (IllegalArgumentException bad) {
                throw new InvalidInput(path, bad.getMessage());
            }
        }
        DeliveryConfig d = DeliveryConfig.of(endpoints);
        try {
            return new DeliveryConfig(
                    endpoints,
                    root.path("maxAttempts").asInt(d.maxAttempts()),
                    duration(root, "baseDelay", d.baseDelay()),
                    duration(root, "maxDelay", d.maxDelay()),
                    duration(root, "requestTimeout", d.requestTimeout()),
                    root.path("maxConcurrent").asInt(d.maxConcurrent()));
        } catch (IllegalArgumentException bad) {
            throw new InvalidInput("$", "webhooks: " + bad.getMessage());
        }
    }

    private static Duration duration(JsonNode root, String field, Duration fallback) {
        JsonNode v = root.get(field);
        if (v == null) return fallback;
        try {
            return Duration.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidInput(
                    "$." + field, "expected an ISO-8601 duration like 'PT1S' but was '" + v.asText() + "'");
        }
    }
}
