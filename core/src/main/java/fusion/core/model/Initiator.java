package fusion.core.model;

import java.util.Locale;

/** Who started the interaction: the consumer, proactively, or the brand. */
public enum Initiator {
    CONSUMER,
    BRAND;

    public static Initiator parse(String field, String value) {
        return Enums.parse(Initiator.class, field, value);
    }

    /** The name in lower case, made once: labels are asked for per event on the ingest path. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
