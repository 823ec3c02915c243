package fusion.server.audiences;

import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Interaction;
import fusion.core.model.Purpose;
import fusion.store.RelationshipView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One thing a rule can ask about a person. {@code filter} narrows event facts; {@code days} is the
 * window of {@code events} (all time when null); {@code brand} names the relationship of the score
 * facts; {@code purpose}/{@code channel} the consent asked about.
 */
record Fact(
        Kind kind,
        String name,
        EventFilter filter,
        Integer days,
        String brand,
        ConsentPurpose consentPurpose,
        String channel) {

    enum Kind {
        TRAIT("trait", Type.ANY),
        EVENTS("events", Type.NUMBER),
        LAST_EVENT("lastEvent", Type.TIME),
        LAST_PURPOSE("lastPurpose", Type.STRING),
        EXPERIENCE("experience", Type.NUMBER),
        FUSION("fusion", Type.NUMBER),
        BRAND_SIDE("brandSide", Type.NUMBER),
        CONSUMER_SIDE("consumerSide", Type.NUMBER),
        PROBABILITY_ALIVE("probabilityAlive", Type.NUMBER),
        LIFETIME_VALUE("lifetimeValue", Type.NUMBER),
        CONSENT("consent", Type.BOOLEAN);

        final String wire;
        final Type type;

        Kind(String wire, Type type) {
            this.wire = wire;
            this.type = type;
        }
    }

    enum Type {
        ANY,
        NUMBER,
        STRING,
        TIME,
        BOOLEAN
    }

    /** Which interactions an event fact counts; a null field matches everything. */
    record EventFilter(Purpose purpose, String channel, String brand, String contactPoint) {
        boolean matches(Interaction i) {
            return (purpose == null || i.purpose() == purpose)
                    && (channel == null || i.contactPoint().channel().label().equals(channel))
                    && (brand == null || i.brand().id().equals(brand))
                    && (contactPoint == null || i.contactPoint().id().equals(contactPoint));
        }
    }

    boolean timeBased() {
        return switch (kind) {
            case EVENTS -> days != null;
            case LAST_PURPOSE -> false;
            default -> true; // time, decaying scores, predictions, consent expiry, traits (changed without events)
        };
    }

    /** The fact's value for this person: a Double, String, Instant, Boolean, any JSON value (traits) or null. */
    Object value(Facts f) {
        return switch (kind) {
            case TRAIT -> f.trait(name);
            case EVENTS -> {
                // all time (no window) is not time-based, so it must not look at the clock: an event
                // stamped after now (the same millisecond as the settle, a client clock ahead) counts
                Instant from = days == null ? Instant.MIN : f.now().minus(Duration.ofDays(days));
                Instant to = days == null ? Instant.MAX : f.now();
                long n = 0;
                for (Interaction i : f.interactions()) {
                    if (filter.matches(i)
                            && !i.time().isBefore(from)
                            && !i.time().isAfter(to)) n++;
                }
                yield (double) n;
            }
            case LAST_EVENT -> {
                Instant last = null;
                for (Interaction i : f.interactions()) {
                    if (filter.matches(i)
                            && !i.time().isAfter(f.now())
                            && (last == null || i.time().isAfter(last))) {
                        last = i.time();
                    }
                }
                yield last;
            }
            case LAST_PURPOSE -> {
                List<Interaction> all = f.interactions();
                Interaction last = null;
                for (Interaction i : all) { // not time-based: the latest the store holds, whatever the clock
                    if (filter.matches(i) && (last == null || !i.time().isBefore(last.time()))) {
                        last = i;
                    }
                }
                yield last == null ? null : last.purpose().label();
            }
            case EXPERIENCE, FUSION, BRAND_SIDE, CONSUMER_SIDE -> {
                RelationshipView r = f.relationship(brand);
                if (r == null) yield null;
                yield switch (kind) {
                    case EXPERIENCE -> r.experience();
                    case FUSION -> r.fusion();
                    case BRAND_SIDE -> r.brandSide();
                    default -> r.consumerSide();
                };
            }
            case PROBABILITY_ALIVE -> f.probabilityAlive();
            case LIFETIME_VALUE -> f.lifetimeValue();
            case CONSENT -> f.consent(consentPurpose, channel);
        };
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
