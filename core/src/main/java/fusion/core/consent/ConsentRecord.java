package fusion.core.consent;

import java.time.Instant;
import java.util.Locale;

/**
 * One entry of a person's consent ledger: a grant or a revocation for a purpose, on one channel
 * or on all of them, from a source, at a time, with an optional expiry. The ledger is append-only:
 * a later entry overrides an earlier one, nothing is edited.
 *
 * @param channel {@link #ANY_CHANNEL} when the entry covers every channel
 * @param expires when a grant stops counting; null when the source gave no expiry (the
 *                {@link ConsentPolicy} may still cap a grant's age)
 */
public record ConsentRecord(
        ConsentPurpose purpose, String channel, boolean granted, Instant at, Instant expires, String source) {
    public static final String ANY_CHANNEL = "";

    public ConsentRecord {
        if (purpose == null) throw new IllegalArgumentException("purpose must not be null");
        if (at == null) throw new IllegalArgumentException("at must not be null");
        channel = channel == null ? ANY_CHANNEL : channel.trim().toLowerCase(Locale.ROOT);
        source = source == null || source.isBlank() ? "unknown" : source;
        if (!granted) expires = null;
    }

    /** Whether this entry speaks about {@code channel} ({@link #ANY_CHANNEL} entries speak about all). */
    public boolean covers(String channel) {
        return this.channel.isEmpty() || this.channel.equals(channel == null ? ANY_CHANNEL : channel);
    }
}
