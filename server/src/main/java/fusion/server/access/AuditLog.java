package fusion.server.access;

import fusion.store.Access;
import fusion.store.Access.AuditEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit entries in the background, in batches, so a read of personal data never waits
 * for a write lock. The queue is bounded: when the store falls behind, readers wait rather than
 * entries being dropped. {@link #close} writes what is queued. A crash can lose at most the
 * entries of the last {@value #FLUSH_MILLIS} ms.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    static final int FLUSH_MILLIS = 200;
    private static final int CAPACITY = 10_000;
    static final int COALESCE_SECONDS = 60;

    private final java.util.Map<String, java.time.Instant> recent = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, java.time.Instant> eldest) {
            return size() > 10_000;
        }
    };

    private final Access store;
    private final BlockingQueue<AuditEntry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread writer;
    private volatile boolean closing;

    public AuditLog(Access store) {
        this.store = store;
        this.writer = new Thread(this::run, "fusion-audit");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues an entry. The same actor doing the same thing to the same person with the same
     * outcome within {@value #COALESCE_SECONDS} s is recorded once: a dashboard that refreshes a
     * customer every few seconds would otherwise bury the log in repeats.
     */
    public void record(AuditEntry e) {
        String key = e.actor() + '\u0000' + e.action() + '\u0000' + e.subject() + '\u0000' + e.status();
        synchronized (recent) {
            java.time.Instant last = recent.get(key);
            if (last != null && !e.at().isBefore(last) && e.at().isBefore(last.plusSeconds(COALESCE_SECONDS))) return;
            recent.put(key, e.at());
        }
        try {
            queue.put(e);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until everything recorded so far is written (tests and the audit query use it). */
    public void sync() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
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
        List<AuditEntry> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                AuditEntry first = queue.poll(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                synchronized (this) {
                    batch.add(first);
                    queue.drainTo(batch, 999);
                    write(batch);
                    batch.clear();
                }
            } catch (InterruptedException e) {
                if (!closing) Thread.currentThread().interrupt();
            }
        }
    }

    private void write(List<AuditEntry> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                store.appendAudit(batch);
                return;
            } catch (RuntimeException e) {
                if (attempt >= 5) {
                    LOG.error("could not write {} audit entries after {} attempts: {}", batch.size(), attempt, e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
