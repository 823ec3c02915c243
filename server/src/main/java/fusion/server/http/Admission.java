package fusion.server.http;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who may make ingestion work, and for how long. An ingest request goes through three gates:
 * <ol>
 *   <li>a write key in its headers (Basic auth) is checked before anything is read: a wrong one
 *       costs the server nothing but the headers;</li>
 *   <li>its body must arrive within {@code bodyTime}, or the connection is closed. A request
 *       without credentials in its headers (its key can only be in the body) may read only while
 *       fewer than {@code unauthenticatedReads} such requests are reading; beyond that it is told
 *       to come back ({@link Busy}) at once. Slow bodies without credentials can therefore hold
 *       neither an ingest place nor every worker thread, and only for a bounded time;</li>
 *   <li>authenticated and with its body read, it takes one of {@code permits} ingest places
 *       (parse, validate, wait for the store); one more waits up to {@code placeWait} for a place,
 *       then is told to come back ({@link Busy}: 503 with Retry-After) instead of queueing
 *       without bound.</li>
 * </ol>
 * Memory held by bodies is bounded by the worker threads times the body limit; time, by
 * {@code bodyTime}.
 */
public final class Admission {
    /** How long a body may take to arrive, from the moment its headers were read. */
    public static final Duration BODY_TIME = Duration.ofSeconds(20);
    /** How many requests without credentials in their headers may be reading their body at once. */
    public static final int UNAUTHENTICATED_READS = 32;
    /** One daemon thread for every server's body deadlines: it only closes connections. */
    private static final ScheduledExecutorService DEADLINES = deadlines();

    /**
     * The gates' sizes and times, validated here, each refusal naming the setting.
     *
     * @param permits              ingest places (parse, validate, wait for the store)
     * @param placeWait            how long one more request waits for a place before {@link Busy}
     * @param retryAfterSeconds    what {@link Busy} tells the client to wait
     * @param bodyTime             how long a body may take to arrive
     * @param unauthenticatedReads requests without credentials in their headers reading at once
     */
    public record Limits(
            int permits, Duration placeWait, int retryAfterSeconds, Duration bodyTime, int unauthenticatedReads) {
        public Limits {
            if (permits < 1) throw new IllegalArgumentException("permits must be at least 1 but was " + permits);
            if (placeWait == null || placeWait.isNegative()) {
                throw new IllegalArgumentException("placeWait must be zero or positive but was " + placeWait);
            }
            if (retryAfterSeconds < 0) {
                throw new IllegalArgumentException(
                        "retryAfterSeconds must be zero or positive but was " + retryAfterSeconds);
            }
            if (bodyTime == null || bodyTime.isNegative() || bodyTime.isZero()) {
                throw new IllegalArgumentException("bodyTime must be positive but was " + bodyTime);
            }
            if (unauthenticatedReads < 1) {
                throw new IllegalArgumentException(
                        "unauthenticatedReads must be at least 1 but was " + unauthenticatedReads);
            }
        }

        /** 16 ingest places, 2 s wait, Retry-After 1 s, {@link #BODY_TIME}, {@link #UNAUTHENTICATED_READS}. */
        public static Limits defaults() {
            return new Limits(16, Duration.ofSeconds(2), 1, BODY_TIME, UNAUTHENTICATED_READS);
        }
    }

    private final Semaphore permits;
    private final Semaphore unauthenticated;
    private final long waitMillis;
    private final int retryAfterSeconds;
    private final Duration bodyTime;

    /** One server's gates: every server has its own, none is shared through a static. */
    public Admission(Limits limits) {
        this.permits = new Semaphore(limits.permits(), true);
        this.unauthenticated = new Semaphore(limits.unauthenticatedReads());
        this.waitMillis = limits.placeWait().toMillis();
        this.retryAfterSeconds = limits.retryAfterSeconds();
        this.bodyTime = limits.bodyTime();
    }

    public Duration bodyTime() {
        return bodyTime;
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

    /** A place to read a body whose key is not in the headers, or {@link Busy} at once; release it after reading. */
    void enterUnauthenticatedRead() {
        if (!unauthenticated.tryAcquire()) {
            throw new Busy(
                    retryAfterSeconds,
                    "too many requests without credentials in their headers are sending"
                            + " their body; send the write key as the Basic-auth user, or retry after "
                            + retryAfterSeconds + " s");
        }
    }

    void releaseUnauthenticatedRead() {
        unauthenticated.release();
    }

    /** Runs {@code abort} once {@link #bodyTime} has passed, unless the returned deadline is met first. */
    Deadline deadline(Runnable abort) {
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> task = DEADLINES.schedule(
                () -> {
                    fired.set(true);
                    abort.run();
                },
                bodyTime.toMillis(),
                TimeUnit.MILLISECONDS);
        return new Deadline(task, fired);
    }

    /** A pending body deadline: {@link #met()} cancels it and says whether it had already passed. */
    record Deadline(ScheduledFuture<?> task, AtomicBoolean fired) {
        boolean met() {
            task.cancel(false);
            return !fired.get();
        }
    }

    private static ScheduledExecutorService deadlines() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "fusion-body-deadlines");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /** Too much ingestion in flight: come back after {@link #retryAfterSeconds()}. */
    public static final class Busy extends RuntimeException {
        private final int retryAfterSeconds;

        Busy(int retryAfterSeconds) {
            this(
                    retryAfterSeconds,
                    "the server is busy storing earlier batches; retry after " + retryAfterSeconds + " s");
        }

        Busy(int retryAfterSeconds, String message) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
