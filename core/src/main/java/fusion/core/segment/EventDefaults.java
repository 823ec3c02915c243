package fusion.core.segment;

import fusion.core.model.Channel;
import fusion.core.model.Initiator;
import fusion.core.model.Need;
import fusion.core.model.Purpose;
import java.util.Optional;

/**
 * What an event name means when its properties do not say: its purpose, who initiates it, the
 * usual channel (empty: taken from the call's context), whether it settles a need, value the
 * brand gives with it, and whether its amount is money returned (a refund).
 */
public record EventDefaults(
        Purpose purpose,
        Initiator initiator,
        Optional<Channel> channel,
        Need need,
        double valueReceived,
        boolean moneyReturned,
        int repeatContacts) {

    public static EventDefaults of(Purpose purpose) {
        return new EventDefaults(purpose, Initiator.CONSUMER, Optional.empty(), Need.UNKNOWN, 0, false, 0);
    }

    public EventDefaults initiatedByBrand() {
        return new EventDefaults(purpose, Initiator.BRAND, channel, need, valueReceived, moneyReturned, repeatContacts);
    }

    public EventDefaults on(Channel c) {
        return new EventDefaults(
                purpose, initiator, Optional.of(c), need, valueReceived, moneyReturned, repeatContacts);
    }

    public EventDefaults settles(Need n) {
        return new EventDefaults(purpose, initiator, channel, n, valueReceived, moneyReturned, repeatContacts);
    }

    public EventDefaults gives(double value) {
        return new EventDefaults(purpose, initiator, channel, need, value, moneyReturned, repeatContacts);
    }

    public EventDefaults returnsMoney() {
        return new EventDefaults(purpose, initiator, channel, need, valueReceived, true, repeatContacts);
    }

    public EventDefaults repeats() {
        return new EventDefaults(purpose, initiator, channel, need, valueReceived, moneyReturned, repeatContacts + 1);
    }
}
