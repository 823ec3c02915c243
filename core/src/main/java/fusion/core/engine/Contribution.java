package fusion.core.engine;

/**
 * One reason a score moved: a rule added {@code points} to a sum, for the reason in
 * {@code detail} ("need met", "waited 14 min", "advocacy to 1.2M followers").
 */
public record Contribution(String rule, Target target, double points, String detail) {
    public Contribution {
        if (!Double.isFinite(points)) {
            throw new IllegalArgumentException(rule + ": points must be finite but were " + points);
        }
    }
}
