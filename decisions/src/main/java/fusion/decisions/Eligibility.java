package fusion.decisions;

/**
 * The gates a catalogue entry sets beyond its type's own rule. Predictions that are absent do not
 * block: a new customer with no model output yet can still be helped.
 *
 * @param minPredictedValue   the customer's predicted value must be at least this
 * @param minProbabilityAlive the probability the customer is alive must be at least this
 * @param minStrength         the triggering intent needs at least this much evidence
 * @param minExperience       the experience score (0..100) must be at least this (delight)
 * @param audience            when set, only members of this audience (docs/AUDIENCES.md) are eligible
 */
public record Eligibility(
        double minPredictedValue, double minProbabilityAlive, int minStrength, double minExperience, String audience) {
    public static final Eligibility ANY = new Eligibility(0, 0, 1, 0);

    /** No audience gate. */
    public Eligibility(double minPredictedValue, double minProbabilityAlive, int minStrength, double minExperience) {
        this(minPredictedValue, minProbabilityAlive, minStrength, minExperience, null);
    }

    public Eligibility {
        if (minProbabilityAlive < 0 || minProbabilityAlive > 1) {
            throw new IllegalArgumentException("min_probability_alive: expected 0..1 but was " + minProbabilityAlive);
        }
        if (minStrength < 0) {
            throw new IllegalArgumentException("min_strength: expected >= 0 but was " + minStrength);
        }
    }
}
