package fusion.server.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Backpressure for ingestion: at most {@code permits} requests are read, parsed and waiting for
 * the store at once; one more waits up to {@code wait} for a place, then is told to come back
 * ({@link Busy}: 503 with Retry-After) instead of queueing without bound. A request takes its
 * place before its body is read, so memory stays bounded by permits x the batch limit.
 */
public final class Admission {
    public static final Admission DEFAULT = new Admission(16, Duration.ofSeconds(2), 1);

    private final Semaphore permits;
    private final long waitMillis;
    private final int retryAfterSeconds;

    public Admission(int permits, Duration wait, int retryAfterSeconds) {
        if (permits < 1) throw new IllegalArgumentException("permits must be at least 1 but was " + permits);
        this.permits = new Semaphore(permits, true);
        this.waitMillis = wait.toMillis();
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Takes a place or throws {@link Busy}; the caller must {@link #release()} a place it got. */
    void enter() {
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new Busy(retryAfterSeconds);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy(retryAfterSeconds);
        }
    }

    void release() {
        permits.release();
    }

    /** Too much ingestion in flight: come back after {@link #retryAfterSeconds()}. */
    public static final class Busy extends RuntimeException {
        private final int retryAfterSeconds;

        Busy(int retryAfterSeconds) {
            super("the server is busy storing earlier batches; retry after " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
