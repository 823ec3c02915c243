package fusion.server.log;

import fusion.store.ErasureCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person's erasure in cluster mode, after its command is in the log (docs/SCALE-OUT.md,
 * "Erasure in a cluster"): first the job must apply the command ({@code log_progress} past its
 * offset, which the sink writes only after the checkpoint that holds the erasure completed), then
 * {@link KafkaErasure} cuts the partitions so no retained record is the person's or names them.
 * One background thread drives every erasure this server took; {@link #list} shows each one's
 * state until it is done. The person's names are kept in memory only until the cut is done.
 */
public final class ClusterErasures implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterErasures.class);
    /** Erasures waiting for the job or the cut at one time; more are refused with 503. */
    static final int MAX_PENDING = 10_000;
    /** Finished erasures kept for the status route, newest last. */
    static final int MAX_DONE = 1_000;
    /** How often pending erasures are looked at. */
    static final Duration POLL = Duration.ofMillis(500);
    /** How long to wait before a cut that found partitions the job has not passed (or failed) is tried again. */
    static final Duration RETRY = Duration.ofSeconds(10);

    private final KafkaUrl url;
    private final JobLag.Progress progress;
    private final Cutter cutter;
    private final Clock clock;
    private final Map<String, Erasure> pending = new LinkedHashMap<>();
    private final Map<String, Status> done = new LinkedHashMap<>();
    private final ScheduledExecutorService worker;

    /** Cuts the log for the given names; {@link KafkaErasure#erase} in production. */
    interface Cutter {
        KafkaErasure.LogErasure cut(Collection<String> names);
    }

    ClusterErasures(KafkaUrl url, JobLag.Progress progress, Cutter cutter, Clock clock) {
        this.url = url;
        this.progress = progress;
        this.cutter = cutter;
        this.clock = clock;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusion-cluster-erasures");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(this::step, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Where an erasure stands: {@code state} is {@code applying} (the job has not yet applied the
     * command at {@code partition}/{@code offset}), {@code cutting} (the job has; the log is cut
     * where the job is past the person's records, {@code waiting} the partitions still to cut),
     * or {@code done}. {@code error} is the last failure, if any (it is retried).
     */
    public record Status(
            String id,
            Instant requestedAt,
            String actor,
            String state,
            int partition,
            long offset,
            Map<Integer, Long> cut,
            Map<Integer, Long> waiting,
            Instant doneAt,
            String error) {}

    private static final class Erasure {
        final String id;
        final Instant requestedAt;
        final String actor;
        final int partition;
        final long offset;
        final Set<String> names;
        String state = "applying";
        Map<Integer, Long> cut = Map.of();
        Map<Integer, Long> waiting = Map.of();
        Instant nextTry = Instant.MIN;
        String error;

        Erasure(String id, Instant requestedAt, String actor, int partition, long offset, Set<String> names) {
            this.id = id;
            this.requestedAt = requestedAt;
            this.actor = actor;
            this.partition = partition;
            this.offset = offset;
            this.names = names;
        }

        Status status(Instant doneAt) {
            return new Status(id, requestedAt, actor, state, partition, offset, cut, waiting, doneAt, error);
        }
    }

    /** A new command for {@code profile} known by {@code ids}; refused with 503 when too many are pending. */
    synchronized ErasureCommand command(String profile, List<String> ids, String actor) {
        if (pending.size() >= MAX_PENDING) {
            throw new LogUnavailable(
                    MAX_PENDING + " erasures are waiting for the job or the cut; try again when /health shows fewer",
                    null);
        }
        return new ErasureCommand("erase-" + UUID.randomUUID(), clock.instant(), profile, ids, actor);
    }

    /** Follows a command the broker acknowledged at {@code partition}/{@code offset}. */
    synchronized Status follow(ErasureCommand c, int partition, long offset) {
        Set<String> names = new java.util.LinkedHashSet<>(c.ids());
        names.add(c.profile());
        Erasure e = new Erasure(c.messageId(), c.receivedAt(), c.actor(), partition, offset, names);
        pending.put(e.id, e);
        LOG.info("erasure {} by {}: command at {}/{}@{}, waiting for the job", e.id, e.actor, url, partition, offset);
        return e.status(null);
    }

    synchronized List<Status> list() {
        List<Status> out = new ArrayList<>(done.values());
        for (Erasure e : pending.values()) out.add(e.status(null));
        return out;
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    /** One round: erasures the job has applied are cut; the rest wait. Runs on the worker thread. */
    void step() {
        List<Erasure> due;
        synchronized (this) {
            Instant now = clock.instant();
            due = pending.values().stream().filter(e -> !e.nextTry.isAfter(now)).toList();
        }
        if (due.isEmpty()) return;
        Map<Integer, Long> read;
        try {
            read = progress.nextOffsets(url.topic());
        } catch (RuntimeException ex) {
            LOG.warn("cluster erasures: cannot read the job's progress: {}", ex.getMessage());
            return;
        }
        for (Erasure e : due) {
            if (read.getOrDefault(e.partition, 0L) <= e.offset) continue; // the job has not applied it yet
            try {
                KafkaErasure.LogErasure r = cutter.cut(e.names);
                synchronized (this) {
                    e.state = r.pending().isEmpty() ? "done" : "cutting";
                    e.cut = merged(e.cut, r.cut());
                    e.waiting = r.pending();
                    e.error = null;
                    if (r.pending().isEmpty()) finish(e);
                    else e.nextTry = clock.instant().plus(RETRY);
                }
            } catch (RuntimeException ex) {
                synchronized (this) {
                    e.state = "cutting";
                    e.error = ex.getMessage();
                    e.nextTry = clock.instant().plus(RETRY);
                }
                LOG.warn(
                        "erasure {}: cutting the log failed, retrying in {} s: {}",
                        e.id,
                        RETRY.toSeconds(),
                        ex.getMessage());
            }
        }
    }

    private void finish(Erasure e) {
        pending.remove(e.id);
        done.put(e.id, e.status(clock.instant()));
        while (done.size() > MAX_DONE) done.remove(done.keySet().iterator().next());
        LOG.info("erasure {}: done; the log was cut at {}", e.id, e.cut);
    }

    private static Map<Integer, Long> merged(Map<Integer, Long> a, Map<Integer, Long> b) {
        Map<Integer, Long> m = new java.util.TreeMap<>(a);
        b.forEach((k, v) -> m.merge(k, v, Math::max));
        return m;
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) LOG.warn("cluster erasures: the worker did not stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
