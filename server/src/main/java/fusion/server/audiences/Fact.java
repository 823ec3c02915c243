package fusion.server.audiences;

import fusion.analytics.journey.JourneySettings;
import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Purpose;
import fusion.store.RelationshipView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One thing a rule can ask about a person. {@code filter} narrows event facts; {@code days} is the
 * window of {@code events} (all time when null) and the idle days of {@code stalled} ({@link
 * #STALL_DAYS} when null); {@code brand} names the relationship of the score facts, the brand of
 * {@code churnRisk}, and narrows {@code stalled} and {@code leakedTo}/{@code leaked} (the brand
 * researched at); {@code purpose}/{@code channel} the consent asked about.
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
        CHURN_RISK("churnRisk", Type.NUMBER),
        STALLED("stalled", Type.BOOLEAN),
        LEAKED_TO("leakedTo", Type.STRING),
        LEAKED("leaked", Type.BOOLEAN),
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
        boolean matches(EventHistory h, int k) {
            return (purpose == null || h.purpose(k) == purpose)
                    && (channel == null || h.channel(k).equals(channel))
                    && (brand == null || h.brand(k).equals(brand))
                    && (contactPoint == null || h.contactPoint(k).equals(contactPoint));
        }
    }

    /** Idle days after which a journey counts as stalled: the journey model's drop-out gap. */
    static final int STALL_DAYS = (int) JourneySettings.defaults().dropOutGap().toDays();

    /** A competitor's purchase this long after research at our brand is a leak: the journey model's window. */
    static final Duration LEAKAGE_WINDOW = JourneySettings.defaults().leakageWindow();

    boolean timeBased() {
        return switch (kind) {
            case EVENTS -> days != null;
            case LAST_PURPOSE, LEAKED_TO, LEAKED -> false;
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
                EventHistory h = f.history();
                long n = 0;
                for (int k = 0; k < h.size(); k++) {
                    if (filter.matches(h, k) && h.compareTime(k, from) >= 0 && h.compareTime(k, to) <= 0) n++;
                }
                yield (double) n;
            }
            case LAST_EVENT -> {
                EventHistory h = f.history();
                int last = -1;
                for (int k = 0; k < h.size(); k++) {
                    if (filter.matches(h, k)
                            && h.compareTime(k, f.now()) <= 0
                            && (last < 0 || h.compareTimes(k, last) > 0)) {
                        last = k;
                    }
                }
                yield last < 0 ? null : h.time(last);
            }
            case LAST_PURPOSE -> {
                EventHistory h = f.history();
                int last = -1;
                for (int k = 0; k < h.size(); k++) { // not time-based: the latest the store holds, whatever the clock
                    if (filter.matches(h, k) && (last < 0 || h.compareTimes(k, last) >= 0)) {
                        last = k;
                    }
                }
                yield last < 0 ? null : h.purpose(last).label();
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
            case CHURN_RISK -> f.churnRisk(brand);
            case STALLED -> stalled(f);
            case LEAKED_TO -> leakedTo(f);
            case LEAKED -> leakedTo(f) != null;
            case CONSENT -> f.consent(consentPurpose, channel);
        };
    }

    /**
     * Whether a journey has stalled: for some brand ({@code brand}, or any of our own brands when
     * absent), the person's latest interaction with it up to now is more than {@code days} days
     * old ({@link #STALL_DAYS}, the drop-out gap, by default) and is not a purchase or a renewal
     * (a journey that ends in one converted, as in the journey statistics).
     */
    private boolean stalled(Facts f) {
        EventHistory h = f.history();
        Map<String, Integer> latest = new HashMap<>();
        for (int k = 0; k < h.size(); k++) {
            if (h.compareTime(k, f.now()) > 0) continue;
            if (brand == null ? h.competitor(k) : !h.brand(k).equals(brand)) continue;
            Integer l = latest.get(h.brand(k));
            if (l == null || h.compareTimes(k, l) >= 0) latest.put(h.brand(k), k);
        }
        Duration idle = Duration.ofDays(days == null ? STALL_DAYS : days);
        for (int l : latest.values()) {
            boolean converted = h.purpose(l) == Purpose.PURCHASE || h.purpose(l) == Purpose.RENEWAL;
            if (!converted && Duration.between(h.time(l), f.now()).compareTo(idle) > 0) return true;
        }
        return false;
    }

    /**
     * The competitor the person's last purchase went to, when that purchase leaked: their latest
     * purchase the store holds (whatever the clock says: the fact is not time-based) was at a competitor, and they had researched at one of our own brands
     * ({@code brand}, when given) at most {@link #LEAKAGE_WINDOW} before it, the journey
     * statistics' leakage. Null otherwise.
     */
    private String leakedTo(Facts f) {
        EventHistory h = f.history();
        int purchase = -1;
        for (int k = 0; k < h.size(); k++) { // not time-based: the latest the store holds, whatever the clock
            if (h.purpose(k) == Purpose.PURCHASE && (purchase < 0 || h.compareTimes(k, purchase) >= 0)) purchase = k;
        }
        if (purchase < 0 || !h.competitor(purchase)) return null;
        Instant from = h.time(purchase).minus(LEAKAGE_WINDOW);
        for (int k = 0; k < h.size(); k++) {
            if (h.purpose(k) == Purpose.RESEARCH
                    && !h.competitor(k)
                    && (brand == null || h.brand(k).equals(brand))
                    && h.compareTime(k, from) >= 0
                    && h.compareTimes(k, purchase) <= 0) return h.brand(purchase);
        }
        return null;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
