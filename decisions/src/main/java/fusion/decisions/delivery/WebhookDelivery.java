package fusion.decisions.delivery;

import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import fusion.decisions.ConsentCheck;
import fusion.decisions.ConsentVerdict;
import fusion.decisions.Decision;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends decisions to the webhook of their channel.
 *
 * <p>Each delivery is one job on a pool of {@code maxConcurrent} threads, so at most that many
 * are in flight (a job waiting between attempts keeps its slot: a slow receiver slows us down
 * instead of being hit harder). A job makes up to {@code maxAttempts} attempts: 2xx is delivered;
 * 408, 425, 429, 5xx, timeouts and connection errors are retried after a backoff with full jitter
 * or, on 429 and 503, after the receiver's {@code Retry-After}; any other status, or a
 * Retry-After beyond {@code maxDelay}, or the last failed attempt, puts the decision in the dead
 * letters of the {@link DeliveryLog} with its body.
 *
 * <p>Every attempt carries the decision id as {@code Idempotency-Key}, the attempt number as
 * {@code Fusion-Attempt}, and a fresh {@link WebhookSignature} over the same body bytes. The log
 * binds each key to the hash of its body; sending a different body under a used key is refused.
 *
 * <p>{@link #close()} stops taking work, lets jobs in flight finish within the grace period, then
 * interrupts them; every job that did not end is dead-lettered with "shut down" as its reason, so
 * nothing accepted is dropped silently.
 */
public final class WebhookDelivery implements AutoCloseable {
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    public static final String ATTEMPT_HEADER = "Fusion-Attempt";

    private final DeliveryConfig config;
    private final DeliveryLog log;
    private final Backoff backoff;
    private final Clock clock;
    private final HttpClient http;
    private final ThreadPoolExecutor pool;
    private final Duration grace;

    private WebhookDelivery(Builder b) {
        this.config = b.config;
        this.log = b.log;
        this.backoff = new Backoff(config.baseDelay(), config.maxDelay(), b.random);
        this.clock = b.clock;
        this.grace = b.grace;
        // HTTP/1.1: one small POST per attempt gains nothing from HTTP/2, and a plain-http
        // receiver should not be offered an h2c upgrade it may mishandle.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .build();
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                config.maxConcurrent(), config.maxConcurrent(), 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "fusion-webhook-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    public static Builder builder(DeliveryConfig config) {
        return new Builder(config);
    }

    /**
     * Queues the delivery of {@code act} now (the caller schedules deferred acts for their
     * {@code sendAt}, and re-checks consent then). The future completes when it is delivered or
     * dead-lettered; it never completes exceptionally.
     *
     * @throws IllegalStateException when the key was used for another body, or after close
     */
    public CompletableFuture<DeliveryResult> send(Decision.Act act) {
        return send(act, (purpose, channel, at) -> ConsentVerdict.allow("not re-checked"));
    }

    /**
     * As {@link #send(Decision.Act)}, asking {@code consent} again just before every attempt: a
     * grant withdrawn or expired between the decision and the send (or between two attempts)
     * withholds the delivery ({@link DeliveryResult.Withheld}; not a dead letter, never re-sent).
     */
    public CompletableFuture<DeliveryResult> send(Decision.Act act, ConsentCheck consent) {
        Objects.requireNonNull(consent, "consent");
        byte[] body = DecisionBody.of(act);
        String key = act.decisionId();
        Optional<String> bound = log.bindBody(key, sha256(body));
        if (bound.isPresent() && !bound.get().equals(sha256(body))) {
            throw new IllegalStateException("idempotency key " + key + " was already used for another body;"
                    + " a changed decision needs a new id");
        }
        return queue(new Job(key, act.channel(), body, act.purpose(), consent));
    }

    /** Re-sends a dead letter under its own key with its own body (after the receiver is fixed). */
    public CompletableFuture<DeliveryResult> resend(DeadLetter letter) {
        return queue(new Job(letter.idempotencyKey(), letter.channel(), letter.body(), null, null));
    }

    private CompletableFuture<DeliveryResult> queue(Job job) {
        try {
            pool.execute(job);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("delivery is shut down; " + job.key + " not queued", e);
        }
        return job.result;
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                List<Runnable> never = pool.shutdownNow();
                for (Runnable r : never) {
                    ((Job) r).giveUp(0, 0, "shut down before the first attempt");
                }
                pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        // Java 17's HttpClient has no close(); its threads are daemons and end with the selector
        // once the client is unreachable.
    }

    private final class Job implements Runnable {
        final String key;
        final Channel channel;
        final byte[] body;
        final ConsentPurpose purpose;
        final ConsentCheck consent;
        final CompletableFuture<DeliveryResult> result = new CompletableFuture<>();

        /** {@code consent} null: not re-checked (a re-sent dead letter was checked when first sent). */
        Job(String key, Channel channel, byte[] body, ConsentPurpose purpose, ConsentCheck consent) {
            this.key = key;
            this.channel = channel;
            this.body = body;
            this.purpose = purpose;
            this.consent = consent;
        }

        @Override
        public void run() {
            Optional<WebhookEndpoint> endpoint = config.endpoint(channel);
            if (endpoint.isEmpty()) {
                giveUp(0, 0, "no webhook configured for channel " + channel.label());
                return;
            }
            for (int attempt = 1; ; attempt++) {
                if (withheld(attempt)) {
                    return;
                }
                Optional<Retry> retry;
                try {
                    retry = attempt(endpoint.get(), attempt);
                } catch (InterruptedException e) {
                    giveUp(attempt - 1, 0, "shut down during attempt " + attempt);
                    return;
                }
                if (retry.isEmpty()) {
                    return;
                }
                if (attempt == config.maxAttempts()) {
                    giveUp(attempt, retry.get().status(), "failed " + attempt + " attempts");
                    return;
                }
                try {
                    Duration wait = retry.get().delay();
                    Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
                } catch (InterruptedException e) {
                    giveUp(attempt, retry.get().status(), "shut down while waiting to retry");
                    return;
                }
            }
        }

        /** Consent asked at the moment of sending; true (and the job finished) when it fails. */
        private boolean withheld(int attempt) {
            if (consent == null) {
                return false;
            }
            ConsentVerdict v = consent.check(purpose, channel, clock.instant());
            if (v.allowed()) {
                return false;
            }
            log.attempt(key, attempt, 0, "withheld: " + v.reason(), clock.instant());
            result.complete(new DeliveryResult.Withheld(key, attempt - 1, v.reason()));
            return true;
        }

        /**
         * One attempt. Empty when the job is finished (delivered, or given up for good); else the
         * status (0 without one) and how long to wait before the next attempt.
         */
        private Optional<Retry> attempt(WebhookEndpoint endpoint, int attempt) throws InterruptedException {
            HttpResponse<Void> response;
            try {
                response = post(endpoint, attempt);
            } catch (IOException e) {
                String error = e instanceof HttpTimeoutException
                        ? "timed out after " + config.requestTimeout()
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
                log.attempt(key, attempt, 0, error, clock.instant());
                return Optional.of(new Retry(0, backoff.after(attempt)));
            }
            int status = response.statusCode();
            log.attempt(key, attempt, status, "", clock.instant());
            if (status / 100 == 2) {
                log.delivered(key, attempt, clock.instant());
                result.complete(new DeliveryResult.Delivered(key, attempt, status));
                return Optional.empty();
            }
            if (!retryable(status)) {
                giveUp(attempt, status, "receiver refused it with " + status);
                return Optional.empty();
            }
            Optional<Duration> retryAfter =
                    status == 429 || status == 503 ? retryAfter(response, clock.instant()) : Optional.empty();
            if (retryAfter.isPresent() && retryAfter.get().compareTo(config.maxDelay()) > 0) {
                giveUp(
                        attempt,
                        status,
                        "receiver asked to wait " + retryAfter.get() + ", beyond the maximum delay "
                                + config.maxDelay());
                return Optional.empty();
            }
            return Optional.of(new Retry(status, retryAfter.orElseGet(() -> backoff.after(attempt))));
        }

        private HttpResponse<Void> post(WebhookEndpoint endpoint, int attempt)
                throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(endpoint.url())
                    .timeout(config.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header(IDEMPOTENCY_HEADER, key)
                    .header(ATTEMPT_HEADER, Integer.toString(attempt))
                    .header(WebhookSignature.HEADER, WebhookSignature.sign(endpoint.secret(), clock.instant(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding());
        }

        void giveUp(int attempts, int status, String reason) {
            DeadLetter letter = new DeadLetter(key, channel, body, attempts, status, reason, clock.instant());
            log.deadLetter(letter);
            result.complete(new DeliveryResult.DeadLettered(letter));
        }
    }

    private record Retry(int status, Duration delay) {}

    static boolean retryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    /** {@code Retry-After} as seconds or an HTTP date; absent or unreadable means "use the backoff". */
    static Optional<Duration> retryAfter(HttpResponse<?> response, Instant now) {
        Optional<String> v = response.headers().firstValue("Retry-After").map(String::trim);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.get()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Defaults: an in-memory log, an unseeded random, the system clock, 5 s grace on close. */
    public static final class Builder {
        private final DeliveryConfig config;
        private DeliveryLog log = new InMemoryDeliveryLog();
        private Random random = new Random();
        private Clock clock = Clock.systemUTC();
        private Duration grace = Duration.ofSeconds(5);

        private Builder(DeliveryConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder log(DeliveryLog v) {
            log = Objects.requireNonNull(v);
            return this;
        }

        public Builder random(Random v) {
            random = Objects.requireNonNull(v);
            return this;
        }

        public Builder clock(Clock v) {
            clock = Objects.requireNonNull(v);
            return this;
        }

        public Builder shutdownGrace(Duration v) {
            grace = Objects.requireNonNull(v);
            return this;
        }

        public WebhookDelivery build() {
            return new WebhookDelivery(this);
        }
    }
}
