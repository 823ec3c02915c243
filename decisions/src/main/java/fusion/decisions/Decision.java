package fusion.decisions;

import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer for one customer at one instant: {@link Act} (one action, one channel, one send time)
 * or {@link Nothing}. Both carry their reasons; {@link #primary()} is the one a dashboard shows.
 */
public sealed interface Decision {

    String customer();

    Instant decidedAt();

    List<Reason> reasons();

    /** The headline reason: for {@link Nothing} the one that stopped everything. */
    default Reason primary() {
        return reasons().get(0);
    }

    default boolean hasReason(ReasonCode code) {
        return reasons().stream().anyMatch(r -> r.code() == code);
    }

    /**
     * Do this. {@code sendAt} equals {@code decidedAt} unless quiet hours deferred it.
     *
     * @param decisionId deterministic id of the decision, also the delivery's idempotency key
     */
    record Act(
            String decisionId,
            String customer,
            String actionId,
            ActionKind kind,
            Channel channel,
            ConsentPurpose purpose,
            Instant decidedAt,
            Instant sendAt,
            List<Reason> reasons)
            implements Decision {
        public Act {
            Objects.requireNonNull(decisionId, "decisionId");
            Objects.requireNonNull(customer, "customer");
            Objects.requireNonNull(actionId, "actionId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(decidedAt, "decidedAt");
            Objects.requireNonNull(sendAt, "sendAt");
            reasons = List.copyOf(reasons);
            if (sendAt.isBefore(decidedAt)) {
                throw new IllegalArgumentException("sendAt " + sendAt + " is before decidedAt " + decidedAt);
            }
        }

        /** The primary reason of an act is why this action was chosen. */
        @Override
        public Reason primary() {
            return reasons.stream()
                    .filter(r -> r.code() == ReasonCode.ACTION_CHOSEN)
                    .findFirst()
                    .orElse(reasons.get(0));
        }

        public boolean sendsNow() {
            return sendAt.equals(decidedAt);
        }

        public SentAction asSent() {
            return new SentAction(actionId, channel, sendAt, decisionId);
        }
    }

    /**
     * Do nothing now; the first reason is the one that decided it.
     *
     * @param heldOutOf the action the customer would have had and is held out of (reason
     *                  {@code holdout}): the control arm its uplift is measured against; empty
     *                  for every other "nothing"
     */
    record Nothing(String customer, Instant decidedAt, List<Reason> reasons, Optional<String> heldOutOf)
            implements Decision {
        public Nothing {
            Objects.requireNonNull(customer, "customer");
            Objects.requireNonNull(decidedAt, "decidedAt");
            Objects.requireNonNull(heldOutOf, "heldOutOf");
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("nothing must say why");
            }
        }

        /** Not a holdout. */
        public Nothing(String customer, Instant decidedAt, List<Reason> reasons) {
            this(customer, decidedAt, reasons, Optional.empty());
        }
    }
}
