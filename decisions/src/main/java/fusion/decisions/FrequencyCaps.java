package fusion.decisions;

import fusion.core.model.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * At most {@code max} sends in any window of {@code window}, per channel and over all channels.
 *
 * <p>A send at {@code t} is allowed only when fewer than {@code max} sends lie strictly within
 * {@code window} of {@code t} on either side. That is stricter than looking back only, and it is
 * what keeps the cap true for every sliding window once deferred (future) sends exist: any window
 * holding {@code t} lies inside {@code (t - window, t + window)}.
 */
public record FrequencyCaps(Map<Channel, Cap> perChannel, Cap overall) {

    /** At most {@code max} sends in any {@code window}. */
    public record Cap(int max, Duration window) {
        public Cap {
            Objects.requireNonNull(window, "window");
            if (max < 0) {
                throw new IllegalArgumentException("cap max: expected >= 0 but was " + max);
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("cap window: expected > 0 but was " + window);
            }
        }

        boolean allows(Collection<SentAction> sent, Channel channelOrNull, Instant at) {
            long near = sent.stream()
                    .filter(s -> channelOrNull == null || s.channel() == channelOrNull)
                    .filter(s -> Duration.between(s.at(), at).abs().compareTo(window) < 0)
                    .count();
            return near < max;
        }
    }

    public FrequencyCaps {
        perChannel = perChannel.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(perChannel));
        Objects.requireNonNull(overall, "overall");
    }

    /** No channel cap beyond the overall one. */
    public static FrequencyCaps overall(int max, Duration window) {
        return new FrequencyCaps(Map.of(), new Cap(max, window));
    }

    public FrequencyCaps withChannel(Channel channel, int max, Duration window) {
        Map<Channel, Cap> m = new EnumMap<>(Channel.class);
        m.putAll(perChannel);
        m.put(channel, new Cap(max, window));
        return new FrequencyCaps(m, overall);
    }

    public Optional<Cap> channelCap(Channel channel) {
        return Optional.ofNullable(perChannel.get(channel));
    }
}
