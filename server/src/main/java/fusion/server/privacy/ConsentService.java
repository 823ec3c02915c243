package fusion.server.privacy;

import fusion.core.consent.ConsentPolicy;
import fusion.core.consent.ConsentPurpose;
import fusion.core.consent.ConsentRecord;
import fusion.core.consent.ConsentVerdict;
import fusion.core.model.InvalidInput;
import fusion.core.segment.ConsentEvents;
import fusion.core.segment.SegmentCall;
import fusion.server.access.Forbidden;
import fusion.store.ProfileView;
import fusion.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The consent ledger as the rest of Fusion uses it. Every use of personal data asks
 * {@link #require} at the moment of use, so a grant that expired a second ago, or a revocation
 * that arrived after the work was queued, stops it. Grants and revocations made through the API
 * or the CLI become {@code Consent Granted} / {@code Consent Revoked} events in the log, like
 * those sent by sources, so replay rebuilds the ledger exactly.
 */
public final class ConsentService {
    private final Store store;
    private final ConsentPolicy policy;
    private final Clock clock;

    public ConsentService(Store store, ConsentPolicy policy, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
    }

    public ConsentPolicy policy() {
        return policy;
    }

    public ConsentVerdict check(String profile, ConsentPurpose purpose, String channel, Instant at) {
        return policy.check(store.consents(profile), purpose, channel, at);
    }

    /** The verdict now; throws {@link Forbidden} (403, code {@code consent.<verdict code>}) when it is no. */
    public ConsentVerdict require(String profile, ConsentPurpose purpose, String channel) {
        ConsentVerdict v = check(profile, purpose, channel, clock.instant());
        if (!v.allowed()) throw new Forbidden("consent." + v.code(), v.reason());
        return v;
    }

    /** A grant or revocation recorded now, through the log. */
    public record Change(
            ConsentPurpose purpose,
            String channel,
            boolean granted,
            Instant expiresAt,
            Double ttlDays,
            String source) {}

    public ConsentVerdict record(ProfileView profile, Change change, String actor) {
        Instant now = clock.instant();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("purpose", change.purpose().label());
        if (change.channel() != null && !change.channel().isBlank()) props.put("channel", change.channel());
        if (change.expiresAt() != null)
            props.put("expiresAt", change.expiresAt().toString());
        if (change.ttlDays() != null) props.put("ttlDays", change.ttlDays());
        props.put("source", change.source() == null || change.source().isBlank() ? "api by " + actor : change.source());
        String identity = profile.identities().isEmpty()
                ? "anon:" + profile.id()
                : profile.identities().get(0);
        String userId = identity.startsWith("user:") ? identity.substring(5) : null;
        String anonymousId = userId == null ? identity.substring(identity.indexOf(':') + 1) : null;
        SegmentCall call = new SegmentCall(
                SegmentCall.Type.TRACK,
                "consent-" + UUID.randomUUID(),
                userId,
                anonymousId,
                change.granted() ? ConsentEvents.GRANTED : ConsentEvents.REVOKED,
                null,
                null,
                null,
                props,
                Map.of(),
                Map.of("library", Map.of("name", "fusion-api")),
                now,
                now);
        try {
            store.ingest(List.of(call));
        } catch (InvalidInput e) {
            // the call was built here from the request's fields: report them by their request names
            String field = e.field().replaceFirst("^batch\\[0]\\.properties\\.", "");
            throw new InvalidInput(field, e.problem());
        }
        return check(profile.id(), change.purpose(), change.channel(), now);
    }

    /** Grants in force now that lapse within {@code within}, over every person with a consent ledger. */
    public record Expiring(String profile, ConsentVerdict verdict) {}

    public List<Expiring> expiring(Duration within) {
        Instant now = clock.instant();
        List<Expiring> out = new java.util.ArrayList<>();
        store.forEachConsentLedger((profile, history) -> {
            for (ConsentVerdict v : policy.expiring(history, now, within)) out.add(new Expiring(profile, v));
        });
        out.sort(java.util.Comparator.comparing((Expiring e) -> e.verdict().validUntil())
                .thenComparing(Expiring::profile));
        return out;
    }

    public List<ConsentRecord> history(String profile) {
        return store.consents(profile);
    }
}
