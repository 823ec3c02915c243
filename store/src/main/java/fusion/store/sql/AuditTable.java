package fusion.store.sql;

import fusion.store.Access.AuditEntry;
import fusion.store.StoreFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The audit log's own write path. A read of a person is answered only once its audit entry is
 * durable, so the entry must not wait for ingest: the ingest writer holds its transaction for a
 * whole group commit (hundreds of milliseconds under load), and an audit insert queued behind it
 * made profile reads' p99 over 200 ms (issue 18). So audit entries are written on a connection of
 * their own, under a lock of their own:
 *
 * <ul>
 *   <li>SQLite allows one writer per database file, so the audit log lives in its own file,
 *       {@code audit.db} beside {@code fusion.db} (WAL, {@code synchronous=FULL},
 *       {@code secure_delete}); rows an older store kept in {@code fusion.db}'s {@code audit} table
 *       move there when the store opens.
 *   <li>PostgreSQL runs transactions side by side, so the {@code audit} table stays where it is,
 *       written on a dedicated connection.
 * </ul>
 *
 * <p><b>An erased person's id is never written back.</b> An entry whose subject is an erased name
 * is stored as {@code erased}; the check (on SQLite {@link Eraser#erasedNames}, on PostgreSQL inside
 * the insert statement) and the insert run under the audit lock, and so does the erasure's
 * redaction of earlier entries, after the erasure has
 * committed its digests. Either an append takes the lock first (and the redaction that follows
 * finds its row), or it takes it after the redaction (and its check sees the committed digests).
 * On SQLite the lock is this object's monitor (one process owns the data directory); the erasure
 * redacts {@code audit.db} once its own transaction has committed ({@link #redactErased}), and a
 * crash in between is repaired when the store next opens: {@code audit_meta} records the newest
 * erasure whose redaction is done, and a store that finds a newer one checks every subject. On
 * PostgreSQL, where several servers may share the database, the lock is a transaction-scoped
 * advisory lock ({@link #ADVISORY_LOCK}) that the erasure's own transaction also takes before it
 * redacts the table ({@link #holdForRedaction}).
 *
 * <p><b>When an append returns</b> ({@link AuditSync}). In {@link AuditSync.Mode#EACH} the commit
 * is flushed to the device before {@link #append} returns: one fsync of audit.db's WAL (SQLite
 * {@code synchronous=FULL}) or PostgreSQL's commit flush, 15 ms at p99 on the bench's disk idle and
 * 33-44 ms under ingest, which no read can then beat. In {@link AuditSync.Mode#INTERVAL} the
 * append returns once committed: on SQLite the WAL frames are written to the file
 * ({@code synchronous=NORMAL}, so the operating system has them and a crash of Fusion loses
 * nothing) and {@link Flusher} makes the WAL durable at most one interval later, on a thread of its
 * own; on PostgreSQL the append commits with {@code synchronous_commit} off and PostgreSQL's
 * WAL writer flushes it (within three {@code wal_writer_delay}s). The writer connection then never
 * checkpoints by itself ({@code wal_autocheckpoint=0}): the flusher checkpoints, and restarts the
 * WAL, under this object's monitor, so neither the fsyncs of a checkpoint nor the one of a new WAL
 * header fall to a request, and no checkpoint of the flusher can race the erasure's
 * {@code wal_checkpoint(TRUNCATE)}.
 */
final class AuditTable implements AutoCloseable {
    /** The advisory lock key of the audit table on PostgreSQL ("FUSAUDIT" in ASCII). */
    static final long ADVISORY_LOCK = 0x4655534155444954L;

    private static final String COLUMNS = "id, at, actor, role, action, subject, status";

    private final Dialect dialect;
    /** Where the audit rows are: audit.db on SQLite, the store's own database on PostgreSQL. */
    private final ConnectionSource rows;
    /** The store's own database (the erasure digests, and on SQLite the rows an older store kept). */
    private final ConnectionSource store;

    private final boolean ownsRows;
    private final String name;
    private final AuditSync sync;
    /** Appends committed so far; guarded by this object's monitor, read by the flusher. */
    private volatile long committed;
    /** Appends known flushed to the device: all of them in {@link AuditSync.Mode#EACH}. */
    private volatile long flushed;
    /** SQLite in {@link AuditSync.Mode#INTERVAL}: the background flush; else none. */
    private Flusher flusher;

    private Connection writer;

    private AuditTable(
            String name,
            Dialect dialect,
            ConnectionSource rows,
            ConnectionSource store,
            boolean ownsRows,
            AuditSync sync) {
        this.name = name;
        this.dialect = dialect;
        this.rows = rows;
        this.store = store;
        this.ownsRows = ownsRows;
        this.sync = sync;
    }

    /**
     * The embedded store's audit log in {@code file}. With {@code readOnly}, nothing is created or
     * moved; a store whose directory has no audit file yet reads the older table in the store.
     */
    static AuditTable sqlite(Path file, ConnectionSource store, boolean readOnly, int readers, AuditSync sync)
            throws SQLException {
        if (readOnly && !Files.exists(file)) {
            return new AuditTable(file.toString(), Dialect.SQLITE, store, store, false, sync);
        }
        if (!readOnly) {
            try {
                OwnerOnly.createFile(file);
                OwnerOnly.restrict(file.resolveSibling(file.getFileName() + "-wal"));
                OwnerOnly.restrict(file.resolveSibling(file.getFileName() + "-shm"));
            } catch (java.io.IOException e) {
                throw new SQLException("cannot make " + file + " owner-only", e);
            }
        }
        AuditTable t = new AuditTable(
                file.toString(), Dialect.SQLITE, ConnectionSource.sqlite(file, readOnly, readers), store, true, sync);
        if (!readOnly) {
            try {
                t.prepare();
                if (sync.mode() == AuditSync.Mode.INTERVAL) {
                    t.flusher = new Flusher(t, file.resolveSibling(file.getFileName() + "-wal"), sync.interval());
                }
            } catch (SQLException | RuntimeException e) {
                t.close();
                throw e;
            }
        }
        return t;
    }

    /** PostgreSQL: the store's own {@code audit} table, written on a connection of its own. */
    static AuditTable postgres(String name, ConnectionSource store, AuditSync sync) {
        return new AuditTable(name, Dialect.POSTGRESQL, store, store, false, sync);
    }

    /** Creates audit.db's tables, moves an older store's rows in, and finishes a redaction a crash cut short. */
    private void prepare() throws SQLException {
        synchronized (this) {
            Connection c = writer();
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at BIGINT NOT NULL, "
                        + "actor TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL, subject TEXT, "
                        + "status BIGINT NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS audit_at ON audit (at)");
                s.execute("CREATE INDEX IF NOT EXISTS audit_subject ON audit (subject, at)");
                s.execute("CREATE TABLE IF NOT EXISTS audit_meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL)");
            }
            c.commit();
            moveOlderRows(c);
            long newest = newestErasure();
            if (newest > redactedThrough(c)) {
                sweep(c);
                setRedactedThrough(c, newest);
                c.commit();
            }
        }
    }

    /**
     * Rows a store before this one kept in fusion.db's {@code audit} table: copied (ids kept, so a
     * copy cut short is finished without doubles), committed here, then deleted there.
     */
    private void moveOlderRows(Connection c) throws SQLException {
        try (Connection old = store.open()) {
            old.setAutoCommit(false);
            long moved = 0;
            try (Statement s = old.createStatement();
                    ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM audit ORDER BY id");
                    PreparedStatement ins = c.prepareStatement(
                            "INSERT OR IGNORE INTO audit (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)")) {
                while (rs.next()) {
                    for (int i = 1; i <= 7; i++) ins.setObject(i, rs.getObject(i));
                    ins.addBatch();
                    moved++;
                }
                if (moved > 0) ins.executeBatch();
            }
            if (moved == 0) {
                old.rollback();
                return;
            }
            c.commit();
            try (Statement s = old.createStatement()) {
                s.executeUpdate("DELETE FROM audit");
            }
            old.commit();
        }
    }

    private long newestErasure() throws SQLException {
        Connection c = store.borrow();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM erasures")) {
            return rs.next() ? rs.getLong(1) : 0;
        } finally {
            store.giveBack(c);
        }
    }

    private static long redactedThrough(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT value FROM audit_meta WHERE key = 'redacted_through'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void setRedactedThrough(Connection c, long erasure) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO audit_meta (key, value) VALUES ('redacted_through', ?) "
                        + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            ps.setLong(1, erasure);
            ps.executeUpdate();
        }
    }

    /** Every subject checked against the erased names' digests; those found become {@code erased}. */
    private void sweep(Connection c) throws SQLException {
        List<String> subjects = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT DISTINCT subject FROM audit WHERE subject IS NOT NULL AND subject NOT LIKE 'erased%'")) {
            while (rs.next()) subjects.add(rs.getString(1));
        }
        for (int from = 0; from < subjects.size(); from += 500) {
            Set<String> erased = erasedAmong(subjects.subList(from, Math.min(subjects.size(), from + 500)));
            redact(c, erased, "erased");
        }
    }

    private Set<String> erasedAmong(Collection<String> names) throws SQLException {
        Connection c = store.borrow();
        try {
            return Eraser.erasedNames(c, names);
        } finally {
            store.giveBack(c);
        }
    }

    private static void redact(Connection c, Collection<String> names, String replacement) throws SQLException {
        if (names.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit SET subject = ? WHERE subject = ?")) {
            for (String n : names) {
                ps.setString(1, replacement);
                ps.setString(2, n);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private Connection writer() throws SQLException {
        if (writer == null || writer.isClosed()) {
            writer = rows.open();
            if (relaxedSqlite()) {
                try (Statement s = writer.createStatement()) {
                    // commits write the WAL without an fsync; the flusher syncs it, and checkpoints
                    s.execute("PRAGMA synchronous=NORMAL");
                    s.execute("PRAGMA wal_autocheckpoint=0");
                    // a WAL restarted after the flusher's checkpoint is cut back to 1 MB, so the
                    // file's size keeps telling the flusher how much waits to be checkpointed
                    s.execute("PRAGMA journal_size_limit=1048576");
                }
            } else if (dialect == Dialect.POSTGRESQL && sync.mode() == AuditSync.Mode.INTERVAL) {
                try (Statement s = writer.createStatement()) {
                    // for the session, not SET LOCAL in each append: one round trip fewer per entry
                    s.execute("SET synchronous_commit TO off");
                }
            }
            writer.setAutoCommit(false);
        }
        return writer;
    }

    private boolean relaxedSqlite() {
        return ownsRows && sync.mode() == AuditSync.Mode.INTERVAL;
    }

    /** When an append counts as written, as the store was opened with. */
    AuditSync sync() {
        return sync;
    }

    /** Appends committed since the store opened. */
    long committed() {
        return committed;
    }

    /** Appends flushed to the device since the store opened: {@link #committed()} but for an interval's worth. */
    long flushed() {
        return flusher != null ? flusher.flushed() : flushed;
    }

    /** Checkpoints of audit.db's WAL made by the flusher (none without one). */
    long checkpoints() {
        return flusher != null ? flusher.checkpoints() : 0;
    }

    /**
     * Writes {@code entries}: on return they are committed, and flushed to the device unless the
     * store runs in {@link AuditSync.Mode#INTERVAL}. An entry about an erased name is stored with
     * subject {@code erased}. In interval mode a flush that failed refuses appends until one succeeds
     * (the audit log fails closed against the device too).
     */
    synchronized void append(List<AuditEntry> entries) {
        if (entries.isEmpty()) return;
        if (flusher != null) flusher.refuseIfFailing(name);
        if (dialect == Dialect.POSTGRESQL) {
            write("writing the audit log", true, false, c -> appendPostgres(c, entries));
        } else {
            write("writing the audit log", true, c -> appendSqlite(c, entries));
        }
        committed++;
        if (flusher == null) flushed = committed; // flushed by the commit itself (or PostgreSQL's WAL writer)
    }

    /**
     * PostgreSQL: the audit lock and the insert go in one round trip, then the commit in another (there
     * were four: the lock, the erased names, the insert, the commit; each about a millisecond on a
     * loaded machine, in every audited read's wait). The insert checks each subject against the
     * erased digests itself; the two statements run in order, and the insert's snapshot is taken when
     * it starts, after the lock is held, so an erasure committed before the lock was granted is seen,
     * as when the names were read in a statement of their own.
     */
    private static void appendPostgres(Connection c, List<AuditEntry> entries) throws SQLException {
        int n = entries.size();
        Long[] at = new Long[n];
        Long[] status = new Long[n];
        String[] actor = new String[n];
        String[] role = new String[n];
        String[] action = new String[n];
        String[] subject = new String[n];
        String[] digest = new String[n];
        for (int i = 0; i < n; i++) {
            AuditEntry e = entries.get(i);
            at[i] = e.at().toEpochMilli();
            actor[i] = e.actor();
            role[i] = e.role();
            action[i] = e.action();
            subject[i] = e.subject();
            digest[i] = e.subject() == null ? null : Eraser.identityDigest(e.subject());
            status[i] = (long) e.status();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?); "
                + "INSERT INTO audit (at, actor, role, action, subject, status) "
                + "SELECT v.at, v.actor, v.role, v.action, CASE WHEN EXISTS "
                + "(SELECT 1 FROM erased_messages e WHERE e.digest = v.digest) THEN 'erased' ELSE v.subject END, "
                + "v.status FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
                + "?::bigint[]) WITH ORDINALITY AS v(at, actor, role, action, subject, digest, status, n) "
                + "ORDER BY v.n")) {
            ps.setLong(1, ADVISORY_LOCK);
            ps.setArray(2, c.createArrayOf("bigint", at));
            ps.setArray(3, c.createArrayOf("text", actor));
            ps.setArray(4, c.createArrayOf("text", role));
            ps.setArray(5, c.createArrayOf("text", action));
            ps.setArray(6, c.createArrayOf("text", subject));
            ps.setArray(7, c.createArrayOf("text", digest));
            ps.setArray(8, c.createArrayOf("bigint", status));
            ps.execute(); // the lock's row, then the insert's count
            ps.getMoreResults();
            if (ps.getUpdateCount() != n) {
                throw new SQLException("the audit insert wrote " + ps.getUpdateCount() + " rows of " + n);
            }
        }
    }

    private void appendSqlite(Connection c, List<AuditEntry> entries) throws SQLException {
        Set<String> subjects = new java.util.HashSet<>();
        for (AuditEntry e : entries) if (e.subject() != null) subjects.add(e.subject());
        Set<String> erased = erasedAmong(subjects);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit (at, actor, role, action, subject, status) VALUES (?,?,?,?,?,?)")) {
            for (AuditEntry e : entries) {
                ps.setLong(1, e.at().toEpochMilli());
                ps.setString(2, e.actor());
                ps.setString(3, e.role());
                ps.setString(4, e.action());
                ps.setString(5, erased.contains(e.subject()) ? "erased" : e.subject());
                ps.setInt(6, e.status());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Replaces {@code subject} in every entry, flushed before it returns in either mode. */
    synchronized void redactSubject(String subject, String replacement) {
        write("redacting the audit log", false, c -> redact(c, List.of(subject), replacement));
        if (flusher != null) flusher.flushNow();
    }

    /**
     * SQLite, once erasure {@code erasure} has committed: its names leave audit.db, and the WAL is
     * emptied so no older page keeps them. PostgreSQL redacted them inside the erasure's own
     * transaction ({@link #holdForRedaction}); nothing to do.
     */
    synchronized void redactErased(long erasure, Collection<String> names) {
        if (!ownsRows) return;
        write("redacting the audit log after erasure #" + erasure, false, c -> {
            redact(c, names, "erased #" + erasure);
            if (erasure > redactedThrough(c)) setRedactedThrough(c, erasure);
        });
        try {
            dialect.scrubLog(writer());
            if (relaxedSqlite()) restartWal(writer());
        } catch (SQLException e) {
            // the next checkpoint empties it; the rows themselves are already redacted
        }
        if (flusher != null) flusher.flushNow(); // the redaction is on the device before the erasure answers
    }

    /**
     * Inside an erasure's transaction on PostgreSQL, before it redacts the {@code audit} table: waits
     * for an audit append under way and keeps new ones out until the erasure commits.
     */
    static void holdForRedaction(Connection c, Dialect dialect) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) return;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, ADVISORY_LOCK);
            ps.execute();
        }
    }

    /** The newest {@code limit} entries matching the filters (each null when not filtered on). */
    List<AuditEntry> query(String actor, String subject, Instant since, Instant until, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (actor != null) {
            sql.append(" AND actor = ?");
            args.add(actor);
        }
        if (subject != null) {
            sql.append(" AND subject = ?");
            args.add(subject);
        }
        if (since != null) {
            sql.append(" AND at >= ?");
            args.add(since.toEpochMilli());
        }
        if (until != null) {
            sql.append(" AND at < ?");
            args.add(until.toEpochMilli());
        }
        sql.append(" ORDER BY at DESC, id DESC LIMIT ").append(limit);
        Connection c = rows.borrow();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(
                            rs.getLong(1),
                            Instant.ofEpochMilli(rs.getLong(2)),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getInt(7)));
                }
            }
            return out;
        } finally {
            rows.giveBack(c);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(Connection c) throws SQLException;
    }

    /**
     * One transaction on the audit connection, under the advisory lock on PostgreSQL; a failure
     * drops the connection. On PostgreSQL in {@link AuditSync.Mode#INTERVAL} the connection's
     * session runs with {@code synchronous_commit} off, so an append ({@code relaxed}) commits
     * without waiting for its WAL flush, and any other write sets it on for its transaction.
     */
    private void write(String what, boolean relaxed, Step step) {
        write(what, relaxed, true, step);
    }

    /** {@code lock}: take the audit lock first (false: {@code step} takes it itself). */
    private void write(String what, boolean relaxed, boolean lock, Step step) {
        try {
            Connection c = writer();
            try {
                if (lock) holdForRedaction(c, dialect);
                if (!relaxed && dialect == Dialect.POSTGRESQL && sync.mode() == AuditSync.Mode.INTERVAL) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SET LOCAL synchronous_commit TO on"); // a redaction waits for its flush
                    }
                }
                step.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                drop();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreFailure(what + " in " + name, e);
        }
    }

    private void drop() {
        if (writer == null) return;
        try {
            writer.rollback();
        } catch (SQLException ignored) {
            // the connection is closed next
        }
        try {
            writer.close();
        } catch (SQLException ignored) {
            // nothing more to do with it
        }
        writer = null;
    }

    /**
     * SQLite, by the flusher under this object's monitor when the WAL has grown past
     * {@link Flusher#CHECKPOINT_BYTES}: moves the WAL into audit.db (the checkpoint syncs both), then
     * commits one small write, which restarts the WAL from its start and syncs its new header here
     * rather than in the next request's commit.
     */
    synchronized void checkpoint() throws SQLException {
        Connection c = writer();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
        }
        restartWal(c);
    }

    /**
     * After a checkpoint on {@code c}: one small commit, which starts the WAL again from its start
     * and, under {@code synchronous=NORMAL}, fsyncs its new header; made here so that this fsync is
     * not the next request's.
     */
    private static void restartWal(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_meta (key, value) VALUES ('checkpoints', 1) "
                + "ON CONFLICT (key) DO UPDATE SET value = value + 1")) {
            ps.executeUpdate();
        }
        c.commit();
    }

    @Override
    public void close() {
        if (flusher != null) flusher.close(); // its last flush, before the connections go
        closeConnections();
    }

    private synchronized void closeConnections() {
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException ignored) {
                // closing
            }
            writer = null;
        }
        if (ownsRows) rows.close();
    }
}
