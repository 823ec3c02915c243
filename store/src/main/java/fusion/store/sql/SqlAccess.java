package fusion.store.sql;

import fusion.store.Access;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Credentials and the audit log. Credentials are written through the store's single writer, between
 * batches (SQLite allows one writer per file; a second connection writing would make the writer's
 * next transaction fail on a stale snapshot); reads use the read connections. The audit log has a
 * write path of its own ({@link AuditTable}), so a read's audit entry does not wait for ingest.
 */
final class SqlAccess implements Access {
    private final SqlStore store;

    SqlAccess(SqlStore store) {
        this.store = store;
    }

    /** Work on a connection, in the writer's transaction or on a reader. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T write(String what, Work<T> work) {
        return store.writeWith(what, work);
    }

    private <T> T run(String what, Work<T> work) {
        return store.readWith(what, work);
    }

    @Override
    public void addCredential(Credential k) {
        write("adding a credential", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO credentials (id, kind, name, role, hash, created, revoked) VALUES (?,?,?,?,?,?,?)")) {
                ps.setString(1, k.id());
                ps.setString(2, k.kind().label());
                ps.setString(3, k.name());
                ps.setString(4, k.role());
                ps.setString(5, k.hash());
                ps.setLong(6, k.created().toEpochMilli());
                if (k.revoked() == null) ps.setNull(7, Types.BIGINT);
                else ps.setLong(7, k.revoked().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Credential> credentials(Access.Kind kind) {
        return run("listing credentials", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, kind, name, role, hash, created, revoked FROM credentials WHERE kind = ? ORDER BY created, id")) {
                ps.setString(1, kind.label());
                return list(ps);
            }
        });
    }

    @Override
    public Optional<Credential> credentialByHash(String hash) {
        return run("looking up a credential", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, kind, name, role, hash, created, revoked FROM credentials WHERE hash = ?")) {
                ps.setString(1, hash);
                return list(ps).stream().findFirst();
            }
        });
    }

    @Override
    public boolean revokeCredential(String id, Instant at) {
        return write("revoking a credential", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE credentials SET revoked = ? WHERE id = ? AND revoked IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static List<Credential> list(PreparedStatement ps) throws SQLException {
        List<Credential> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long revoked = rs.getLong(7);
                Instant revokedAt = rs.wasNull() ? null : Instant.ofEpochMilli(revoked);
                out.add(new Credential(
                        rs.getString(1),
                        Access.Kind.of(rs.getString(2)),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        Instant.ofEpochMilli(rs.getLong(6)),
                        revokedAt));
            }
        }
        return out;
    }

    @Override
    public void appendAudit(List<AuditEntry> entries) {
        store.audit().append(entries); // not through the ingest writer: AuditTable says why
    }

    @Override
    public String auditSync() {
        return store.audit().sync().describe();
    }

    @Override
    public void redactSubject(String subject, String replacement) {
        store.audit().redactSubject(subject, replacement);
    }

    @Override
    public List<AuditEntry> audit(String actor, String subject, Instant since, Instant until, int limit) {
        try {
            return store.audit().query(actor, subject, since, until, limit);
        } catch (SQLException e) {
            throw new fusion.store.StoreFailure("reading the audit log", e);
        }
    }
}
