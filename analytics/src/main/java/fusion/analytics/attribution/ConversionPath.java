package fusion.analytics.attribution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One distinct path and how often it ended each way: a row of {@code paths.csv}.
 *
 * @param channels    the touches in order, as recorded (repeats included)
 * @param conversions how many journeys along this path converted
 * @param value       their total conversion value
 * @param nulls       how many journeys along this path ended without converting
 */
public record ConversionPath(List<String> channels, long conversions, BigDecimal value, long nulls) {

    public ConversionPath {
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("path: must have at least one channel");
        }
        if (conversions < 0 || nulls < 0) {
            throw new IllegalArgumentException("path " + channels + ": counts must be >= 0 but were " + conversions
                    + " conversions and " + nulls + " nulls");
        }
        if (value == null) {
            throw new IllegalArgumentException("path " + channels + ": value must not be null");
        }
    }

    /** How many journeys this row stands for. */
    public long journeys() {
        return conversions + nulls;
    }

    /**
     * The path with repeated consecutive channels collapsed to one ({@code a > a > b} is
     * {@code a > b}): the convention every method here uses, so that a channel is not credited
     * for a customer reloading the same page.
     */
    public List<String> collapsed() {
        return collapse(channels);
    }

    static List<String> collapse(List<String> channels) {
        List<String> out = new ArrayList<>(channels.size());
        for (String c : channels) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(c)) {
                out.add(c);
            }
        }
        return out;
    }
}
