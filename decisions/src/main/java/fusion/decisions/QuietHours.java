package fusion.decisions;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * A daily span of local time during which nothing is sent ({@code 21:00-08:00} by default),
 * evaluated in the customer's own time zone. The span may cross midnight; {@code start == end}
 * means no quiet hours.
 */
public record QuietHours(LocalTime start, LocalTime end) {
    public static final QuietHours NONE = new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

    public QuietHours {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    public boolean isQuiet(Instant at, ZoneId zone) {
        if (start.equals(end)) {
            return false;
        }
        LocalTime t = at.atZone(zone).toLocalTime();
        return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
    }

    /**
     * {@code at} itself when it is not quiet, else the first instant the quiet span ends. Around a
     * daylight-saving gap the zone rules move the local end forward, which is still after the
     * span.
     */
    public Instant nextAllowed(Instant at, ZoneId zone) {
        if (!isQuiet(at, zone)) {
            return at;
        }
        ZonedDateTime local = at.atZone(zone);
        ZonedDateTime endToday = local.with(end).withNano(0);
        if (!endToday.isAfter(local)) {
            endToday = local.plusDays(1).with(end).withNano(0);
        }
        return endToday.toInstant();
    }
}
