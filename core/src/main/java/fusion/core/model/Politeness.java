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

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
