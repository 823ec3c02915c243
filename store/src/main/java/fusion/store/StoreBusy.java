package fusion.store;

/**
 * The store is doing something that holds its single writer for a while (erasing a person
 * rebuilds every derived table), so a batch is not queued behind it: come back after
 * {@link #retryAfterSeconds()}. Nothing of the batch was stored. Maps to 503 with Retry-After.
 */
public final class StoreBusy extends RuntimeException {
    private final int retryAfterSeconds;

    public StoreBusy(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
