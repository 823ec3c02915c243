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
 * @param fusionBefore     the fusion score as last recorded, before fading
 * @param faded            how much of the change is fading since the last entry
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
        EVENT, PROPAGATED, MERGE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
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
     * The readable cause: {@code "+3.1 fusion, +0.0 experience: wore the brand's sweater at the
     * concert (advocacy +2.1: advocacy to 100k followers; exposure +1.5: followers +100k)"}.
     */
    public String cause() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%+.1f fusion, %+.1f experience", fusionDelta(), experienceDelta()));
        String head = note.isEmpty() ? "" : note;
        if (!head.isEmpty()) {
            b.append(": ").append(head);
        }
        if (!contributions.isEmpty()) {
            b.append(head.isEmpty() ? ": " : " (");
            for (int i = 0; i < contributions.size(); i++) {
                Contribution c = contributions.get(i);
                if (i > 0) b.append("; ");
                b.append(c.rule()).append(' ').append(signed(c)).append(": ").append(c.detail());
            }
            if (!head.isEmpty()) b.append(')');
        }
        if (Math.abs(faded) >= 0.05) {
            b.append(String.format(Locale.ROOT, "; %+.1f from fading since the last change", faded));
        }
        return b.toString();
    }

    private static String signed(Contribution c) {
        boolean lowers = c.target() == Target.NEEDS_FAILED || c.target() == Target.EASE_BAD;
        double shown = lowers ? -c.points() : c.points();
        return String.format(Locale.ROOT, "%+.2f", shown);
    }
}
