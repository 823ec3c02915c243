package fusion.core.engine;

import java.util.Locale;

/**
 * Every tunable number of the scoring model, with its default, its allowed range and what it
 * means. {@link ModelConfig} reads overrides by {@link #key()}; {@code docs/SCORING.md} and
 * {@code ./fusion config} print this table.
 */
public enum Parameter {
    EXPERIENCE_HALF_LIFE_DAYS(30, 0.01, 3650, "days for a memory of an experience to fade to half"),
    FUSION_HALF_LIFE_DAYS(90, 0.01, 3650, "days for what each side gave the other to fade to half"),
    ASSOCIATION_HALF_LIFE_DAYS(180, 0.01, 3650, "days for an association between parties to fade to half"),

    NEEDS_WEIGHT(1.0, 0, 100, "weight of the needs layer (available, accurate, solved)"),
    EASE_WEIGHT(0.6, 0, 100, "weight of the ease layer (little effort, consistent answers)"),
    DELIGHT_WEIGHT(
            0.8, 0, 100, "weight of the delight layer (wow moments); it counts only while needs are not failing"),

    NEED_MET_POINTS(1.0, 0, 100, "needs points for a need met"),
    NEED_FAILED_POINTS(2.0, 0, 100, "needs points lost for a need failed (failures weigh more)"),
    EFFORTLESS_POINTS(0.5, 0, 100, "ease points when a need is met with no effort signal"),
    REPEAT_CONTACT_POINTS(0.75, 0, 100, "ease points lost per repeat contact for the same matter"),
    CHANNEL_SWITCH_POINTS(0.75, 0, 100, "ease points lost per forced channel switch"),
    WAIT_GRACE_SECONDS(60, 0, 86_400, "waiting shorter than this costs nothing"),
    WAIT_POINTS_PER_MINUTE(0.1, 0, 100, "ease points lost per minute waited beyond the grace"),
    MAX_WAIT_POINTS(2.0, 0, 100, "cap on the ease points one wait can cost"),
    SENTIMENT_POINTS(1.0, 0, 100, "ease points for sentiment +1 (and lost for -1)"),
    STAFF_POLITE_POINTS(0.5, 0, 100, "ease points when the brand's staff were polite"),
    STAFF_RUDE_POINTS(1.5, 0, 100, "ease points lost when the brand's staff were rude"),
    WOW_POINTS(1.5, 0, 100, "delight points for a wow moment"),
    EXPERIENCE_SCALE(4.0, 0.001, 1000, "raw experience points that map to about 88 on the 0-100 score"),

    EXPERIENCE_TO_BRAND_SIDE(1.0, 0, 100, "how much the experience counts in what the brand gives"),
    VALUE_RECEIVED_POINTS(1.0, 0, 100, "brand-side points per point of value received for free"),
    EXPOSURE_POINTS(0.045, 0, 100, "brand-side points per tenfold of followers the party gained"),
    PURCHASE_POINTS(1.0, 0, 100, "consumer-side points per e-fold of money over the money unit"),
    MONEY_UNIT(50, 0.0001, 1e9, "the amount of money that counts as one typical purchase"),
    RENEWAL_POINTS(2.0, 0, 100, "consumer-side points for a renewal"),
    USAGE_POINTS(0.2, 0, 100, "consumer-side points for using the product or service"),
    ADVOCACY_POINTS(0.075, 0, 100, "consumer-side points for advocacy, per tenfold of reach, times sentiment"),
    CONSUMER_POLITE_POINTS(0.3, 0, 100, "consumer-side points when the consumer was polite"),
    CONSUMER_RUDE_POINTS(1.85, 0, 100, "consumer-side points lost when the consumer was rude"),
    SIDE_SCALE(3.0, 0.001, 1000, "side points at which a side's health is about 73%"),

    ASSOCIATION_SCALE(1.25, 0.001, 1000, "shared events for an association of about 63%"),
    MAX_PROPAGATION(32, 0, 10_000, "most associated pairs an incident propagates to");

    private final double defaultValue;
    private final double min;
    private final double max;
    private final String meaning;

    Parameter(double defaultValue, double min, double max, String meaning) {
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.meaning = meaning;
    }

    /** The configuration key: the constant's name in lower case, e.g. {@code experience_half_life_days}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public double defaultValue() {
        return defaultValue;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public String meaning() {
        return meaning;
    }
}
