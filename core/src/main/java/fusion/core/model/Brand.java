package fusion.core.model;

/**
 * A brand a party can have a relationship with: one of ours, or a competitor's (seed 003: the
 * customer travels through many brands' orbits).
 */
public record Brand(String id, boolean competitor) {
    public Brand {
        if (id == null || id.isBlank()) {
            throw new InvalidInput("brand", "must not be empty");
        }
    }

    public static Brand own(String id) {
        return new Brand(id, false);
    }

    public static Brand competitor(String id) {
        return new Brand(id, true);
    }
}
