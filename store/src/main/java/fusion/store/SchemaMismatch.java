package fusion.store;

/** The database's schema is not the one this build works with: newer (upgrade Fusion) or older (migrate). */
public final class SchemaMismatch extends RuntimeException {
    public SchemaMismatch(String message) {
        super(message);
    }
}
