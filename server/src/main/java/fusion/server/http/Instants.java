package fusion.server.http;

import fusion.core.model.InvalidInput;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Instants the API takes as parameters ({@code at}, {@code starts}, {@code since}...): ISO-8601,
 * between {@link #EARLIEST} and {@link #LATEST}. ISO-8601 itself allows years of nine digits, and
 * arithmetic on those (a day's end, a decay's age in milliseconds) overflows: such a value is
 * the caller's mistake, answered 400 naming the field, not a 500.
 */
final class Instants {
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private Instants() {}

    static Instant parse(String field, String raw) {
        Instant t;
        try {
            t = Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidInput(
                    field, "expected an ISO-8601 instant like 2026-11-24T00:00:00Z but was '" + raw + "'");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new InvalidInput(field, "must lie between " + EARLIEST + " and " + LATEST + " but was " + raw.trim());
        }
        return t;
    }
}
