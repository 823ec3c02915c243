package fusion.server.activation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.consent.ConsentVerdict;
import fusion.core.model.Interaction;
import fusion.core.model.InvalidInput;
import fusion.decisions.delivery.WebhookSignature;
import fusion.server.audiences.AudienceService;
import fusion.server.privacy.ConsentService;
import fusion.store.AudienceRecords;
import fusion.store.AudienceRecords.OutboxRow;
import fusion.store.AudienceRecords.OutboxStatus;
import fusion.store.AudienceRecords.Outgoing;
import fusion.store.Store;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Destinations and what is sent to them (docs/AUDIENCES.md, destinations).
 *
 * <p><b>Streaming.</b> Each settle of the audiences hands its entered/left changes to {@link
 * #outgoing}, which turns them into outbox rows for every streaming destination of the audience;
 * the audience service writes them in the same transaction as the changes, so no change is
 * recorded without its rows. <b>Full export</b> ({@link #export}) enqueues one row per member (a
 * webhook or Kafka destination) or writes a file of the members now (CSV, Parquet), together with
 * a file of the streamed events waiting for it.
 *
 * <p><b>Delivery</b> is at least once: a dispatcher polls the due rows every {@link #POLL} and
 * sends each under its idempotency key (a webhook POST signed as the decisions' deliveries are, or a
 * Kafka record with the key in a header); a 2xx or an acknowledged record marks the row delivered.
 * A failure is retried with capped exponential backoff and full jitter, the whole destination
 * postponed meanwhile; a refusal that retrying cannot fix (4xx other than 408, 425 and 429), or the
 * destination's last attempt, makes the row a dead letter that keeps its body for a re-send.
 *
 * <p><b>Consent</b> is asked of the ledger when a row is due and when a file is written, for the
 * destination's purpose (and channel, for marketing): a person without a valid grant is left out
 * ({@code withheld}, counted by the verdict's code). <b>Erasure</b> deletes the person's outbox rows
 * in its own transaction; the dispatcher re-reads after one, and a file whose writing overlaps one
 * is written again, so nothing not yet sent or written names the person.
 */
public final class ActivationService implements Store.Listener, AutoCloseable {
    public static final int MAX_DESTINATIONS = 100;
    /** Rows read per dispatcher pass. */
    public static final int BATCH = 500;

    public static final Duration POLL = Duration.ofMillis(200);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Delivered rows are kept this long for the state counts, then purged. */
    public static final Duration KEEP_DELIVERED = Duration.ofDays(7);
    /** At most this many streamed events go into one file; the rest wait for the next. */
    public static final int MAX_FILE_EVENTS = 1_000_000;

    public static final int MAX_DEAD_SHOWN = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ActivationService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final AudienceRecords records;
    private final AudienceService audiences;
    private final ConsentService consent;
    private final Clock clock;
    private final Random random;
    private final Map<String, Destination> destinations = new ConcurrentHashMap<>();
    private final Map<String, Failing> failing = new ConcurrentHashMap<>();
    private final KafkaSender kafka = new KafkaSender(REQUEST_TIMEOUT);
    private final Exports exports;
    private final Map<String, Instant> lastScheduled = new ConcurrentHashMap<>();
    private final AtomicLong erasures = new AtomicLong();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private ScheduledExecutorService runner;
    private Instant lastPurge = Instant.EPOCH;

    /** A destination whose last attempts failed: how many in a row, and when it is tried next. */
    record Failing(int failures, Instant nextTry, String error) {}

    /** What an export did; {@code excluded} counts members left out by the consent verdict's code. */
    public record ExportReport(
            String id,
            String destination,
            String audience,
            String kind,
            Instant at,
            int members,
            int sent,
            Map<String, Integer> excluded,
            String file,
            int events,
            Map<String, Integer> eventsExcluded,
            String eventsFile) {}

    /** The outcome of a test message. */
    public record TestResult(String destination, boolean ok, int status, String detail) {}

    public ActivationService(Store store, AudienceService audiences, ConsentService consent, Clock clock) {
        this(store, audiences, consent, clock, new Random());
    }

    ActivationService(Store store, AudienceService audiences, ConsentService consent, Clock clock, Random random) {
        this.records = store.audiences();
        this.audiences = audiences;
        this.consent = consent;
        this.clock = clock;
        this.random = random;
        this.exports = new Exports(records, audiences, consent, erasures);
        for (AudienceRecords.StoredDestination s : records.destinations()) {
            try {
                destinations.put(s.id(), Destination.parse(JSON.readTree(s.config())));
            } catch (JsonProcessingException | InvalidInput e) {
                throw new IllegalStateException(
                        "destination '" + s.id() + "' in the store does not parse (" + e.getMessage()
                                + "); fix or delete its row in audience_destinations",
                        e);
            }
        }
        audiences.sendingTo(this::outgoing).usedBy(this::destinationsOf);
        store.listen(this);
    }

    /** Starts the dispatcher (every {@link #POLL}) and the scheduled exports (checked every 30 s). */
    public synchronized ActivationService start() {
        ScheduledExecutorService r = Executors.newSingleThreadScheduledExecutor(t -> {
            Thread th = new Thread(t, "fusion-activation");
            th.setDaemon(true);
            return th;
        });
        r.scheduleWithFixedDelay(this::dispatchQuietly, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        r.scheduleWithFixedDelay(this::scheduledQuietly, 30, 30, TimeUnit.SECONDS);
        this.runner = r;
        return this;
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.shutdownNow();
            try {
                runner.awaitTermination(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        kafka.close();
    }

    @Override
    public void committed(List<Interaction> interactions, boolean merged) {
        // the audience service hands over the changes these cause
    }

    @Override
    public void rebuilt() {
        erasures.incrementAndGet(); // rows read before it may name an erased person: read again
    }

    // ---- destinations

    /** Saves a destination (replacing one of the same id); the audience must exist. */
    public Destination save(JsonNode body) {
        Destination d = Destination.parse(body);
        try {
            audiences.definition(d.audience());
        } catch (AudienceService.NotFound e) {
            throw new InvalidInput("$.audience", e.getMessage() + "; define the audience first");
        }
        synchronized (this) {
            if (!destinations.containsKey(d.id()) && destinations.size() >= MAX_DESTINATIONS)
                throw new InvalidInput("$.id", "at most " + MAX_DESTINATIONS + " destinations can be defined");
            Instant now = clock.instant();
            Destination old = destinations.get(d.id());
            records.saveDestination(new AudienceRecords.StoredDestination(
                    d.id(), d.audience(), d.toJson().toString(), now, now));
            destinations.put(d.id(), d);
            if (old != null) kafka.forget(d.id());
            failing.remove(d.id());
        }
        return d;
    }

    public List<Destination> list() {
        return destinations.values().stream()
                .sorted(java.util.Comparator.comparing(Destination::id))
                .toList();
    }

    public Destination destination(String id) {
        Destination d = destinations.get(id);
        if (d == null) throw new AudienceService.NotFound("no destination '" + id + "'");
        return d;
    }

    /** Deletes a destination with what was still to be sent to it. */
    public synchronized void delete(String id) {
        destination(id);
        records.deleteDestination(id);
        destinations.remove(id);
        failing.remove(id);
        kafka.forget(id);
    }

    List<String> destinationsOf(String audience) {
        return destinations.values().stream()
                .filter(d -> d.audience().equals(audience))
                .map(Destination::id)
                .sorted()
                .toList();
    }

    // ---- streaming

    /** The outbox rows an audience settle's changes cause: one per streaming destination of the audience. */
    List<Outgoing> outgoing(List<AudienceService.Change> changes) {
        if (destinations.isEmpty()) return List.of();
        List<Outgoing> out = new ArrayList<>();
        for (AudienceService.Change c : changes) {
            for (Destination d : destinations.values()) {
                if (!d.stream() || !d.audience().equals(c.audience())) continue;
                String event = c.entered() ? "entered" : "left";
                String key = key(d.id(), event, c.audience(), c.profile(), Long.toString(c.at().toEpochMilli()));
                out.add(new Outgoing(
                        key,
                        d.id(),
                        c.profile(),
                        event,
                        c.at(),
                        d.kind().file() ? Instant.MAX : c.at(),
                        body(key, d, event, c.profile(), c.at(), null)));
            }
        }
        return out;
    }

    /** A stable idempotency key: the same event for the same destination always has the same one. */
    static String key(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    static String body(String key, Destination d, String event, String profile, Instant at, String export) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", event);
        n.put("id", key);
        n.put("destination", d.id());
        n.put("audience", d.audience());
        n.put("profile", profile);
        n.put("at", at.toString());
        if (export != null) n.put("export", export);
        return n.toString();
    }

    // ---- delivery

    private void dispatchQuietly() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            LOG.warn("activation dispatch failed (the next pass retries): {}", e.getMessage());
        }
    }

    /** One pass of the dispatcher: sends the due rows; returns how many it settled (tests drive it). */
    public synchronized int dispatch() {
        Instant now = clock.instant();
        if (now.isAfter(lastPurge.plus(Duration.ofHours(1)))) {
            records.purge(OutboxStatus.DELIVERED, now.minus(KEEP_DELIVERED));
            lastPurge = now;
        }
        long epoch = erasures.get();
        List<OutboxRow> due = records.due(now, BATCH);
        Map<String, List<OutboxRow>> toKafka = new LinkedHashMap<>();
        int settled = 0;
        Set<String> failed = new java.util.HashSet<>();
        for (OutboxRow row : due) {
            if (erasures.get() != epoch) return settled; // what was read may name someone erased
            Destination d = destinations.get(row.destination());
            if (d == null || d.kind().file() || failed.contains(d.id())) continue;
            if (withheld(d, row, now)) {
                settled++;
                continue;
            }
            if (d.kind() == Destination.Kind.KAFKA) {
                toKafka.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(row);
                continue;
            }
            Attempt a = post(d, row);
            settled++;
            if (!record(d, row, a)) failed.add(d.id());
        }
        for (var e : toKafka.entrySet()) {
            if (erasures.get() != epoch) return settled;
            Destination d = destinations.get(e.getKey());
            if (d == null) continue;
            settled += produce(d, e.getValue());
        }
        return settled;
    }

    /** Marks the row withheld when the person has no valid grant for the destination now. */
    private boolean withheld(Destination d, OutboxRow row, Instant now) {
        ConsentVerdict v = consent.check(row.profile(), d.purpose(), d.consentChannel(), now);
        if (v.allowed()) return false;
        records.attempted(row.key(), OutboxStatus.WITHHELD, row.attempts(), 0, v.code(), now, now);
        return true;
    }

    /** An attempt's outcome: delivered, or the status (0: no answer) and whether retrying may help. */
    record Attempt(boolean ok, int status, String error, boolean retryable, Duration retryAfter) {}

    private Attempt post(Destination d, OutboxRow row) {
        int attempt = row.attempts() + 1;
        byte[] body = row.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(d.url())
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", row.key())
                .header("Fusion-Attempt", Integer.toString(attempt))
                .header("Fusion-Destination", d.id())
                .header(WebhookSignature.HEADER, WebhookSignature.sign(d.secret(), clock.instant(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            int s = r.statusCode();
            if (s >= 200 && s < 300) return new Attempt(true, s, null, false, null);
            boolean retryable = s >= 500 || s == 408 || s == 425 || s == 429;
            Duration after = r.headers()
                    .firstValue("Retry-After")
                    .map(String::trim)
                    .filter(v -> v.matches("\\d{1,6}"))
                    .map(v -> Duration.ofSeconds(Long.parseLong(v)))
                    .orElse(null);
            return new Attempt(false, s, "HTTP " + s, retryable, after);
        } catch (IOException e) {
            return new Attempt(false, 0, e.getClass().getSimpleName() + ": " + e.getMessage(), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(false, 0, "interrupted", true, null);
        }
    }

    /** Records an attempt on a row; false when the destination failed (it is then postponed). */
    private boolean record(Destination d, OutboxRow row, Attempt a) {
        Instant now = clock.instant();
        int attempt = row.attempts() + 1;
        if (a.ok()) {
            records.attempted(row.key(), OutboxStatus.DELIVERED, attempt, a.status(), null, now, now);
            failing.remove(d.id());
            return true;
        }
        if (!a.retryable() || attempt >= d.maxAttempts()) {
            records.attempted(row.key(), OutboxStatus.DEAD, attempt, a.status(), a.error(), now, now);
            if (!a.retryable()) return true; // this row was refused; the destination itself works
        }
        Failing f = failing.get(d.id());
        int failures = f == null ? 1 : f.failures() + 1;
        Duration wait = backoff(d, failures);
        if (a.retryAfter() != null && a.retryAfter().compareTo(wait) > 0)
            wait = a.retryAfter().compareTo(d.maxDelay()) > 0 ? d.maxDelay() : a.retryAfter();
        Instant next = now.plus(wait);
        if (attempt < d.maxAttempts())
            records.attempted(row.key(), OutboxStatus.PENDING, attempt, a.status(), a.error(), next, now);
        records.postpone(d.id(), next);
        failing.put(d.id(), new Failing(failures, next, a.error()));
        return false;
    }

    /** Capped exponential backoff with full jitter: uniform in [0, min(max, base * 2^(n-1))), at least 1 ms. */
    private Duration backoff(Destination d, int failures) {
        double ceiling =
                Math.min(d.maxDelay().toMillis(), d.baseDelay().toMillis() * Math.pow(2, Math.min(failures - 1, 30)));
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        return Duration.ofMillis(Math.max(1, (long) (draw * ceiling)));
    }

    /** Sends the rows to a Kafka destination and records each outcome; stops at the first postponement. */
    private int produce(Destination d, List<OutboxRow> rows) {
        List<Attempt> attempts = kafka.send(d, rows);
        int settled = 0;
        for (int i = 0; i < attempts.size(); i++) {
            settled++;
            if (!record(d, rows.get(i), attempts.get(i))) return settled; // postponed: the rest go again later
        }
        return settled;
    }

    // ---- exports

    private void scheduledQuietly() {
        runSchedules();
    }

    /**
     * Runs the full export of every destination whose {@code schedule} has passed since its last
     * export (the server calls this every 30 s); returns how many ran. A failure is logged and the
     * next call tries again.
     */
    public int runSchedules() {
        int ran = 0;
        for (Destination d : list()) {
            if (d.schedule() == null) continue;
            try {
                Instant last = lastScheduled.computeIfAbsent(d.id(), this::lastExport);
                if (!clock.instant().isBefore(last.plus(d.schedule()))) {
                    export(d.id());
                    ran++;
                }
            } catch (RuntimeException e) {
                LOG.warn("scheduled export to {} failed: {}", d.id(), e.getMessage());
            }
        }
        return ran;
    }

    private Instant lastExport(String destination) {
        for (String report : records.exports(destination, 1)) {
            try {
                return Instant.parse(JSON.readTree(report).path("at").asText());
            } catch (JsonProcessingException | java.time.format.DateTimeParseException e) {
                return Instant.EPOCH;
            }
        }
        return Instant.EPOCH;
    }

    /**
     * A full export now: the audience's members with a valid grant for the destination's purpose
     * (the others counted by reason), enqueued for a webhook or Kafka, written to a file for CSV
     * and Parquet, where the streamed events waiting for the next file are written too.
     */
    public ExportReport export(String id) {
        Destination d = destination(id);
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String exportId =
                "x-" + FILE_TIME.format(at) + "-" + UUID.randomUUID().toString().substring(0, 8);
        ExportReport report;
        synchronized (this) {
            report = d.kind().file() ? exports.exportFiles(d, exportId, at) : exports.enqueueMembers(d, exportId, at);
        }
        records.saveExport(exportId, d.id(), at, Exports.toJson(report));
        lastScheduled.put(d.id(), at);
        return report;
    }

    // ---- test and state

    /** Sends a signed test message (webhook), produces a test record (Kafka) or writes and deletes a probe file. */
    public TestResult test(String id) {
        Destination d = destination(id);
        Instant now = clock.instant();
        String key = key(
                d.id(),
                "test",
                Long.toString(now.toEpochMilli()),
                UUID.randomUUID().toString());
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "test");
        n.put("id", key);
        n.put("destination", d.id());
        n.put("audience", d.audience());
        n.put("at", now.toString());
        OutboxRow row =
                new OutboxRow(key, d.id(), null, "test", now, n.toString(), OutboxStatus.PENDING, 0, 0, null, now, now);
        switch (d.kind()) {
            case WEBHOOK -> {
                Attempt a = post(d, row);
                return new TestResult(d.id(), a.ok(), a.status(), a.ok() ? "delivered" : a.error());
            }
            case KAFKA -> {
                try {
                    return new TestResult(d.id(), true, 0, kafka.test(d, key, row.body()));
                } catch (ExecutionException e) {
                    return new TestResult(d.id(), false, 0, e.getCause().toString());
                } catch (TimeoutException | RuntimeException e) {
                    return new TestResult(d.id(), false, 0, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new TestResult(d.id(), false, 0, "interrupted");
                }
            }
            default -> {
                try {
                    Files.createDirectories(d.directory());
                    Path probe = Files.createTempFile(d.directory(), ".fusion-probe-", ".tmp");
                    Files.delete(probe);
                    return new TestResult(d.id(), true, 0, "can write files in " + d.directory());
                } catch (IOException | RuntimeException e) {
                    return new TestResult(d.id(), false, 0, "cannot write in " + d.directory() + ": " + e);
                }
            }
        }
    }

    /** Re-queues the destination's dead letters (attempts start again); returns how many. */
    public int retryDeadLetters(String id) {
        destination(id);
        failing.remove(id);
        return records.requeue(id, OutboxStatus.DEAD, clock.instant());
    }

    /** The destination with its state: counts by status, whether it is failing, dead letters, recent exports. */
    public Map<String, Object> state(String id) {
        Destination d = destination(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("destination", d.shown());
        Map<String, Integer> counts = new LinkedHashMap<>();
        records.counts(id).forEach((s, n) -> counts.put(s.label(), n));
        out.put("counts", counts);
        Failing f = failing.get(id);
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("failing", f != null);
        if (f != null) {
            health.put("failures", f.failures());
            health.put("nextTry", f.nextTry());
            health.put("lastError", f.error());
        }
        out.put("health", health);
        Map<String, Integer> withheld = new TreeMap<>();
        for (OutboxRow r : records.outbox(id, OutboxStatus.WITHHELD, 100_000))
            withheld.merge(r.lastError() == null ? "unknown" : r.lastError(), 1, Integer::sum);
        out.put("withheld", withheld);
        List<Map<String, Object>> dead = new ArrayList<>();
        for (OutboxRow r : records.outbox(id, OutboxStatus.DEAD, MAX_DEAD_SHOWN)) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("key", r.key());
            l.put("profile", r.profile());
            l.put("event", r.kind());
            l.put("attempts", r.attempts());
            l.put("lastStatus", r.lastStatus());
            l.put("lastError", r.lastError());
            l.put("at", r.at());
            l.put("gaveUpAt", r.updated());
            l.put("body", r.body());
            dead.add(l);
        }
        out.put("deadLetters", dead);
        List<JsonNode> exports = new ArrayList<>();
        for (String r : records.exports(id, 10)) {
            try {
                exports.add(JSON.readTree(r));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an export report of " + id + " does not parse", e);
            }
        }
        out.put("exports", exports);
        return out;
    }
}
