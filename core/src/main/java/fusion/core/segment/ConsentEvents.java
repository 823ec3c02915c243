package fusion.core.segment;

import fusion.core.consent.ConsentPurpose;
import fusion.core.consent.ConsentRecord;
import fusion.core.model.InvalidInput;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The consent a Segment call carries (docs/CONSENT.md):
 * <ul>
 *   <li>{@code context.consent.categoryPreferences}, Segment's consent object, on any call:
 *       {@code {"Advertising": false, "Analytics": true}}; categories that are not purposes are
 *       ignored;</li>
 *   <li>the track events {@code Consent Granted} and {@code Consent Revoked}, with
 *       {@code properties.purpose} (required), {@code channel}, {@code expiresAt} (ISO-8601) or
 *       {@code ttlDays}, and {@code source}.</li>
 * </ul>
 * Each becomes a {@link ConsentRecord} at the call's timestamp.
 */
public final class ConsentEvents {
    public static final String GRANTED = "Consent Granted";
    public static final String REVOKED = "Consent Revoked";

    private static final String GRANTED_NAME = EventMapping.normalize(GRANTED);
    private static final String REVOKED_NAME = EventMapping.normalize(REVOKED);

    private ConsentEvents() {}

    /** Whether {@code event} is one of the consent track events (they are kept, not scored, and not unknown). */
    public static boolean isConsentEvent(String event) {
        return isNormalizedConsentEvent(EventMapping.normalize(event));
    }

    /** The same, for a name already {@linkplain EventMapping#normalize normalized}. */
    static boolean isNormalizedConsentEvent(String normalized) {
        return normalized.equals(GRANTED_NAME) || normalized.equals(REVOKED_NAME);
    }

    public static List<ConsentRecord> of(SegmentCall call) {
        List<ConsentRecord> out = new ArrayList<>();
        Instant at = call.timestamp();
        Fields context = new Fields("context", call.context());
        Optional<Fields> consent = context.object("consent");
        if (consent.isPresent()) {
            Optional<Fields> prefs = consent.get().object("categoryPreferences");
            if (prefs.isPresent()) {
                Map<String, Object> raw = prefs.get().raw();
                for (String category : new java.util.TreeSet<>(raw.keySet())) {
                    Optional<ConsentPurpose> purpose = ConsentPurpose.find(category);
                    if (purpose.isEmpty()) continue;
                    boolean granted = prefs.get().flag(category).orElse(false);
                    out.add(new ConsentRecord(
                            purpose.get(), ConsentRecord.ANY_CHANNEL, granted, at, null, "segment " + describe(call)));
                }
            }
        }
        if (call.type() == SegmentCall.Type.TRACK && isConsentEvent(call.event())) {
            boolean granted = EventMapping.normalize(call.event()).equals(GRANTED_NAME);
            Fields p = new Fields("properties", call.properties());
            String purposeName = p.text("purpose")
                    .orElseThrow(() -> new InvalidInput("properties.purpose", "a consent event needs a purpose"));
            ConsentPurpose purpose = ConsentPurpose.parse("properties.purpose", purposeName);
            String channel = p.text("channel").orElse(ConsentRecord.ANY_CHANNEL);
            Instant expires = null;
            Optional<String> expiresAt = p.text("expiresAt");
            if (expiresAt.isPresent()) {
                try {
                    expires = Instant.parse(expiresAt.get());
                } catch (DateTimeParseException e) {
                    throw new InvalidInput(
                            "properties.expiresAt",
                            "expected an ISO-8601 instant like 2027-01-31T00:00:00Z but was '" + expiresAt.get() + "'");
                }
                fusion.core.model.Bounds.instant("properties.expiresAt", expires);
                if (!expires.isAfter(at)) {
                    throw new InvalidInput("properties.expiresAt", "must be after the event's timestamp " + at);
                }
            }
            Optional<Double> ttl = p.number("ttlDays");
            if (ttl.isPresent()) {
                if (expires != null)
                    throw new InvalidInput("properties.ttlDays", "give expiresAt or ttlDays, not both");
                if (ttl.get() <= 0 || ttl.get() > 36_500) {
                    throw new InvalidInput("properties.ttlDays", "expected 0 < ttlDays <= 36500 but was " + ttl.get());
                }
                expires = at.plusMillis(Math.round(ttl.get() * 86_400_000d));
            }
            String source = p.text("source").orElse("segment " + describe(call));
            out.add(new ConsentRecord(purpose, channel, granted, at, expires, source));
        }
        return out;
    }

    private static String describe(SegmentCall call) {
        return call.type() == SegmentCall.Type.TRACK
                ? "track '" + call.event() + "'"
                : call.type().wireName();
    }
}
