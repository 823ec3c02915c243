package fusion.server.log;

/**
 * The log (a Kafka cluster) did not acknowledge every call of a batch in time: not the caller's
 * fault, and the batch was not acknowledged, so the caller sends it again (calls that did reach
 * the log are then dropped as duplicates by their messageId downstream). Maps to 503 with
 * Retry-After.
 */
public final class LogUnavailable extends RuntimeException {
    public static final int RETRY_AFTER_SECONDS = 5;

    public LogUnavailable(String what, Throwable cause) {
        super(cause == null ? what : what + ": " + cause.getMessage(), cause);
    }
}
