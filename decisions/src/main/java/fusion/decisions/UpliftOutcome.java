package fusion.decisions;

import fusion.core.model.InvalidInput;
import java.util.Arrays;
import java.util.Locale;

/**
 * What an action's uplift is measured on, over the N days after each person's first decision for
 * it (docs/DECISIONS.md, "Holdouts"). Two are yes/no per person and compared as proportions
 * ({@link Uplift}); two are changes of a score and compared as means ({@link MeanUplift}).
 */
public enum UpliftOutcome {
    /** At least one purchase with the deciding brand within the N days. */
    PURCHASE(true, "share of people who bought from the brand within %d days of the decision"),
    /** Not one event the person started with the brand within the N days. */
    LAPSE(true, "share of people who started no contact with the brand within %d days of the decision"),
    /** The relationship's experience score N days after the decision minus the score at it. */
    EXPERIENCE(false, "mean change of the experience score from the decision to %d days later"),
    /** The relationship's fusion score N days after the decision minus the score at it. */
    FUSION(false, "mean change of the fusion score from the decision to %d days later");

    private final boolean yesNo;
    private final String meaning;

    UpliftOutcome(boolean yesNo, String meaning) {
        this.yesNo = yesNo;
        this.meaning = meaning;
    }

    /** True for a yes/no outcome (a proportion per arm), false for a score change (a mean). */
    public boolean yesNo() {
        return yesNo;
    }

    /** What the figure of each arm is, in words, for a window of {@code days}. */
    public String meaning(int days) {
        return String.format(Locale.ROOT, meaning, days);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome {@code text} names; anything else is refused naming {@code field}. */
    public static UpliftOutcome parse(String field, String text) {
        return Arrays.stream(values())
                .filter(o -> o.label().equals(text))
                .findFirst()
                .orElseThrow(() -> new InvalidInput(
                        field, "expected purchase, lapse, experience or fusion but was '" + text + "'"));
    }
}
