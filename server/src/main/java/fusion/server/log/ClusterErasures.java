package fusion.server.log;

import fusion.store.ErasureCommand;
import fusion.store.sql.LogCuts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
 * the person's last record in each partition is found (their ids read back from the command
 * itself) and each partition is cut after it once the job is past it ({@link KafkaErasure}).
 *
 * <p>What is owed is kept in PostgreSQL ({@link LogCuts}, the {@code log_cuts} table), without
 * the person's ids: positions and times only. So an erasure outlives the server that took it: one
 * background thread per ingest server looks at every pending cut of the topic, claims one with
 * {@code FOR UPDATE SKIP LOCKED} while it works on it, and writes back how far it got. Two servers
 * never work on one erasure at once, and a cut made twice is harmless (Kafka only ever moves a
 * log start offset forward).
 */
public final class ClusterErasures implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterErasures.class);
    /** Erasures waiting for the job or the cut at one time, in the whole cluster; more are refused with 503. */
    static final int MAX_PENDING = 10_000;
    /** Finished erasures listed by the status route, newest last. */
    static final int MAX_DONE = 1_000;
    /** How often pending erasures are looked at. */
    static final long POLL_MILLIS = 500;

    static final Duration POLL = Duration.ofMillis(POLL_MILLIS);
    /** How long to wait before a step that failed is tried again. */
    static final Duration RETRY = Duration.ofSeconds(10);

    private final KafkaUrl url;
    private final JobLag.Progress progress;
    private final LogCuts table;
    private final Log log;
    private final Clock clock;
    private final ScheduledExecutorService worker;

    /** What the erasures need of Kafka; {@link KafkaErasure} in production. */
    interface Log {
        /** The names (profile and ids) in the erasure command at {@code partition}/{@code offset}, if still there. */
        Optional<Set<String>> commandNames(int partition, long offset);

        /** Partition to the offset of the last record now in the log that is one of {@code names}' or names them. */
        Map<Integer, Long> lastRecordsOf(Set<String> names);

        /** Moves each partition's log start offset to the given offset (never backwards). */
        void cut(Map<Integer, Long> before);

        /** The offset of the job's handoff topic's last record of a merge at or before {@code seq}, or -1. */
        long lastHandoffThrough(long seq);

        /** Whether every record of the handoff topic now before {@code before} is of a merge at or before {@code seq}. */
        boolean handoffsThrough(long before, long seq);

        /** Writes a cut marker with {@code bound}, then cuts the handoff topic before {@code before}. */
        void cutHandoffs(long before, long bound);
    }

    /**
     * The key under which {@code log_cuts} keeps the job's handoff topic (one partition) beside the
     * events topic's partitions: in {@code last_offsets} the last handoff record to cut (that of a
     * merge at or before the job's committed seq when the erasure was first read), in {@code cut}
     * the handoff topic's new log start offset.
     */
    static final int HANDOFF = -1;

    ClusterErasures(KafkaUrl url, JobLag.Progress progress, LogCuts table, Log log, Clock clock) {
        this.url = url;
        this.progress = progress;
        this.table = table;
        this.log = log;
        this.clock = clock;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusion-cluster-erasures");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(this::safeStep, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Where an erasure stands: {@code state} is {@code applying} (the job has not yet applied the
     * command at {@code partition}/{@code offset}), {@code cutting} (it has; {@code cut} holds
     * the partitions cut, with their new log start offset, {@code waiting} those whose cut waits
     * for the job, with the person's last offset there), or {@code done}. {@code error} is the
     * last failure, if any (it is retried), or why a done erasure could not cut everything.
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
            String error) {
        static Status of(LogCuts.Row r) {
            Map<Integer, Long> waiting = new TreeMap<>();
            if (r.lastOffsets() != null && r.done() == null) {
                r.lastOffsets().forEach((p, o) -> {
                    if (r.cut().getOrDefault(p, 0L) <= o) waiting.put(p, o);
                });
            }
            String state = r.done() != null ? "done" : r.lastOffsets() == null ? "applying" : "cutting";
            return new Status(
                    r.erasure(),
                    r.requested(),
                    r.actor(),
                    state,
                    r.partition(),
                    r.commandOffset(),
                    new TreeMap<>(r.cut()),
                    waiting,
                    r.done(),
                    r.error());
        }
    }

    /** A new command for {@code profile} known by {@code ids}; refused with 503 when too many are pending. */
    ErasureCommand command(String profile, List<String> ids, String actor) {
        if (table.pending(url.topic()) >= MAX_PENDING) {
            throw new LogUnavailable(
                    MAX_PENDING + " erasures are waiting for the job or the cut; try again when /health shows fewer",
                    null);
        }
        return new ErasureCommand("erase-" + UUID.randomUUID(), clock.instant(), profile, ids, actor);
    }

    /** Records the cut a command the broker acknowledged at {@code partition}/{@code offset} owes. */
    Status follow(ErasureCommand c, int partition, long offset) {
        LogCuts.Row row = LogCuts.Row.asked(c.messageId(), url.topic(), partition, offset, c.receivedAt(), c.actor());
        table.add(row);
        LOG.info(
                "erasure {} by {}: command at {}/{}@{}, waiting for the job",
                c.messageId(),
                c.actor(),
                url,
                partition,
                offset);
        return Status.of(row);
    }

    /** The last erasures done (at most {@value #MAX_DONE}), then those pending, whichever server took them. */
    List<Status> list() {
        return table.list(url.topic(), MAX_DONE).stream().map(Status::of).toList();
    }

    /** Pending erasures of the topic, and when the oldest was asked (absent with none). */
    Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pending", table.pending(url.topic()));
        table.oldestPending(url.topic()).ifPresent(t -> m.put("oldestRequestedAt", t.toString()));
        return m;
    }

    private void safeStep() {
        try {
            step();
        } catch (RuntimeException e) {
            LOG.warn("cluster erasures: {}", e.getMessage());
        }
    }

    /**
     * One round over the topic's pending cuts: an erasure the job has applied gets the person's
     * last positions (written before any cut, so that the command may go with a cut); each
     * partition the job has passed them in is cut. Runs on the worker thread; also callable from a
     * test to settle the work now.
     */
    void step() {
        List<LogCuts.Row> pending = table.pendingRows(url.topic());
        if (pending.isEmpty()) return;
        Map<Integer, Long> read = progress.nextOffsets(url.topic());
        // read after the offsets (the sink writes both in one transaction): at or past every command they passed
        long committed = progress.nextOffsets(url.topic() + "/seq").getOrDefault(0, 1L) - 1;
        Instant now = clock.instant();
        for (LogCuts.Row r : pending) {
            if (r.nextTry().isAfter(now) || !workToDo(r, read)) continue;
            if (r.lastOffsets() == null) table.claim(r.erasure(), row -> findLastRecords(row, committed));
            // the positions are committed: a cut may now remove the command itself
            LogCuts.Row after = table.claim(r.erasure(), row -> cut(row, read, committed, guards(pending, row)));
            if (after != null && after.done() != null) {
                LOG.info("erasure {}: done; the log was cut at {}", after.erasure(), after.cut());
            }
        }
    }

    private static boolean workToDo(LogCuts.Row r, Map<Integer, Long> read) {
        if (r.lastOffsets() == null) return read.getOrDefault(r.partition(), 0L) > r.commandOffset();
        return r.lastOffsets().entrySet().stream()
                .anyMatch(e -> (e.getKey() == HANDOFF || read.getOrDefault(e.getKey(), 0L) > e.getValue())
                        && r.cut().getOrDefault(e.getKey(), 0L) <= e.getValue());
    }

    /**
     * The commands of other pending erasures whose names are not read yet: a cut must not pass
     * them, or their person's ids would be lost with them. Partition to the lowest such offset.
     */
    private static Map<Integer, Long> guards(List<LogCuts.Row> pending, LogCuts.Row self) {
        Map<Integer, Long> g = new TreeMap<>();
        for (LogCuts.Row r : pending) {
            if (r.lastOffsets() == null && !r.erasure().equals(self.erasure())) {
                g.merge(r.partition(), r.commandOffset(), Math::min);
            }
        }
        return g;
    }

    /** Reads the names from the command and finds the person's last record in each partition. */
    private LogCuts.Row findLastRecords(LogCuts.Row r, long committed) {
        if (r.lastOffsets() != null) return r; // another server found them meanwhile
        try {
            Optional<Set<String>> names = log.commandNames(r.partition(), r.commandOffset());
            if (names.isEmpty()) {
                String why = "the erasure command at " + r.partition() + "@" + r.commandOffset()
                        + " is no longer in the log (retention removed it): the person's ids cannot be read back, "
                        + "so no further cut is made; their records before it in that partition are gone with it";
                LOG.warn("erasure {}: {}", r.erasure(), why);
                return r.withLastOffsets(Map.of()).abandoned(why, clock.instant());
            }
            Map<Integer, Long> last = new TreeMap<>(log.lastRecordsOf(names.get()));
            last.merge(r.partition(), r.commandOffset(), Math::max); // the command names them too
            // the job is past the command, so every merge of the person is at or before what it committed
            long handoff = log.lastHandoffThrough(committed);
            if (handoff >= 0) last.put(HANDOFF, handoff);
            LOG.info("erasure {}: the person's last records are at {}", r.erasure(), last);
            return r.withLastOffsets(last);
        } catch (RuntimeException e) {
            return failed(r, "reading the log", e);
        }
    }

    /** Cuts every partition the job has passed the person's last record in, short of {@code guards}. */
    private LogCuts.Row cut(LogCuts.Row r, Map<Integer, Long> read, long committed, Map<Integer, Long> guards) {
        if (r.lastOffsets() == null) return r; // the names could not be read this time
        Map<Integer, Long> before = new TreeMap<>();
        r.lastOffsets().forEach((p, o) -> {
            if (p == HANDOFF) return;
            boolean passed = read.getOrDefault(p, 0L) > o;
            boolean notYet = r.cut().getOrDefault(p, 0L) <= o;
            boolean guarded = guards.getOrDefault(p, Long.MAX_VALUE) <= o;
            if (passed && notYet && !guarded) before.put(p, o + 1);
        });
        Long handoff = r.lastOffsets().get(HANDOFF);
        try {
            // every handoff up to the person's last one is of a merge the job committed: none is waited for
            if (handoff != null
                    && r.cut().getOrDefault(HANDOFF, 0L) <= handoff
                    && log.handoffsThrough(handoff + 1, committed)) {
                before.put(HANDOFF, handoff + 1);
            }
        } catch (RuntimeException e) {
            return failed(r, "reading the handoff topic", e);
        }
        if (before.isEmpty()) return r;
        try {
            Map<Integer, Long> events = new TreeMap<>(before);
            events.remove(HANDOFF);
            log.cut(events);
            if (before.containsKey(HANDOFF)) log.cutHandoffs(before.get(HANDOFF), committed);
        } catch (RuntimeException e) {
            return failed(r, "cutting the log", e);
        }
        Map<Integer, Long> all = new TreeMap<>(r.cut());
        before.forEach((p, o) -> all.merge(p, o, Math::max));
        boolean complete =
                r.lastOffsets().entrySet().stream().allMatch(e -> all.getOrDefault(e.getKey(), 0L) > e.getValue());
        return r.withCut(before, complete ? clock.instant() : null);
    }

    private LogCuts.Row failed(LogCuts.Row r, String what, RuntimeException e) {
        LOG.warn("erasure {}: {} failed, retrying in {} s: {}", r.erasure(), what, RETRY.toSeconds(), e.getMessage());
        return r.failed(what + " failed: " + e.getMessage(), clock.instant().plus(RETRY));
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) LOG.warn("cluster erasures: the worker did not stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        table.close();
    }
}
