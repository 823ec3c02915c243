package fusion.decisions;

import fusion.core.model.Channel;
import fusion.core.model.InvalidInput;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Caps and quiet hours from a one-line spec, as the {@code --limits} option takes them, changing
 * the defaults of {@link DecisionConfig#defaults()}:
 * {@code overall=3/P7D, email=1/P1D, sms=2/P1D, quiet=21:00-08:00} ({@code quiet=none} turns quiet
 * hours off). A bad part fails naming it.
 */
public final class Limits {
    private Limits() {}

    public static DecisionConfig parse(String spec) {
        DecisionConfig config = DecisionConfig.defaults();
        if (spec == null || spec.isBlank()) return config;
        FrequencyCaps caps = config.caps();
        QuietHours quiet = config.quietHours();
        for (String raw : spec.split(",")) {
            String part = raw.trim();
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            if (eq < 0) throw bad(part, "expected key=value");
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).trim();
            if (key.equals("quiet")) {
                quiet = quietHours(part, value);
            } else if (key.equals("overall")) {
                FrequencyCaps.Cap c = cap(part, value);
                caps = new FrequencyCaps(caps.perChannel(), c);
            } else {
                Channel channel;
                try {
                    channel = Channel.parse("limits", key);
                } catch (InvalidInput e) {
                    throw bad(part, "'" + key + "' is neither overall, quiet nor a channel");
                }
                FrequencyCaps.Cap c = cap(part, value);
                caps = caps.withChannel(channel, c.max(), c.window());
            }
        }
        return config.withCaps(caps).withQuietHours(quiet);
    }

    private static FrequencyCaps.Cap cap(String part, String value) {
        int slash = value.indexOf('/');
        if (slash < 0) throw bad(part, "expected COUNT/DURATION like 3/P7D");
        int max;
        try {
            max = Integer.parseInt(value.substring(0, slash).trim());
        } catch (NumberFormatException e) {
            throw bad(part, "the count must be a whole number");
        }
        Duration window;
        try {
            window = Duration.parse(value.substring(slash + 1).trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw bad(part, "the window must be an ISO-8601 duration like P7D or PT12H");
        }
        if (max < 0 || window.isNegative() || window.isZero())
            throw bad(part, "expected a count >= 0 and a positive window");
        return new FrequencyCaps.Cap(max, window);
    }

    private static QuietHours quietHours(String part, String value) {
        if (value.equalsIgnoreCase("none")) return QuietHours.NONE;
        String[] hm = value.split("-");
        if (hm.length != 2) throw bad(part, "expected HH:MM-HH:MM or none");
        try {
            return new QuietHours(LocalTime.parse(hm[0].trim()), LocalTime.parse(hm[1].trim()));
        } catch (DateTimeParseException e) {
            throw bad(part, "expected HH:MM-HH:MM or none");
        }
    }

    private static InvalidInput bad(String part, String problem) {
        return new InvalidInput("limits", "'" + part + "': " + problem);
    }
}
