package fusion.server.http;

/**
 * Input that cannot be read at all: broken JSON, bad gzip, invalid UTF-8, a body that is not an
 * object. Data that can be read but does not fit is {@link fusion.core.model.InvalidInput}. Both
 * map to 400.
 */
public final class MalformedInput extends RuntimeException {
    public MalformedInput(String message) {
        super(message);
    }
}
