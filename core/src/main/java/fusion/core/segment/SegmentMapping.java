package fusion.core.segment;

import fusion.core.model.Bounds;
import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Politeness;
import fusion.core.model.Purpose;
import java.util.List;
import java.util.Optional;

/**
 * Turns Segment calls into interactions: the event name gives defaults ({@link EventMapping}),
 * the call's {@code properties} override any of them, and the context fills the channel. The
 * property names are documented in docs/SEGMENT.md.
 */
public final class SegmentMapping {
    private final List<EventMapping> mappings;
    private final String defaultBrand;

    public SegmentMapping(List<EventMapping> mappings, String defaultBrand) {
        this.mappings = List.copyOf(mappings);
        if (defaultBrand == null || defaultBrand.isBlank()) {
            throw new IllegalArgumentException("defaultBrand must not be empty");
        }
        this.defaultBrand = defaultBrand;
    }

    public static SegmentMapping standard(String defaultBrand) {
        return new SegmentMapping(StandardEvents.all(), defaultBrand);
    }

    public String defaultBrand() {
        return defaultBrand;
    }

    /** Maps a call that has been resolved to {@code profile}. */
    public Mapped map(SegmentCall call, String profile) {
        Fields props = new Fields("properties", call.properties());
        EventDefaults defaults;
        switch (call.type()) {
            case TRACK -> {
                String name = EventMapping.normalize(call.event()); // once: each mapping compares it
                Optional<EventDefaults> known = lookup(name);
                Optional<String> purpose = props.text("purpose");
                if (ConsentEvents.isNormalizedConsentEvent(name)) {
                    // its properties.purpose is a consent purpose, read by ConsentEvents
                    return new Mapped.Kept("consent event '" + call.event() + "'", false);
                }
                if (known.isEmpty() && purpose.isEmpty()) {
                    return new Mapped.Kept("unknown event '" + call.event() + "'", true);
                }
                defaults = known.orElse(EventDefaults.of(Purpose.RESEARCH));
            }
            case PAGE -> defaults = EventDefaults.of(Purpose.RESEARCH).on(Channel.WEB);
            case SCREEN -> defaults = EventDefaults.of(Purpose.RESEARCH).on(Channel.APP);
            default -> {
                return new Mapped.Kept(call.type().wireName() + " call", false);
            }
        }
        return new Mapped.Scored(interaction(call, profile, defaults, props));
    }

    private Optional<EventDefaults> lookup(String normalized) {
        for (EventMapping m : mappings) {
            Optional<EventDefaults> d = m.match(normalized);
            if (d.isPresent()) return d;
        }
        return Optional.empty();
    }

    private Interaction interaction(SegmentCall call, String profile, EventDefaults d, Fields p) {
        Purpose purpose =
                p.text("purpose").map(v -> Purpose.parse(p.path("purpose"), v)).orElse(d.purpose());
        Initiator initiator = p.text("initiator")
                .map(v -> Initiator.parse(p.path("initiator"), v))
                .orElse(d.initiator());
        Channel channel = p.text("channel")
                .map(v -> Channel.parse(p.path("channel"), v))
                .or(d::channel)
                .orElseGet(() -> channelFromContext(call));
        String point = p.text("contact_point").or(() -> pagePath(call)).orElse(channel.label());
        Brand brand = new Brand(
                p.text("brand").orElse(defaultBrand), p.flag("competitor").orElse(false));
        Outcome outcome = outcome(p, d);
        String description = p.text("description")
                .orElse(
                        call.type() == SegmentCall.Type.TRACK
                                ? call.event()
                                : call.type().wireName() + " "
                                        + Optional.ofNullable(call.name()).orElse(point));
        return new Interaction(
                call.messageId(),
                profile,
                brand,
                new ContactPoint(point, channel),
                purpose,
                initiator,
                call.timestamp(),
                outcome,
                p.texts("co_parties"),
                description);
    }

    private static Outcome outcome(Fields p, EventDefaults d) {
        Need need = p.flag("need_met")
                .map(Need::of)
                .or(() -> p.text("need").map(v -> Need.parse(p.path("need"), v)))
                .orElse(d.need());
        double money = money(p, "revenue")
                .or(() -> money(p, "total"))
                .or(() -> money(p, "value"))
                .orElse(0.0);
        if (d.moneyReturned()) money = -Math.abs(money);
        double sentiment = p.number("sentiment").orElse(Double.NaN);
        if (Double.isNaN(sentiment)) {
            Optional<Double> rating = p.number("rating");
            if (rating.isPresent()) {
                double r = rating.get();
                if (r < 1 || r > 5) {
                    throw new fusion.core.model.InvalidInput(p.path("rating"), "expected 1 to 5 but was " + r);
                }
                sentiment = (r - 3) / 2;
            }
        }
        try {
            return outcome(p, d, need, money, sentiment);
        } catch (fusion.core.model.InvalidInput e) {
            throw e.field().startsWith("properties.") ? e : e.within("properties");
        }
    }

    private static Outcome outcome(Fields p, EventDefaults d, Need need, double money, double sentiment) {
        return Outcome.builder()
                .need(need)
                .waitSeconds(p.number("wait_seconds", 0, Bounds.MAX_SECONDS).orElse(0.0))
                .repeatContacts((int) Math.min(
                        Integer.MAX_VALUE,
                        p.count("repeat_contacts", Bounds.MAX_COUNT).orElse(0L) + d.repeatContacts()))
                .channelSwitches((int)
                        p.count("channel_switches", Bounds.MAX_COUNT).orElse(0L).longValue())
                .sentiment(sentiment)
                .wow(p.flag("wow").orElse(false))
                .money(money)
                .valueReceived(
                        p.number("value_received", 0, Bounds.MAX_VALUE_RECEIVED).orElse(d.valueReceived()))
                .staff(p.text("staff_politeness")
                        .map(v -> Politeness.parse(p.path("staff_politeness"), v))
                        .orElse(Politeness.UNKNOWN))
                .consumer(p.text("consumer_politeness")
                        .map(v -> Politeness.parse(p.path("consumer_politeness"), v))
                        .orElse(Politeness.UNKNOWN))
                .reach(p.count("reach", Bounds.MAX_AUDIENCE).orElse(0L))
                .followersGained(
                        p.count("followers_gained", Bounds.MAX_AUDIENCE).orElse(0L))
                .build();
    }

    private static Optional<Double> money(Fields p, String key) {
        return p.number(key, -Bounds.MAX_MONEY, Bounds.MAX_MONEY);
    }

    private static Channel channelFromContext(SegmentCall call) {
        Fields ctx = new Fields("context", call.context());
        Optional<String> declared = ctx.text("channel");
        if (declared.isPresent()) {
            switch (declared.get().toLowerCase(java.util.Locale.ROOT)) {
                case "mobile", "app" -> {
                    return Channel.APP;
                }
                case "browser", "web" -> {
                    return Channel.WEB;
                }
                default -> {
                    /* server, sources: fall through to the device check */
                }
            }
        }
        if (call.context().get("device") != null || call.context().get("os") != null) {
            return Channel.APP;
        }
        return Channel.WEB;
    }

    private static Optional<String> pagePath(SegmentCall call) {
        if (call.type() != SegmentCall.Type.PAGE && call.type() != SegmentCall.Type.SCREEN) {
            return Optional.empty();
        }
        return new Fields("properties", call.properties()).text("path").or(() -> Optional.ofNullable(call.name()));
    }
}
