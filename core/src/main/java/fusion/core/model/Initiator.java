package fusion.core.model;

import java.util.Locale;

/** Who started the interaction: the consumer, proactively, or the brand. */
public enum Initiator {
    CONSUMER,
    BRAND;

    public static Initiator parse(String field, String value) {
        return Enums.parse(Initiator.class, field, value);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
