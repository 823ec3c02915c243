package fusion.core.model;

import java.util.Locale;

/** How one side behaved towards the other (seed 004: politeness is owed both ways). */
public enum Politeness {
    UNKNOWN,
    POLITE,
    RUDE;

    public static Politeness parse(String field, String value) {
        return Enums.parse(Politeness.class, field, value);
    }

    /** The name in lower case, made once: labels are asked for per event on the ingest path. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
