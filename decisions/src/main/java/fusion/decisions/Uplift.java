package fusion.decisions;

/**
 * The uplift of an action on a yes/no outcome (a purchase within N days, a lapse): the outcome rate
 * of the people who got it minus that of the people held out, with a 95% interval (the Wald
 * interval of a difference of two independent proportions; fine for the hundreds of people per
 * arm a holdout gives, not for a handful).
 */
public record Uplift(
        long treated,
        long treatedWithOutcome,
        long heldOut,
        long heldOutWithOutcome,
        double treatedRate,
        double heldOutRate,
        double uplift,
        double low,
        double high) {
    static final double Z95 = 1.959963984540054;

    public static Uplift of(long treated, long treatedWithOutcome, long heldOut, long heldOutWithOutcome) {
        if (treated <= 0 || heldOut <= 0) {
            throw new IllegalArgumentException(
                    "uplift needs people in both arms: treated " + treated + ", held out " + heldOut);
        }
        if (treatedWithOutcome < 0
                || treatedWithOutcome > treated
                || heldOutWithOutcome < 0
                || heldOutWithOutcome > heldOut) {
            throw new IllegalArgumentException("outcomes must be between 0 and the arm's size");
        }
        double p1 = (double) treatedWithOutcome / treated, p0 = (double) heldOutWithOutcome / heldOut;
        double se = Math.sqrt(p1 * (1 - p1) / treated + p0 * (1 - p0) / heldOut);
        double d = p1 - p0;
        return new Uplift(
                treated, treatedWithOutcome, heldOut, heldOutWithOutcome, p1, p0, d, d - Z95 * se, d + Z95 * se);
    }

    public boolean covers(double value) {
        return low <= value && value <= high;
    }
}
