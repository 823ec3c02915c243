package fusion.analytics.journey;

import java.time.Duration;
import java.util.function.Function;

/**
 * How interactions are cut into journeys and compared.
 *
 * @param dropOutGap    a journey ends when its party has no interaction with the brand for longer
 *                      than this; its last step is then where it stalled, unless it was a purchase
 *                      or a renewal
 * @param leakageWindow a purchase at brand B counts as leaked from brand A when the party researched
 *                      at A's contact points at most this long before
 * @param topPaths      how many of the most frequent paths to report per segment and brand
 * @param segmentOf     the segment of a party (e.g. from its profile); {@link #ALL} puts everyone in one
 */
public record JourneySettings(
        Duration dropOutGap, Duration leakageWindow, int topPaths, Function<String, String> segmentOf) {

    /** Every party in the segment {@code "all"}. */
    public static final Function<String, String> ALL = party -> "all";

    public JourneySettings {
        if (dropOutGap == null || dropOutGap.isNegative() || dropOutGap.isZero()) {
            throw new IllegalArgumentException("dropOutGap: expected a positive duration but was " + dropOutGap);
        }
        if (leakageWindow == null || leakageWindow.isNegative()) {
            throw new IllegalArgumentException("leakageWindow: expected a duration >= 0 but was " + leakageWindow);
        }
        if (topPaths < 0) {
            throw new IllegalArgumentException("topPaths: expected >= 0 but was " + topPaths);
        }
        if (segmentOf == null) {
            throw new IllegalArgumentException("segmentOf: must not be null; use JourneySettings.ALL");
        }
    }

    /** A 30-day drop-out gap, a 14-day leakage window, the top 10 paths, one segment. */
    public static JourneySettings defaults() {
        return new JourneySettings(Duration.ofDays(30), Duration.ofDays(14), 10, ALL);
    }
}
