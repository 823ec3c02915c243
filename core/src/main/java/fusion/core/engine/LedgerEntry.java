package fusion.core.engine;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Why a pair's scores changed: one entry per change, with its cause (seed 000: "+3: wore the
 * brand's sweater at the concert; followers +100k").
 *
 * @param kind             an event of the pair, an incident of the party that spread here, or a
 *                         merge of two profiles
 * @param experienceBefore the experience just before this change (faded to its time)
 * @param fusionBefore     the fusion just before this change (faded to its time): the change
 *                         {@code fusionAfter - fusionBefore} is this entry's own
 * @param faded            how much fusion faded between the last entry and this one: the last
 *                         entry's {@code fusionAfter} is {@code fusionBefore - faded}
 * @param contributions    what each rule added
 * @param note             the event's own description, or what spread from where
 */
public record LedgerEntry(
        String party,
        String brand,
        Instant time,
        String eventId,
        Kind kind,
        double experienceBefore,
        double experienceAfter,
        double fusionBefore,
        double fusionAfter,
        double faded,
        List<Contribution> contributions,
        String note) {

    public enum Kind {
        EVENT,
        PROPAGATED,
        MERGE;

        /** The name in lower case, made once: labels are asked for per event on the ingest path. */
        private final String label = name().toLowerCase(Locale.ROOT);

        public String label() {
            return label;
        }
    }

    public LedgerEntry {
        contributions = java.util.Collections.unmodifiableList(contributions);
        note = note == null ? "" : note;
    }

    public double fusionDelta() {
        return fusionAfter - fusionBefore;
    }

    public double experienceDelta() {
        return experienceAfter - experienceBefore;
    }

    /**
     * The readable cause, one line for the change itself and, when fusion faded by 0.05 or more
     * since the last change, a second line for the fading: {@code "+3.1 fusion, +0.0 experience:
     * wore the brand's sweater at the concert (exposure +0.23: followers +100k; advocacy +0.53: ...)"}
     * and {@code "-1.2 fusion from fading since the last change"}. A delight the pyramid gated out
     * reads {@code "wow: gated, needs failing"}; nothing reads {@code -0.0}.
     */
    public String cause() {
        StringBuilder b = new StringBuilder();
        b.append(signed(fusionDelta(), 1))
                .append(" fusion, ")
                .append(signed(experienceDelta(), 1))
                .append(" experience");
        String head = note.isEmpty() ? "" : note;
        if (!head.isEmpty()) {
            b.append(": ").append(head);
        }
        if (!contributions.isEmpty()) {
            b.append(head.isEmpty() ? ": " : " (");
            for (int i = 0; i < contributions.size(); i++) {
                Contribution c = contributions.get(i);
                if (i > 0) b.append("; ");
                if (c.gated()) {
                    b.append(c.rule()).append(": ").append(c.detail());
                } else {
                    b.append(c.rule())
                            .append(' ')
                            .append(signed(c))
                            .append(": ")
                            .append(c.detail());
                }
            }
            if (!head.isEmpty()) b.append(')');
        }
        if (Math.abs(faded) >= 0.05) {
            b.append('\n').append(signed(faded, 1)).append(" fusion from fading since the last change");
        }
        return b.toString();
    }

    private static String signed(Contribution c) {
        boolean lowers = c.target() == Target.NEEDS_FAILED || c.target() == Target.EASE_BAD;
        return signed(lowers ? -c.points() : c.points(), 2);
    }

    /**
     * {@code +1.50}, {@code -0.30}; a value that rounds to zero reads {@code +0.0}, never {@code -0.0}.
     * The text is {@code String.format("%+.Nf")}'s, which rounds the double's decimal digits half up.
     * Every ledger entry a read returns formats three to ten of these, and the Formatter (format
     * parsing, symbols, the digits of the double) was half the Java CPU of a profile read
     * (bench/results/read-cpu-2026-12-06b.txt); so the rounding is done here on the scaled value,
     * and left to the Formatter only where the two could differ: within 1e-6 of a half (where the
     * decimal digits and the binary value may round apart; the scaling's error is below 4e-7 up
     * to 1e9), and for huge or non-finite values.
     */
    static String signed(double v, int decimals) {
        long scale = decimals == 1 ? 10 : decimals == 2 ? 100 : (long) Math.pow(10, decimals);
        double scaled = Math.abs(v) * scale;
        if (!(scaled < 1e9) || decimals < 1 || decimals > 6) return formatted(v, decimals);
        double whole = Math.floor(scaled);
        double fraction = scaled - whole;
        if (Math.abs(fraction - 0.5) < 1e-6) return nearHalf(v, decimals);
        long units = (long) whole + (fraction > 0.5 ? 1 : 0);
        String digits = Long.toString(units % scale + scale);
        return new StringBuilder(decimals + 8)
                .append(units != 0 && v < 0 ? '-' : '+')
                .append(units / scale)
                .append('.')
                .append(digits, 1, digits.length())
                .toString();
    }

    /** Formatted near-halves by value, one map per number of decimals: most are a rule's points, which recur. */
    private static final List<java.util.Map<Double, String>> NEAR_HALVES = java.util.stream.IntStream.rangeClosed(0, 6)
            .mapToObj(d -> (java.util.Map<Double, String>) new java.util.concurrent.ConcurrentHashMap<Double, String>())
            .toList();

    /** Most near-halves kept per number of decimals: a map stops growing there (about 100 bytes each). */
    static final int NEAR_HALVES_KEPT = 4096;

    /** A near-half's text: the Formatter's, kept for the next time. */
    private static String nearHalf(double v, int decimals) {
        java.util.Map<Double, String> kept = NEAR_HALVES.get(decimals);
        String s = kept.get(v);
        if (s != null) return s;
        s = formatted(v, decimals);
        if (kept.size() < NEAR_HALVES_KEPT) kept.put(v, s);
        return s;
    }

    /** {@link #signed}'s text by the Formatter itself. */
    static String formatted(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%+." + decimals + "f", v);
        return s.startsWith("-") && s.chars().skip(1).allMatch(ch -> ch == '0' || ch == '.') ? "+" + s.substring(1) : s;
    }
}
