package fusion.core.model;

/**
 * What came of an interaction. Every signal is optional; absent signals are neutral and move
 * nothing. Money is in the event's currency units; reach is the audience the consumer exposed
 * the act to (followers), which weights advocacy (seed 000).
 *
 * @param need             whether the need was met
 * @param waitSeconds      time the consumer waited, 0 when unknown
 * @param repeatContacts   how many times they had to come back for the same matter
 * @param channelSwitches  how often they were forced to change channel
 * @param sentiment        -1 (angry) .. +1 (happy), {@code NaN} when unknown
 * @param wow              a moment of delight
 * @param money            revenue to the brand (negative for a refund)
 * @param valueReceived    value the brand gave for free (a concert, a service), in points
 * @param staff            how the brand's side behaved
 * @param consumer         how the consumer behaved
 * @param reach            audience of the act, 0 if private
 * @param followersGained  followers the consumer gained from the act
 */
public record Outcome(
        Need need,
        double waitSeconds,
        int repeatContacts,
        int channelSwitches,
        double sentiment,
        boolean wow,
        double money,
        double valueReceived,
        Politeness staff,
        Politeness consumer,
        long reach,
        long followersGained) {

    public static final Outcome NEUTRAL =
            new Outcome(Need.UNKNOWN, 0, 0, 0, Double.NaN, false, 0, 0, Politeness.UNKNOWN, Politeness.UNKNOWN, 0, 0);

    public Outcome {
        requireNonNull(need, "need");
        requireNonNull(staff, "staff_politeness");
        requireNonNull(consumer, "consumer_politeness");
        requireAtLeastZero("wait_seconds", waitSeconds);
        requireAtLeastZero("repeat_contacts", repeatContacts);
        requireAtLeastZero("channel_switches", channelSwitches);
        requireAtLeastZero("value_received", valueReceived);
        requireAtLeastZero("reach", reach);
        requireAtLeastZero("followers_gained", followersGained);
        if (!Double.isNaN(sentiment) && (sentiment < -1 || sentiment > 1)) {
            throw new InvalidInput("sentiment", "expected a number from -1 to 1 but was " + sentiment);
        }
        if (!Double.isFinite(money) || Math.abs(money) > Bounds.MAX_MONEY) {
            throw new InvalidInput(
                    "revenue",
                    "expected a number from -" + (long) Bounds.MAX_MONEY + " to " + (long) Bounds.MAX_MONEY
                            + " but was " + money);
        }
        requireAtMost("wait_seconds", waitSeconds, Bounds.MAX_SECONDS);
        requireAtMost("value_received", valueReceived, Bounds.MAX_VALUE_RECEIVED);
        requireAtMost("reach", reach, Bounds.MAX_AUDIENCE);
        requireAtMost("followers_gained", followersGained, Bounds.MAX_AUDIENCE);
    }

    private static void requireAtMost(String field, double v, double max) {
        if (v > max) {
            throw new InvalidInput(field, "expected at most " + (long) max + " but was " + v);
        }
    }

    public boolean hasSentiment() {
        return !Double.isNaN(sentiment);
    }

    public boolean isPublic() {
        return reach > 0;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(NEUTRAL);
    }

    private static void requireNonNull(Object o, String field) {
        if (o == null) {
            throw new InvalidInput(field, "must not be null");
        }
    }

    private static void requireAtLeastZero(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new InvalidInput(field, "expected a finite number >= 0 but was " + v);
        }
    }

    /** Builder for the many optional signals; {@link #build()} validates. */
    public static final class Builder {
        private Need need;
        private double waitSeconds;
        private int repeatContacts;
        private int channelSwitches;
        private double sentiment;
        private boolean wow;
        private double money;
        private double valueReceived;
        private Politeness staff;
        private Politeness consumer;
        private long reach;
        private long followersGained;

        private Builder(Outcome o) {
            need = o.need;
            waitSeconds = o.waitSeconds;
            repeatContacts = o.repeatContacts;
            channelSwitches = o.channelSwitches;
            sentiment = o.sentiment;
            wow = o.wow;
            money = o.money;
            valueReceived = o.valueReceived;
            staff = o.staff;
            consumer = o.consumer;
            reach = o.reach;
            followersGained = o.followersGained;
        }

        public Builder need(Need v) {
            need = v;
            return this;
        }

        public Builder waitSeconds(double v) {
            waitSeconds = v;
            return this;
        }

        public Builder repeatContacts(int v) {
            repeatContacts = v;
            return this;
        }

        public Builder channelSwitches(int v) {
            channelSwitches = v;
            return this;
        }

        public Builder sentiment(double v) {
            sentiment = v;
            return this;
        }

        public Builder wow(boolean v) {
            wow = v;
            return this;
        }

        public Builder money(double v) {
            money = v;
            return this;
        }

        public Builder valueReceived(double v) {
            valueReceived = v;
            return this;
        }

        public Builder staff(Politeness v) {
            staff = v;
            return this;
        }

        public Builder consumer(Politeness v) {
            consumer = v;
            return this;
        }

        public Builder reach(long v) {
            reach = v;
            return this;
        }

        public Builder followersGained(long v) {
            followersGained = v;
            return this;
        }

        public Outcome build() {
            return new Outcome(
                    need,
                    waitSeconds,
                    repeatContacts,
                    channelSwitches,
                    sentiment,
                    wow,
                    money,
                    valueReceived,
                    staff,
                    consumer,
                    reach,
                    followersGained);
        }
    }
}
