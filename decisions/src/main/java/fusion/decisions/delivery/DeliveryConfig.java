package fusion.decisions.delivery;

import fusion.core.model.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How decisions are delivered. Validated when built.
 *
 * @param endpoints      one webhook per channel; a decision on a channel without one is dead-lettered
 * @param maxAttempts    attempts in all, the first included (at least 1)
 * @param baseDelay      the backoff before the second attempt is drawn from {@code [0, baseDelay)}
 * @param maxDelay       no wait exceeds this; a Retry-After beyond it ends the attempts
 * @param requestTimeout how long one attempt may take
 * @param maxConcurrent  deliveries in flight at once (the rest wait in the queue)
 */
public record DeliveryConfig(
        Map<Channel, WebhookEndpoint> endpoints,
        int maxAttempts,
        Duration baseDelay,
        Duration maxDelay,
        Duration requestTimeout,
        int maxConcurrent) {
    public DeliveryConfig {
        endpoints = Map.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: expected >= 1 but was " + maxAttempts);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent: expected >= 1 but was " + maxConcurrent);
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException(
                    "delays: expected 0 <= baseDelay <= maxDelay but were " + baseDelay + " and " + maxDelay);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout: expected > 0 but was " + requestTimeout);
        }
    }

    /** Six attempts, 1 s base, 5 min cap, 10 s per request, 8 in flight. */
    public static DeliveryConfig of(Map<Channel, WebhookEndpoint> endpoints) {
        return new DeliveryConfig(
                endpoints, 6, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10), 8);
    }

    public Optional<WebhookEndpoint> endpoint(Channel c) {
        return Optional.ofNullable(endpoints.get(c));
    }

    public DeliveryConfig withRetries(int attempts, Duration base, Duration max) {
        return new DeliveryConfig(endpoints, attempts, base, max, requestTimeout, maxConcurrent);
    }

    public DeliveryConfig withRequestTimeout(Duration t) {
        return new DeliveryConfig(endpoints, maxAttempts, baseDelay, maxDelay, t, maxConcurrent);
    }

    public DeliveryConfig withMaxConcurrent(int n) {
        return new DeliveryConfig(endpoints, maxAttempts, baseDelay, maxDelay, requestTimeout, n);
    }
}
