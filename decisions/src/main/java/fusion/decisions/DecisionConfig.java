package fusion.decisions;

import fusion.core.model.Channel;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Objects;

/**
 * The limits every decision respects: frequency caps, quiet hours, and how far back intent is
 * inferred. Validated when built; immutable after.
 */
public record DecisionConfig(FrequencyCaps caps, QuietHours quietHours, IntentInference.Settings intent) {

    public DecisionConfig {
        Objects.requireNonNull(caps, "caps");
        Objects.requireNonNull(quietHours, "quietHours");
        Objects.requireNonNull(intent, "intent");
    }

    /**
     * Three contacts a week overall, one a day per messaging channel, quiet from 21:00 to 08:00
     * local time.
     */
    public static DecisionConfig defaults() {
        FrequencyCaps caps = FrequencyCaps.overall(3, Duration.ofDays(7));
        for (Channel c : new Channel[] {
            Channel.EMAIL,
            Channel.MESSAGING,
            Channel.APP,
            Channel.PHONE,
            Channel.VIDEO,
            Channel.SOCIAL,
            Channel.CHAT,
            Channel.STORE
        }) {
            caps = caps.withChannel(c, 1, Duration.ofDays(1));
        }
        return new DecisionConfig(
                caps, new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)), IntentInference.Settings.defaults());
    }

    public DecisionConfig withCaps(FrequencyCaps c) {
        return new DecisionConfig(c, quietHours, intent);
    }

    public DecisionConfig withQuietHours(QuietHours q) {
        return new DecisionConfig(caps, q, intent);
    }
}
