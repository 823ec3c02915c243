package fusion.store.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What keeps SQLite's {@code fusion.db-wal} bounded when readers overlap without pause. SQLite's
 * own checkpoint (every {@code wal_autocheckpoint} pages, PASSIVE) copies what it can, but the WAL
 * is written again from its start only when a write begins while no reader's snapshot uses it;
 * reads that follow each other on a few threads can always leave one that does, and the WAL then
 * grows for as long as they go on (docs/STORAGE.md, "Checkpoints"). So after each group commit the
 * writer thread looks at the WAL's size (one {@code stat}); past {@link #RESTART_BYTES}, which it
 * only reaches when no restart happened since the WAL last held that much, it runs a RESTART
 * checkpoint on a connection of its own: SQLite copies every frame into fusion.db, waiting up to
 * {@link #WAIT_MILLIS} for the readers of older snapshots to finish (new readers then read
 * fusion.db and hold nothing), so the next write starts the WAL again and SQLite cuts the file
 * back to {@code journal_size_limit}. A checkpoint that finds a reader still busy after the wait
 * changes nothing and is tried again after the next group. Ingest waits for it: the copying the
 * autocheckpoint had not done yet, at most the wait, and an fsync of fusion.db.
 *
 * <p>Called after the writer's commits (a group's, or a {@code writeWith}'s), under the store's
 * monitor, so never concurrently and never while a write transaction is open.
 */
final class WalCheckpoints implements AutoCloseable {
    /** The WAL size past which the writer restarts it: the store's {@code journal_size_limit} (Dialect). */
    static final long RESTART_BYTES = 64L * 1024 * 1024;
    /** How long a restart waits for readers of older snapshots (SQLite's busy handler) before leaving it to the next group. */
    static final int WAIT_MILLIS = 100;

    private static final System.Logger LOG = System.getLogger(WalCheckpoints.class.getName());

    private final ConnectionSource source;
    private final Path wal;
    private Connection connection;
    private long restarts;
    private long busy;

    /** {@code wal}: the database's {@code -wal} file; {@code source} opens the checkpoint's connection. */
    WalCheckpoints(ConnectionSource source, Path wal) {
        this.source = source;
        this.wal = wal;
    }

    /** After a group commit: restarts the WAL when it has outgrown {@link #RESTART_BYTES}; never throws. */
    void afterCommit() {
        long bytes = size();
        if (bytes <= RESTART_BYTES) return;
        long started = System.nanoTime();
        long cpu = WriterTiming.now();
        try {
            if (connection == null) {
                connection = source.open();
                try (Statement s = connection.createStatement()) {
                    s.execute("PRAGMA busy_timeout=" + WAIT_MILLIS);
                }
            }
            boolean done;
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
                done = rs.next() && rs.getInt(1) == 0; // columns: busy, log frames, checkpointed frames
            }
            if (done) restarts++;
            else busy++;
            if (WriterTiming.ON) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "{0} the WAL at {1} MB in {2} ms, {3} ms of CPU",
                        done ? "restarted" : "readers kept busy",
                        bytes / (1024 * 1024),
                        (System.nanoTime() - started) / 1_000_000,
                        (WriterTiming.now() - cpu) / 1_000_000);
            }
        } catch (SQLException e) {
            busy++;
            LOG.log(System.Logger.Level.WARNING, "could not checkpoint {0}: {1}", wal, e.getMessage());
            close(); // opened again at the next try
        }
    }

    /** Restarts made so far. */
    long restarts() {
        return restarts;
    }

    /** Tries that found a reader still busy after the wait, or failed. */
    long busy() {
        return busy;
    }

    private long size() {
        try {
            return Files.size(wal);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return 0; // no size, no checkpoint: SQLite's own go on
        }
    }

    @Override
    public void close() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // a connection that will not close holds no lock a checkpoint needs
        }
        connection = null;
    }
}
