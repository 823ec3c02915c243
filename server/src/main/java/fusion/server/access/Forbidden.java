package fusion.server.access;

/** An authenticated caller asked for something their role or the person's consent does not allow (403). */
public class Forbidden extends RuntimeException {
    private final String code;

    public Forbidden(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
