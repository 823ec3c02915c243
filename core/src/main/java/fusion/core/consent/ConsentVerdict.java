package fusion.core.consent;

import java.time.Instant;

/**
 * The answer to "may this person's data be used for this purpose on this channel now?", with the
 * entry it rests on (null when it rests on the default).
 *
 * @param code one of {@code granted}, {@code revoked}, {@code expired}, {@code default_allowed},
 *             {@code never_granted}: stable, for machines
 * @param reason a sentence for people
 * @param validUntil when an allowing verdict stops being true (null when it does not expire)
 */
public record ConsentVerdict(
        boolean allowed,
        ConsentPurpose purpose,
        String channel,
        Instant at,
        String code,
        String reason,
        ConsentRecord basis,
        Instant validUntil) {}
