package fusion.core.model;

import java.util.Locale;

/** Why the consumer and the brand met: seed 003's purposes, plus usage and advocacy. */
public enum Purpose {
    RESEARCH,
    COMMENTARY,
    PURCHASE,
    SERVICE,
    RENEWAL,
    COMPLAINT,
    USAGE,
    ADVOCACY;

    public static Purpose parse(String field, String value) {
        return Enums.parse(Purpose.class, field, value);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
