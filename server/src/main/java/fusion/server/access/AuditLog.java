package fusion.server.access;

import fusion.store.Access;
import fusion.store.Access.AuditEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log, failing closed. A request that touched a person is answered only once its entry
 * is durable in the store ({@link #recordDurably}); when the entry cannot be written within
 * {@link #WAIT} the request is refused with {@link AuditUnavailable} (503) instead, so personal
 * data is never served unaudited.
 *
 * <p>Entries are written by one background thread in batches: the requests waiting at one moment
 * share one transaction (and one fsync), as ingest's group commit does, so a busy dashboard does
 * not pay one commit per read. A batch that fails is retried {@link #ATTEMPTS} times; then its
 * waiters are refused and the entries are not kept (nothing was served for them). A waiter that
 * gives up takes its entry out of the queue if the writer has not picked it up yet; if it has,
 * the entry may still be written, so the log can record a read that was in the end refused, but
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
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread writer;
    private volatile boolean closing;
    /** With {@code -Dfusion.audit.timing=true}: where entries' time to durable goes, logged every 10 s. */
    private final AuditTiming timing = AuditTiming.ON ? new AuditTiming() : null;

    private long timingLogged = System.nanoTime();

    public AuditLog(Access store) {
        this.store = store;
        this.writer = new Thread(this::run, "fusion-audit");
        writer.setDaemon(true);
        writer.start();
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
     * Records {@code e} and returns once it is durable; throws {@link AuditUnavailable} when it
     * could not be written within {@link #WAIT}.
     */
    public void recordDurably(AuditEntry e) {
        CompletableFuture<Void> durable = record(e);
        try {
            durable.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException ex) {
            durable.cancel(false); // the writer skips it if it has not picked it up yet
            throw new AuditUnavailable("the audit log could not be written within " + WAIT.toSeconds() + " s", ex);
        } catch (ExecutionException ex) {
            throw new AuditUnavailable(
                    "the audit log cannot be written: " + ex.getCause().getMessage(), ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailable("interrupted waiting for the audit log", ex);
        } catch (java.util.concurrent.CancellationException ex) {
            throw new AuditUnavailable("the audit entry was given up", ex);
        }
    }

    /**
     * Queues an entry; the result completes when it is durable. The same actor doing the same
     * thing to the same person with the same outcome within {@value #COALESCE_SECONDS} s is
     * recorded once (a dashboard that refreshes a customer every few seconds would otherwise bury
     * the log in repeats): the repeat shares the first entry's promise, so it too is answered only
     * once that entry is durable, and a failed first entry is not shared.
     */
    public CompletableFuture<Void> record(AuditEntry e) {
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
        try {
            if (!queue.offer(new Pending(e, durable, System.nanoTime()), WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                durable.completeExceptionally(new IllegalStateException(CAPACITY + " entries wait to be written"));
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            durable.completeExceptionally(ex);
        }
        return durable;
    }

    /** Waits until everything recorded so far is written or given up (the audit query and erasure use it). */
    public void sync() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (this) {
            // the writer holds this lock while a drained batch is being written
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (timing != null) logTiming();
                if (first == null) continue;
                synchronized (this) {
                    batch.add(first);
                    queue.drainTo(batch, 999);
                    batch.removeIf(p -> p.durable().isDone()); // its request gave up waiting
                    write(batch);
                    batch.clear();
                }
            } catch (InterruptedException e) {
                if (!closing) Thread.currentThread().interrupt();
            }
        }
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

    @Override
    public void close() {
        closing = true;
        try {
            writer.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
