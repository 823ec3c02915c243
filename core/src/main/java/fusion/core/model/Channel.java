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

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
