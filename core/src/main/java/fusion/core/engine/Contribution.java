package fusion.core.engine;

/**
 * One reason a score moved: a rule added {@code points} to a sum, for the reason in
 * {@code detail} ("need met", "waited 14 min", "advocacy to 1.2M followers"). A delight the
 * pyramid gated out (needs failing) keeps its points, which count once needs recover, and says
 * so in its detail: {@link #gated()}.
 */
public record Contribution(String rule, Target target, double points, String detail) {
    /** The detail of a contribution the pyramid of expectations gated out. */
    public static final String GATED = "gated, needs failing";

    public Contribution {
        if (!Double.isFinite(points)) {
            throw new IllegalArgumentException(rule + ": points must be finite but were " + points);
        }
    }

    /** This contribution marked as gated out: its memory is kept, it moves no score now. */
    Contribution gatedOut() {
        return new Contribution(rule, target, points, GATED);
    }

    /** True when the pyramid gated this delight out: it moved no score when it happened. */
    public boolean gated() {
        return target == Target.DELIGHT && GATED.equals(detail);
    }
}
