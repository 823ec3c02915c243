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

    /** The name in lower case, made once: labels are asked for per event on the ingest path. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
