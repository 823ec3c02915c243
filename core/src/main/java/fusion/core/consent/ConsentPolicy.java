package fusion.core.consent;

import fusion.core.model.InvalidInput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the consent ledger is read: what each purpose defaults to when a person never said, and
 * how long a grant lasts when its source gave no expiry. Consent is not a perpetual licence: by
 * default a marketing or personalisation grant lapses after a year, a sharing grant after six
 * months, unless renewed.
 */
public final class ConsentPolicy {
    private final Map<ConsentPurpose, Boolean> defaults;
    private final Map<ConsentPurpose, Duration> maxAge;

    public ConsentPolicy(Map<ConsentPurpose, Boolean> defaults, Map<ConsentPurpose, Duration> maxAge) {
        this.defaults = new EnumMap<>(ConsentPurpose.class);
        this.maxAge = new EnumMap<>(ConsentPurpose.class);
        for (ConsentPurpose p : ConsentPurpose.values()) {
            Boolean d = defaults.get(p);
            if (d == null) throw new IllegalArgumentException("no default for purpose " + p.label());
            this.defaults.put(p, d);
        }
        this.maxAge.putAll(maxAge);
    }

    /**
     * The documented defaults (docs/CONSENT.md): analytics and the service of a contract are
     * allowed until refused; personalisation, marketing and sharing are denied until granted.
     */
    public static ConsentPolicy standard() {
        Map<ConsentPurpose, Boolean> d = new EnumMap<>(ConsentPurpose.class);
        d.put(ConsentPurpose.ANALYTICS, true);
        d.put(ConsentPurpose.CONTRACT, true);
        d.put(ConsentPurpose.PERSONALISATION, false);
        d.put(ConsentPurpose.MARKETING, false);
        d.put(ConsentPurpose.SHARING, false);
        Map<ConsentPurpose, Duration> age = new EnumMap<>(ConsentPurpose.class);
        age.put(ConsentPurpose.PERSONALISATION, Duration.ofDays(365));
        age.put(ConsentPurpose.MARKETING, Duration.ofDays(365));
        age.put(ConsentPurpose.SHARING, Duration.ofDays(182));
        return new ConsentPolicy(d, age);
    }

    /**
     * The standard policy changed by a spec like {@code "personalisation=granted,marketing.maxAge=P90D"}
     * (the {@code --consent} option and {@code FUSION_CONSENT}); an empty spec is the standard policy.
     */
    public static ConsentPolicy parse(String spec) {
        ConsentPolicy s = standard();
        if (spec == null || spec.isBlank()) return s;
        Map<ConsentPurpose, Boolean> d = new EnumMap<>(s.defaults);
        Map<ConsentPurpose, Duration> age = new EnumMap<>(ConsentPurpose.class);
        age.putAll(s.maxAge);
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq < 0)
                throw new InvalidInput(
                        "consent", "expected purpose=granted|denied or purpose.maxAge=P365D but was '" + p + "'");
            String key = p.substring(0, eq).trim();
            String value = p.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
            if (key.endsWith(".maxAge")) {
                ConsentPurpose purpose = ConsentPurpose.parse("consent", key.substring(0, key.length() - 7));
                if (value.equals("none")) {
                    age.remove(purpose);
                } else {
                    try {
                        age.put(purpose, Duration.parse(value.toUpperCase(Locale.ROOT)));
                    } catch (java.time.format.DateTimeParseException e) {
                        throw new InvalidInput(
                                "consent",
                                "expected an ISO-8601 duration like P365D for " + key + " but was '" + value + "'");
                    }
                }
            } else {
                ConsentPurpose purpose = ConsentPurpose.parse("consent", key);
                d.put(
                        purpose,
                        switch (value) {
                            case "granted", "allowed", "true", "yes" -> true;
                            case "denied", "refused", "false", "no" -> false;
                            default ->
                                throw new InvalidInput(
                                        "consent",
                                        "expected granted or denied for " + key + " but was '" + value + "'");
                        });
            }
        }
        return new ConsentPolicy(d, age);
    }

    public boolean defaultFor(ConsentPurpose purpose) {
        return defaults.get(purpose);
    }

    /** How long a grant without an explicit expiry lasts; null when it lasts until revoked. */
    public Duration maxAge(ConsentPurpose purpose) {
        return maxAge.get(purpose);
    }

    /** When a grant stops counting: its own expiry or its maximum age, whichever comes first. */
    public Instant expiryOf(ConsentRecord grant) {
        if (!grant.granted()) return null;
        Duration age = maxAge.get(grant.purpose());
        Instant capped = age == null ? null : grant.at().plus(age);
        if (grant.expires() == null) return capped;
        if (capped == null) return grant.expires();
        return grant.expires().isBefore(capped) ? grant.expires() : capped;
    }

    /**
     * Whether {@code history} (one person's ledger, in the order it was recorded) allows
     * {@code purpose} on {@code channel} at {@code at}. The latest entry recorded at or before
     * {@code at} that covers the channel decides; an expired grant is no grant.
     */
    public ConsentVerdict check(List<ConsentRecord> history, ConsentPurpose purpose, String channel, Instant at) {
        String ch = channel == null ? ConsentRecord.ANY_CHANNEL : channel.trim().toLowerCase(Locale.ROOT);
        ConsentRecord decisive = null;
        for (ConsentRecord r : history) {
            if (r.purpose() != purpose || !r.covers(ch) || r.at().isAfter(at)) continue;
            if (decisive == null || !r.at().isBefore(decisive.at())) decisive = r;
        }
        String what = purpose.label() + (ch.isEmpty() ? "" : " on " + ch);
        if (decisive == null) {
            boolean allowed = defaults.get(purpose);
            return new ConsentVerdict(
                    allowed,
                    purpose,
                    ch,
                    at,
                    allowed ? "default_allowed" : "never_granted",
                    allowed
                            ? what + " is allowed by default and was never refused"
                            : what + " was never granted, and " + purpose.label() + " is denied until granted",
                    null,
                    null);
        }
        if (!decisive.granted()) {
            return new ConsentVerdict(
                    false,
                    purpose,
                    ch,
                    at,
                    "revoked",
                    what + " was revoked by " + decisive.source() + " at " + decisive.at(),
                    decisive,
                    null);
        }
        Instant until = expiryOf(decisive);
        if (until != null && !until.isAfter(at)) {
            return new ConsentVerdict(
                    false,
                    purpose,
                    ch,
                    at,
                    "expired",
                    what + " was granted by " + decisive.source() + " at " + decisive.at()
                            + " but the grant expired at " + until,
                    decisive,
                    null);
        }
        return new ConsentVerdict(
                true,
                purpose,
                ch,
                at,
                "granted",
                what + " was granted by " + decisive.source() + " at " + decisive.at()
                        + (until == null ? ", without expiry" : ", until " + until),
                decisive,
                until);
    }

    /** Every purpose (on every channel the ledger names, and on all channels) as it stands at {@code at}. */
    public List<ConsentVerdict> summary(List<ConsentRecord> history, Instant at) {
        List<ConsentVerdict> out = new ArrayList<>();
        for (ConsentPurpose p : ConsentPurpose.values()) {
            out.add(check(history, p, ConsentRecord.ANY_CHANNEL, at));
            history.stream()
                    .filter(r -> r.purpose() == p && !r.channel().isEmpty())
                    .map(ConsentRecord::channel)
                    .distinct()
                    .sorted()
                    .forEach(ch -> out.add(check(history, p, ch, at)));
        }
        return Collections.unmodifiableList(out);
    }

    /** Grants in force at {@code at} that lapse before {@code at + within}, for the expiry sweep. */
    public List<ConsentVerdict> expiring(List<ConsentRecord> history, Instant at, Duration within) {
        Instant horizon = at.plus(within);
        return summary(history, at).stream()
                .filter(v ->
                        v.allowed() && v.validUntil() != null && v.validUntil().isBefore(horizon))
                .toList();
    }
}
