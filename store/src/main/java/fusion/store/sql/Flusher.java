package fusion.store.sql;

import fusion.store.StoreFailure;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * audit.db's background flush in {@link AuditSync.Mode#INTERVAL}: every interval, when an append
 * was committed since the last flush, it fsyncs ({@code fdatasync}) the WAL file, which holds every
 * committed frame not yet checkpointed, so what was committed before the flush began is on the
 * device when it ends. The WAL is opened anew for each flush: SQLite deletes and recreates it when
 * every connection to the file closes, and an old descriptor would sync a file no longer in use.
 * When the WAL has grown past {@link #CHECKPOINT_BYTES} the flusher checkpoints it
 * ({@link AuditTable#checkpoint}); the writer connection never does.
 *
 * <p>A flush that fails is retried at the next interval, and until one succeeds the table refuses
 * appends ({@link #refuseIfFailing}): a device that cannot flush fails the audit log closed, as a
 * failed commit does.
 */
final class Flusher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Flusher.class.getName());
    /** The WAL size past which the flusher checkpoints it: the store's own {@code wal_autocheckpoint} (10,000 pages). */
    static final long CHECKPOINT_BYTES = 10_000L * 4096;

    private final AuditTable table;
    private final Path wal;
    private final ScheduledExecutorService thread;
    /** Appends of {@link #table} flushed to the device; guarded by this. */
    private volatile long flushed;

    private volatile IOException failure;
    /** Checkpoints the flusher has made; only its own thread writes it. */
    private volatile long checkpoints;

    Flusher(AuditTable table, Path wal, Duration interval) {
        this.table = table;
        this.wal = wal;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusion-audit-flush");
            t.setDaemon(true);
            return t;
        });
        long nanos = interval.toNanos();
        thread.scheduleWithFixedDelay(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Appends flushed to the device so far. */
    long flushed() {
        return flushed;
    }

    private void tick() {
        try {
            if (table.committed() > flushed) flushNow();
            if (failure == null && walBytes() > CHECKPOINT_BYTES) {
                table.checkpoint();
                checkpoints++;
            }
        } catch (SQLException | RuntimeException e) {
            // the next interval tries again; appends go on, as the WAL is synced by each flush
            LOG.log(
                    System.Logger.Level.WARNING,
                    "could not checkpoint the audit log's WAL {0}: {1}",
                    wal,
                    e.getMessage());
        }
    }

    /** Flushes what is committed now; on failure, appends are refused until a flush succeeds. */
    synchronized void flushNow() {
        long through = table.committed(); // read before the sync: every one of them is in the WAL
        try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.READ)) {
            ch.force(false);
        } catch (NoSuchFileException gone) {
            // every connection closed: SQLite checkpointed the WAL into audit.db, synced it, deleted it
        } catch (IOException e) {
            if (failure == null)
                LOG.log(System.Logger.Level.ERROR, "could not flush the audit log's WAL {0}: {1}", wal, e.getMessage());
            failure = e;
            return;
        }
        if (failure != null) LOG.log(System.Logger.Level.INFO, "the audit log's WAL {0} flushes again", wal);
        failure = null;
        if (through > flushed) flushed = through;
    }

    private long walBytes() {
        try {
            return Files.size(wal);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Checkpoints made so far (what a test waits on). */
    long checkpoints() {
        return checkpoints;
    }

    /** Throws when the last flush failed: an append now could not be promised to the device. */
    void refuseIfFailing(String name) {
        IOException f = failure;
        if (f != null) throw new StoreFailure("flushing the audit log in " + name, f);
    }

    /** Stops the thread, then flushes once more. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) thread.shutdownNow();
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        flushNow();
    }
}
