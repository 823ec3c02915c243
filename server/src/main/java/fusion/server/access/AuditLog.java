package fusion.server.access;

import fusion.store.Access;
import fusion.store.Access.AuditEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log, failing closed. A request that touched a person is answered only once its entry
 * is durable in the store ({@link #recordDurably}); when the entry cannot be written within
 * {@link #WAIT} the request is refused with {@link AuditUnavailable} (503) instead, so personal
 * data is never served unaudited. "Durable" is the store's {@code audit.sync}: flushed to the
 * device ({@code each}), or committed, so that no crash of Fusion loses it, and flushed by the store
 * within an interval ({@code interval}; docs/SECURITY.md, Audit).
 *
 * <p>Entries are written in batches by the requests waiting for them, with no thread in between
 * (issue 18: on a loaded machine, handing each entry to a writer thread and the answer back cost
 * a read up to tens of milliseconds of waiting to be scheduled). A request queues its entry and
 * takes the write lock; holding it, it writes everything queued in one transaction (one commit):
 * the requests that queued while another was writing find, once they hold the lock, that their
 * entries are already durable, or write them all together, as ingest's group commit does. A batch
 * that fails is retried {@link #ATTEMPTS} times; then its waiters are refused and the entries are
 * not kept (nothing was served for them). A request that cannot take the lock within {@link #WAIT}
 * takes its entry out of the queue and is refused; one whose entry was already taken into a
 * batch may see it written anyway, so the log can record a read that was in the end refused, but
 * never misses one that was served.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    /** How long a request waits for its entry to be durable before it is refused. */
    public static final Duration WAIT = Duration.ofSeconds(10);
    /** Writes of one batch before its waiters are refused. */
    static final int ATTEMPTS = 3;

    static final int COALESCE_SECONDS = 60;
    private static final int CAPACITY = 10_000;
    private static final int BATCH = 1_000;

    /** An entry and the promise that it is durable. */
    private record Pending(AuditEntry entry, CompletableFuture<Void> durable, long queuedAt) {}

    /** The last entry with one coalescing key: when it was made, and whether it is durable yet. */
    private record Recent(Instant at, CompletableFuture<Void> durable) {}

    private final Map<String, Recent> recent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recent> eldest) {
            return size() > 10_000;
        }
    };

    private final Access store;
    /** Entries not yet taken into a batch; guarded by itself. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Held by the request writing a batch; whoever holds it next writes what has queued meanwhile. */
    private final ReentrantLock writing = new ReentrantLock();
    /** With {@code -Dfusion.audit.timing=true}: where entries' time to durable goes, logged every 10 s. */
    private final AuditTiming timing = AuditTiming.ON ? new AuditTiming() : null;

    private long timingLogged = System.nanoTime();
    private volatile boolean closed;

    public AuditLog(Access store) {
        this.store = store;
        String sync = store.auditSync();
        LOG.info(
                "audit sync: {} ({})",
                sync,
                sync.equals("each")
                        ? "a request is answered once its audit entry is flushed to the device"
                        : "a request is answered once its audit entry is committed; entries are flushed to the "
                                + "device within the interval");
    }

    /**
     * With {@code -Dfusion.audit.timing=true}, notes that a request that touched a person took
     * {@code nanos} before asking for its audit entry (logged with the audit writer's timings).
     */
    public void handled(long nanos) {
        if (timing != null) timing.handled(nanos);
    }

    /** Whether {@link #handled} keeps anything (the caller need not read the clock otherwise). */
    public static boolean timing() {
        return AuditTiming.ON;
    }

    /**
     * Records {@code e} and returns once it is durable, having written it (and whatever else was
     * queued) itself unless a request before it did; throws {@link AuditUnavailable} when it could
     * not be written within {@link #WAIT}.
     */
    public void recordDurably(AuditEntry e) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        CompletableFuture<Void> durable = record(e);
        try {
            while (!durable.isDone()) {
                if (!writing.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    throw new TimeoutException();
                }
                try {
                    if (!durable.isDone()) writeQueued();
                } finally {
                    writing.unlock();
                }
            }
            durable.get();
        } catch (TimeoutException ex) {
            giveUp(durable);
            throw new AuditUnavailable("the audit log could not be written within " + WAIT.toSeconds() + " s", ex);
        } catch (ExecutionException ex) {
            throw new AuditUnavailable(
                    "the audit log cannot be written: " + ex.getCause().getMessage(), ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            giveUp(durable);
            throw new AuditUnavailable("interrupted waiting for the audit log", ex);
        } catch (java.util.concurrent.CancellationException ex) {
            throw new AuditUnavailable("the audit entry was given up", ex);
        }
    }

    /** A waiter gives up: its entry leaves the queue unless a batch has taken it already. */
    private void giveUp(CompletableFuture<Void> durable) {
        synchronized (queue) {
            queue.removeIf(p -> p.durable() == durable);
        }
        durable.cancel(false);
    }

    /**
     * Queues an entry; the result completes when it is durable. The same actor doing the same
     * thing to the same person with the same outcome within {@value #COALESCE_SECONDS} s is
     * recorded once (a dashboard that refreshes a customer every few seconds would otherwise bury
     * the log in repeats): the repeat shares the first entry's promise, so it too is answered only
     * once that entry is durable, and a failed first entry is not shared.
     */
    private CompletableFuture<Void> record(AuditEntry e) {
        if (closed) return CompletableFuture.failedFuture(new IllegalStateException("the audit log is closed"));
        String key = e.actor() + '\u0000' + e.action() + '\u0000' + e.subject() + '\u0000' + e.status();
        CompletableFuture<Void> durable = new CompletableFuture<>();
        synchronized (recent) {
            Recent last = recent.get(key);
            if (last != null
                    && !e.at().isBefore(last.at())
                    && e.at().isBefore(last.at().plusSeconds(COALESCE_SECONDS))
                    && !last.durable().isCompletedExceptionally()) {
                return last.durable();
            }
            recent.put(key, new Recent(e.at(), durable));
        }
        synchronized (queue) {
            if (queue.size() >= CAPACITY) {
                durable.completeExceptionally(new IllegalStateException(CAPACITY + " entries wait to be written"));
            } else {
                queue.add(new Pending(e, durable, System.nanoTime()));
            }
        }
        return durable;
    }

    /** Entries queued and not yet taken into a batch (what a test waits on). */
    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** Writes everything recorded so far (the audit query and erasure use it): on return, none of it waits. */
    public void sync() {
        try {
            if (!writing.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            while (writeQueued()) {
                // until the queue is empty
            }
        } finally {
            writing.unlock();
        }
    }

    /** Under {@link #writing}: takes up to {@link #BATCH} queued entries and writes them; false when none waited. */
    private boolean writeQueued() {
        List<Pending> batch = new ArrayList<>();
        synchronized (queue) {
            while (batch.size() < BATCH && !queue.isEmpty()) batch.add(queue.poll());
        }
        if (timing != null) logTiming();
        if (batch.isEmpty()) return false;
        batch.removeIf(p -> p.durable().isDone()); // its request gave up waiting
        write(batch);
        return true;
    }

    private void logTiming() {
        if (System.nanoTime() - timingLogged < 10_000_000_000L) return;
        timingLogged = System.nanoTime();
        String s = timing.summary();
        if (s != null) LOG.info(s);
    }

    private void write(List<Pending> batch) {
        if (batch.isEmpty()) return;
        List<AuditEntry> entries = batch.stream().map(Pending::entry).toList();
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                long started = System.nanoTime();
                store.appendAudit(entries);
                if (timing != null) {
                    long[] queued = new long[batch.size()];
                    for (int i = 0; i < queued.length; i++)
                        queued[i] = started - batch.get(i).queuedAt();
                    timing.batch(queued, queued.length, System.nanoTime() - started);
                }
                for (Pending p : batch) p.durable().complete(null);
                return;
            } catch (RuntimeException e) {
                failure = e;
                if (attempt < ATTEMPTS && !pause(100L * attempt)) break;
            }
        }
        LOG.error(
                "could not write {} audit entries after {} attempts; their requests are refused: {}",
                batch.size(),
                ATTEMPTS,
                failure.getMessage());
        for (Pending p : batch) p.durable().completeExceptionally(failure);
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** New entries are refused from now on; those queued are written by their waiters. */
    @Override
    public void close() {
        closed = true;
        sync();
    }
}
