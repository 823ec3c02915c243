package fusion.decisions;

import fusion.core.model.Channel;
import java.time.Instant;
import java.util.Objects;

/**
 * An action already decided for the customer, at the instant it is (or will be) sent: the input to
 * frequency caps and cooldowns. A deferred send has an instant in the future and counts all the
 * same, so a decision taken during quiet hours cannot be doubled by the next event.
 */
public record SentAction(String actionId, Channel channel, Instant at, String decisionId) {
    public SentAction {
        Objects.requireNonNull(actionId, "actionId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(decisionId, "decisionId");
    }
}
