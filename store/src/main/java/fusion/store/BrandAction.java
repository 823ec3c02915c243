package fusion.store;

import fusion.core.model.InvalidInput;
import java.time.Instant;
import java.util.Locale;

/**
 * Something a brand did that may have moved its numbers (a concert, a campaign): declared by an
 * operator so its impact can be estimated against the other brands. Not derived from the event
 * log, so replay leaves it alone.
 *
 * @param id          assigned by the store (0 before it is stored)
 * @param brand       the brand that acted
 * @param name        a short name ("Summer concert")
 * @param kind        what sort of action
 * @param starts      when it began to act
 * @param ends        when it stopped, or {@code null} when open-ended or a one-off
 * @param declared    when it was declared
 * @param actor       who declared it
 * @param description free text; may be empty
 */
public record BrandAction(
        long id,
        String brand,
        String name,
        Kind kind,
        Instant starts,
        Instant ends,
        Instant declared,
        String actor,
        String description) {

    public BrandAction {
        if (brand == null || brand.isBlank()) throw new InvalidInput("brand", "must not be empty");
        if (name == null || name.isBlank()) throw new InvalidInput("name", "must not be empty");
        if (kind == null) throw new InvalidInput("kind", "must not be empty");
        if (starts == null) throw new InvalidInput("starts", "must not be empty");
        if (ends != null && ends.isBefore(starts)) {
            throw new InvalidInput("ends", "must not be before starts (" + starts + ") but was " + ends);
        }
        if (declared == null) throw new InvalidInput("declared", "must not be empty");
        if (actor == null || actor.isBlank()) throw new InvalidInput("actor", "must not be empty");
        description = description == null ? "" : description;
    }

    /** What sort of action it was. */
    public enum Kind {
        CONCERT,
        CAMPAIGN,
        PROMOTION,
        OTHER;

        @com.fasterxml.jackson.annotation.JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code concert}, {@code campaign}, {@code promotion} or {@code other}. */
        public static Kind parse(String field, String raw) {
            for (Kind k : values()) {
                if (k.label().equalsIgnoreCase(raw == null ? "" : raw.trim())) return k;
            }
            throw new InvalidInput(field, "expected concert, campaign, promotion or other but was '" + raw + "'");
        }
    }

    /** The same action with the id the store gave it. */
    public BrandAction withId(long newId) {
        return new BrandAction(newId, brand, name, kind, starts, ends, declared, actor, description);
    }
}
