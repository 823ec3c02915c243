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

    /** The name in lower case, made once: labels are asked for per event on the ingest path. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
