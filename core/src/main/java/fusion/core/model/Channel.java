package fusion.core.model;

import java.util.Locale;

/** Where an interaction took place: the kind of contact point (PRODUCT.md, "Interaction"). */
public enum Channel {
    WEB,
    APP,
    STORE,
    PHONE,
    CHAT,
    EMAIL,
    MESSAGING,
    SOCIAL,
    VIDEO,
    COURIER,
    EVENT,
    PRODUCT_USAGE;

    /** Parses {@code "product_usage"}, {@code "Product Usage"} or {@code "PRODUCT_USAGE"}. */
    public static Channel parse(String field, String value) {
        return Enums.parse(Channel.class, field, value);
    }

    /** The name in lower case, made once: labels are asked for per event on the ingest path. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
