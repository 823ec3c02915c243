package fusion.decisions.delivery;

import fusion.core.model.Channel;
import java.time.Instant;

/**
 * A decision that could not be delivered, kept with its exact body so that it can be re-sent
 * under the same idempotency key after the receiver is fixed.
 *
 * @param idempotencyKey the decision id
 * @param channel        the channel it was for
 * @param body           the JSON body, byte for byte as signed
 * @param attempts       attempts made (0 when none could be)
 * @param lastStatus     the last HTTP status, or 0 when there was none (timeout, refused)
 * @param reason         why it was given up, in words
 * @param at             when it was given up
 */
public record DeadLetter(
        String idempotencyKey, Channel channel, byte[] body, int attempts, int lastStatus, String reason, Instant at) {
    public DeadLetter {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
