package fusion.decisions;

import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import java.time.Instant;

/**
 * Asks the consent ledger whether data may be used for a purpose on a channel at an instant.
 * Consent is not a perpetual licence: the service asks at the moment of use (and again at the
 * deferred send time), never caches a verdict, and treats an expired grant as no grant.
 */
@FunctionalInterface
public interface ConsentCheck {
    ConsentVerdict check(ConsentPurpose purpose, Channel channel, Instant at);

    /** Every use allowed: for tests and simulations of an all-consenting population. */
    ConsentCheck ALLOW_ALL = (p, c, t) -> ConsentVerdict.allow("all uses allowed");

    /** Nothing allowed: what an unknown customer gets. */
    ConsentCheck DENY_ALL = (p, c, t) -> ConsentVerdict.deny("no consent recorded");
}
