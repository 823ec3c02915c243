package fusion.server.access;

/** Missing or wrong credentials. Maps to 401 and says nothing about what exists. */
public final class Unauthorized extends RuntimeException {
    public Unauthorized(String message) {
        super(message);
    }
}
