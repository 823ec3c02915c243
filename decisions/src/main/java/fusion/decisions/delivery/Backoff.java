package fusion.decisions.delivery;

import java.time.Duration;
import java.util.Random;

/**
 * Capped exponential backoff with full jitter: before attempt {@code n + 1} wait a uniform draw
 * from {@code [0, min(maxDelay, baseDelay * 2^(n-1)))}. Full jitter spreads the retries of many
 * senders that failed together, so a receiver coming back is not hit by all of them at once. The
 * random source is injected (seeded in tests).
 */
final class Backoff {
    private final Duration base;
    private final Duration max;
    private final Random random;

    Backoff(Duration base, Duration max, Random random) {
        this.base = base;
        this.max = max;
        this.random = random;
    }

    /** The wait after the {@code failedAttempts}-th failure (1 for the first). */
    Duration after(int failedAttempts) {
        double ceiling = Math.min(max.toNanos(), base.toNanos() * Math.pow(2, failedAttempts - 1));
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        return Duration.ofNanos((long) (draw * ceiling));
    }
}
