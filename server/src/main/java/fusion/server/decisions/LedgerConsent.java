package fusion.server.decisions;

import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import fusion.decisions.ConsentCheck;
import fusion.decisions.ConsentVerdict;
import fusion.server.privacy.ConsentService;

/**
 * The decisions module's {@link ConsentCheck} answered by Fusion's consent ledger. Both sides use
 * {@code core}'s {@link ConsentPurpose}; the module keeps only its own small verdict type, which this
 * adapter translates. It reads the person's ledger afresh on every call, so a revocation recorded
 * a millisecond ago stops the next attempt.
 *
 * <p>{@code MARKETING} is asked on the contact's channel (a grant for email says nothing about
 * SMS); every other purpose ({@code CONTRACT} for fixing the customer's own problem, allowed until
 * refused; {@code PERSONALISATION}) is asked without a channel, as the ledger records it.
 */
public final class LedgerConsent {
    private LedgerConsent() {}

    public static ConsentCheck of(ConsentService ledger, String profile) {
        return (purpose, channel, at) -> {
            fusion.core.consent.ConsentVerdict v = ledger.check(profile, purpose, channelFor(purpose, channel), at);
            return new ConsentVerdict(v.allowed(), v.code() + ": " + v.reason());
        };
    }

    /** The same over a ledger already read (a simulation replaying history checks it at each instant). */
    public static ConsentCheck of(
            fusion.core.consent.ConsentPolicy policy, java.util.List<fusion.core.consent.ConsentRecord> history) {
        return (purpose, channel, at) -> {
            fusion.core.consent.ConsentVerdict v = policy.check(history, purpose, channelFor(purpose, channel), at);
            return new ConsentVerdict(v.allowed(), v.code() + ": " + v.reason());
        };
    }

    private static String channelFor(ConsentPurpose p, Channel c) {
        return p == ConsentPurpose.MARKETING ? c.label() : null;
    }
}
