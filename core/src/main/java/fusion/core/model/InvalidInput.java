package fusion.core.model;

/**
 * Input that is well-formed but does not fit: a wrong type, a value out of range, a missing
 * required field. The message always starts with the field's path, so a client can fix it
 * ({@code "properties.revenue: expected a number but was 'abc'"}). Mapped to HTTP 400.
 */
public final class InvalidInput extends RuntimeException {
    private final String field;
    private final String problem;

    public InvalidInput(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** What is wrong, without the field. */
    public String problem() {
        return problem;
    }

    /** The path of the offending field, such as {@code batch[3].userId}. */
    public String field() {
        return field;
    }

    /** The same problem, located inside an enclosing element such as {@code batch[3]}. */
    public InvalidInput within(String prefix) {
        return new InvalidInput(prefix + "." + field, problem);
    }
}
