package fusion.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who may use Fusion: write keys per source and API tokens with roles, kept hashed, and the
 * audit log of what they did with personal data. These records are about Fusion's users, not
 * derived from the event log, so replay and erasure leave them alone (except that an erasure
 * takes the erased person's id out of the audit log).
 */
public interface Access {

    /** A write key or an API token. */
    record Credential(String id, Kind kind, String name, String role, String hash, Instant created, Instant revoked) {
        public boolean active() {
            return revoked == null;
        }
    }

    /** One line of the audit log: {@code actor} (a credential's name and id) did {@code action} to {@code subject}. */
    record AuditEntry(long id, Instant at, String actor, String role, String action, String subject, int status) {}

    /** What a credential is; stored as its {@link #label()} in {@code credentials.kind}. */
    enum Kind {
        /** A write key: sends events. */
        WRITE,
        /** An API token: reads and administers, within its role. */
        TOKEN;

        /** The word stored: {@code write}, {@code token}. */
        public String label() {
            return StoredValues.label(this);
        }

        public static Kind of(String stored) {
            return StoredValues.parse(Kind.class, "credentials.kind", stored, Kind::label);
        }
    }

    void addCredential(Credential c);

    List<Credential> credentials(Kind kind);

    /** The credential with this hash, active or not. */
    Optional<Credential> credentialByHash(String hash);

    /** Marks it revoked; false when there is no such active credential. */
    boolean revokeCredential(String id, Instant at);

    void appendAudit(List<AuditEntry> entries);

    /** Replaces {@code subject} in every audit entry (an erased person's id leaves the log). */
    void redactSubject(String subject, String replacement);

    /** The newest entries first, filtered by actor, subject and time when those are non-null. */
    List<AuditEntry> audit(String actor, String subject, Instant since, Instant until, int limit);

    /**
     * When an appended entry counts as written, for the startup line and {@code /health}:
     * {@code each} (flushed to the device before {@link #appendAudit} returns) or, e.g.,
     * {@code interval 100 ms} (committed, and flushed within that long).
     */
    default String auditSync() {
        return "each";
    }
}
