package fusion.server.access;

/**
 * An audit entry could not be made durable, so the request it records is not answered (503):
 * personal data is never served unaudited.
 */
public final class AuditUnavailable extends RuntimeException {
    public AuditUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
