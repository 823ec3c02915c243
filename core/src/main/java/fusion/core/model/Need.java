package fusion.core.model;

import java.util.Locale;

/** Whether the consumer's need was met: the base of the pyramid of expectations (seed 002). */
public enum Need {
    UNKNOWN,
    MET,
    FAILED;

    /** From a JSON boolean-ish value: {@code true}/{@code false}, or the names. */
    public static Need of(boolean met) {
        return met ? MET : FAILED;
    }

    public static Need parse(String field, String value) {
        return Enums.parse(Need.class, field, value);
    }

    /** The name in lower case, made once: labels are asked for per event on the ingest path. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
