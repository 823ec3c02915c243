package fusion.decisions;

import fusion.core.engine.Score;
import fusion.core.model.Channel;
import fusion.core.model.Interaction;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything the decision for one customer needs, gathered by the caller (server, stream job or
 * simulation). Plain data plus the consent check, which is a function so that it is asked at the
 * moment of use.
 *
 * @param customer         the resolved party id
 * @param brand            the own brand deciding
 * @param trajectory       the customer's recent interactions (any brand), in any order
 * @param zone             the customer's time zone, for quiet hours
 * @param statedChannels   channels the customer said they prefer (traits), best first
 * @param consent          the consent ledger, asked per purpose, channel and instant
 * @param sent             actions already decided for the customer (past and deferred)
 * @param predictedValue   expected value (e.g. CLV), when a model has one
 * @param probabilityAlive probability the customer is still active, when a model has one
 * @param score            the current relationship scores, when known
 */
public record CustomerContext(
        String customer,
        String brand,
        List<Interaction> trajectory,
        ZoneId zone,
        List<Channel> statedChannels,
        ConsentCheck consent,
        List<SentAction> sent,
        OptionalDouble predictedValue,
        OptionalDouble probabilityAlive,
        Optional<Score> score,
        java.util.function.Predicate<String> audiences) {

    /** A context that knows of no audience (an action gated by one is not eligible). */
    public CustomerContext(
            String customer,
            String brand,
            List<Interaction> trajectory,
            ZoneId zone,
            List<Channel> statedChannels,
            ConsentCheck consent,
            List<SentAction> sent,
            OptionalDouble predictedValue,
            OptionalDouble probabilityAlive,
            Optional<Score> score) {
        this(
                customer,
                brand,
                trajectory,
                zone,
                statedChannels,
                consent,
                sent,
                predictedValue,
                probabilityAlive,
                score,
                audience -> false);
    }

    public CustomerContext {
        Objects.requireNonNull(audiences, "audiences");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(consent, "consent");
        Objects.requireNonNull(predictedValue, "predictedValue");
        Objects.requireNonNull(probabilityAlive, "probabilityAlive");
        Objects.requireNonNull(score, "score");
        trajectory = List.copyOf(trajectory);
        statedChannels = List.copyOf(statedChannels);
        sent = List.copyOf(sent);
    }

    public static Builder builder(String customer, String brand) {
        return new Builder(customer, brand);
    }

    public Builder toBuilder() {
        Builder b = new Builder(customer, brand);
        b.trajectory.addAll(trajectory);
        b.zone = zone;
        b.statedChannels.addAll(statedChannels);
        b.consent = consent;
        b.sent.addAll(sent);
        b.predictedValue = predictedValue;
        b.probabilityAlive = probabilityAlive;
        b.score = score;
        b.audiences = audiences;
        return b;
    }

    /** The same customer with one more action decided. */
    public CustomerContext withSent(SentAction s) {
        return toBuilder().sent(s).build();
    }

    /** Defaults: UTC, no stated preference, no consent, nothing sent, no predictions. */
    public static final class Builder {
        private final String customer;
        private final String brand;
        private final List<Interaction> trajectory = new ArrayList<>();
        private ZoneId zone = ZoneId.of("UTC");
        private final List<Channel> statedChannels = new ArrayList<>();
        private ConsentCheck consent = ConsentCheck.DENY_ALL;
        private final List<SentAction> sent = new ArrayList<>();
        private OptionalDouble predictedValue = OptionalDouble.empty();
        private OptionalDouble probabilityAlive = OptionalDouble.empty();
        private Optional<Score> score = Optional.empty();
        private java.util.function.Predicate<String> audiences = audience -> false;

        private Builder(String customer, String brand) {
            this.customer = customer;
            this.brand = brand;
        }

        public Builder trajectory(List<Interaction> v) {
            trajectory.clear();
            trajectory.addAll(v);
            return this;
        }

        public Builder interaction(Interaction v) {
            trajectory.add(v);
            return this;
        }

        public Builder zone(ZoneId v) {
            zone = v;
            return this;
        }

        public Builder statedChannels(Channel... v) {
            statedChannels.clear();
            statedChannels.addAll(List.of(v));
            return this;
        }

        public Builder consent(ConsentCheck v) {
            consent = v;
            return this;
        }

        public Builder sent(SentAction v) {
            sent.add(v);
            return this;
        }

        public Builder sent(List<SentAction> v) {
            sent.clear();
            sent.addAll(v);
            return this;
        }

        public Builder predictedValue(double v) {
            predictedValue = OptionalDouble.of(v);
            return this;
        }

        public Builder probabilityAlive(double v) {
            probabilityAlive = OptionalDouble.of(v);
            return this;
        }

        public Builder score(Score v) {
            score = Optional.of(v);
            return this;
        }
        /** Whether the customer is in an audience, by id (default: in none). */
        public Builder audiences(java.util.function.Predicate<String> v) {
            audiences = Objects.requireNonNull(v);
            return this;
        }

        public CustomerContext build() {
            return new CustomerContext(
                    customer,
                    brand,
                    trajectory,
                    zone,
                    statedChannels,
                    consent,
                    sent,
                    predictedValue,
                    probabilityAlive,
                    score,
                    audiences);
        }
    }
}
