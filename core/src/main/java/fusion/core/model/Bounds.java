package fusion.core.model;

import java.time.Instant;

/**
 * The range of every number and instant an event may carry, enforced where the value is read
 * (docs/SECURITY.md lists them). Each bound is far beyond any real value, and near enough that
 * no arithmetic on bounded values can overflow: a sum of bounded values stays finite however
 * many events add up, and the scoring formulas never see a value they cannot evaluate.
 */
public final class Bounds {
    /** Money of one event ({@code revenue}, {@code total}, {@code value}), either sign: one trillion units. */
    public static final double MAX_MONEY = 1e12;
    /** Value a brand gave for free in one event ({@code value_received}), in points. */
    public static final double MAX_VALUE_RECEIVED = 1e12;
    /** An audience ({@code reach}, {@code followers_gained}): ten billion, more than there are people. */
    public static final long MAX_AUDIENCE = 10_000_000_000L;
    /** Repeat contacts or channel switches of one event. */
    public static final long MAX_COUNT = 1_000_000;
    /** A duration ({@code wait_seconds}): ten years of 365.25 days, in seconds. */
    public static final double MAX_SECONDS = 315_576_000;
    /** The earliest instant any field may name. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    /** The latest instant any field may name: the end of year 9999. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    /**
     * The magnitude a decayed or running sum is held within. Unreachable with bounded inputs
     * (10^288 purchases at the money bound); it is there so that no sum can become infinite,
     * and so no score NaN, whatever the number of events.
     */
    public static final double MAX_SUM = 1e300;

    private Bounds() {}

    /** {@code v} if it is within [EARLIEST, LATEST], else the refusal naming {@code field}. */
    public static Instant instant(String field, Instant v) {
        if (v.isBefore(EARLIEST) || v.isAfter(LATEST)) {
            throw new InvalidInput(field, "is " + v + ", outside the supported range " + EARLIEST + " to " + LATEST);
        }
        return v;
    }

    /** {@code v} held within +-{@link #MAX_SUM}; NaN is a defect in the caller and is refused. */
    public static double sum(double v) {
        if (v > MAX_SUM) return MAX_SUM;
        if (v < -MAX_SUM) return -MAX_SUM;
        if (v != v) throw new IllegalStateException("a sum became NaN");
        return v;
    }
}
