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
 * is stored as {@code erased}; the check ({@link Eraser#erasedNames}) and the insert run under the
 * audit lock, and so does the erasure's redaction of earlier entries, after the erasure has
 * committed its digests. Either an append takes the lock first (and the redaction that follows
 * finds its row), or it takes it after the redaction (and its check sees the committed digests).
 * On SQLite the lock is this object's monitor (one process owns the data directory); the erasure
 * redacts {@code audit.db} once its own transaction has committed ({@link #redactErased}), and a
 * crash in between is repaired when the store next opens: {@code audit_meta} records the newest
 * erasure whose redaction is done, and a store that finds a newer one checks every subject. On
 * PostgreSQL, where several servers may share the database, the lock is a transaction-scoped
 * advisory lock ({@link #ADVISORY_LOCK}) that the erasure's own transaction also takes before it
 * redacts the table ({@link #holdForRedaction}).
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
    private Connection writer;

    private AuditTable(String name, Dialect dialect, ConnectionSource rows, ConnectionSource store, boolean ownsRows) {
        this.name = name;
        this.dialect = dialect;
        this.rows = rows;
        this.store = store;
        this.ownsRows = ownsRows;
    }

    /**
     * The embedded store's audit log in {@code file}. With {@code readOnly}, nothing is created or
     * moved; a store whose directory has no audit file yet reads the older table in the store.
     */
    static AuditTable sqlite(Path file, ConnectionSource store, boolean readOnly, int readers) throws SQLException {
        if (readOnly && !Files.exists(file)) {
            return new AuditTable(file.toString(), Dialect.SQLITE, store, store, false);
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
                file.toString(), Dialect.SQLITE, ConnectionSource.sqlite(file, readOnly, readers), store, true);
        if (!readOnly) {
            try {
                t.prepare();
            } catch (SQLException | RuntimeException e) {
                t.close();
                throw e;
            }
        }
        return t;
    }

    /** PostgreSQL: the store's own {@code audit} table, written on a connection of its own. */
    static AuditTable postgres(String name, ConnectionSource store) {
        return new AuditTable(name, Dialect.POSTGRESQL, store, store, false);
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
            writer.setAutoCommit(false);
        }
        return writer;
    }

    /** Writes {@code entries} durably; an entry about an erased name is stored with subject {@code erased}. */
    synchronized void append(List<AuditEntry> entries) {
        if (entries.isEmpty()) return;
        write("writing the audit log", c -> {
            Set<String> subjects = new java.util.HashSet<>();
            for (AuditEntry e : entries) if (e.subject() != null) subjects.add(e.subject());
            // PostgreSQL: after the lock, on this connection, so a committed erasure is seen
            Set<String> erased =
                    dialect == Dialect.POSTGRESQL ? Eraser.erasedNames(c, subjects) : erasedAmong(subjects);
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
        });
    }

    /** Replaces {@code subject} in every entry. */
    synchronized void redactSubject(String subject, String replacement) {
        write("redacting the audit log", c -> redact(c, List.of(subject), replacement));
    }

    /**
     * SQLite, once erasure {@code erasure} has committed: its names leave audit.db, and the WAL is
     * emptied so no older page keeps them. PostgreSQL redacted them inside the erasure's own
     * transaction ({@link #holdForRedaction}); nothing to do.
     */
    synchronized void redactErased(long erasure, Collection<String> names) {
        if (!ownsRows) return;
        write("redacting the audit log after erasure #" + erasure, c -> {
            redact(c, names, "erased #" + erasure);
            if (erasure > redactedThrough(c)) setRedactedThrough(c, erasure);
        });
        try {
            dialect.scrubLog(writer());
        } catch (SQLException e) {
            // the next checkpoint empties it; the rows themselves are already redacted
        }
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

    /** One transaction on the audit connection, under the advisory lock on PostgreSQL; a failure drops the connection. */
    private void write(String what, Step step) {
        try {
            Connection c = writer();
            try {
                holdForRedaction(c, dialect);
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

    @Override
    public synchronized void close() {
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
