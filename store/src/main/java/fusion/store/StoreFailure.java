package fusion.store;

/** The database failed (I/O, lost connection, corruption): not the caller's fault. Maps to 503. */
public final class StoreFailure extends RuntimeException {
    public StoreFailure(String what, Throwable cause) {
        super(cause == null ? what : what + ": " + cause.getMessage(), cause);
    }
}
