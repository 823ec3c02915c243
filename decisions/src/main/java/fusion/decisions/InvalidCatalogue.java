package fusion.decisions;

/** A catalogue file that cannot be used; the message names the JSON path and the value. */
public final class InvalidCatalogue extends RuntimeException {
    public InvalidCatalogue(String path, String problem) {
        super(path + ": " + problem);
    }
}
