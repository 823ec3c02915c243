package fusion.server.cli;

import java.util.Locale;

/** Durations as people read them: "45 s", "12 min", "14 h", "2 d 3 h". */
final class Durations {
    private static final long[] UNITS = {86_400, 3_600, 60, 1};
    private static final String[] NAMES = {"d", "h", "min", "s"};

    private Durations() {}

    /**
     * {@code seconds} in its largest whole unit and the next one down, rounded to that next unit
     * (the next unit is left out when it is zero): 50400 is "14 h", 183600 "2 d 3 h", 90 "1 min 30 s".
     * Not a number (no steps measured) is "n/a".
     */
    static String human(double seconds) {
        if (Double.isNaN(seconds)) return "n/a";
        if (Double.isInfinite(seconds)) return seconds > 0 ? "forever" : "n/a";
        String sign = seconds < 0 ? "-" : "";
        long s = Math.round(Math.abs(seconds));
        // round to the unit below the largest one, then look again: 86,370 s is "1 d", not "23 h 60 min"
        for (int pass = 0; pass < 2; pass++) {
            int i = largest(s);
            long minor = i + 1 < UNITS.length ? UNITS[i + 1] : 1;
            s = Math.round((double) s / minor) * minor;
        }
        int i = largest(s);
        long major = s / UNITS[i];
        if (i + 1 == UNITS.length) return sign + major + " s";
        long minor = (s % UNITS[i]) / UNITS[i + 1];
        return sign + major + " " + NAMES[i]
                + (minor == 0 ? "" : String.format(Locale.ROOT, " %d %s", minor, NAMES[i + 1]));
    }

    private static int largest(long s) {
        for (int i = 0; i < UNITS.length; i++) {
            if (s >= UNITS[i]) return i;
        }
        return UNITS.length - 1;
    }
}
