package fusion.core.engine;

import java.util.Locale;

/** Which sum of a {@link Relationship} a {@link Contribution} adds to. */
public enum Target {
    NEEDS_MET,
    NEEDS_FAILED,
    EASE_GOOD,
    EASE_BAD,
    DELIGHT,
    BRAND_GIVES,
    CONSUMER_GIVES;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
