package fusion.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the next-best-action service decided and how its deliveries went (schema v3, tables
 * {@code decisions} and {@code deliveries}). These are records of their own, not derived from the
 * event log: replay leaves them alone, and an erasure deletes the person's rows. The store knows
 * nothing of the decisions module; reasons travel as the JSON text the server wrote.
 */
public interface DecisionRecords {

    /**
     * One decision. For a "nothing", {@code kind}, {@code channel}, {@code purpose} and
     * {@code sendAt} are null, and so is {@code action} unless the person was held out of that
     * action (reason {@code holdout}): the control arm of its uplift.
     *
     * @param outcome an act, or nothing
     * @param status  recorded, scheduled, queued, delivered, withheld, dead (acts); none (nothing)
     * @param reasons JSON array of {@code {code, sentence}}
     */
    record DecisionRecord(
            String id,
            String profile,
            String brand,
            Instant at,
            String action,
            String kind,
            String channel,
            String purpose,
            Instant sendAt,
            Outcome outcome,
            Status status,
            String reasons) {}

    /** What a decision came to; stored as its {@link #label()} in {@code decisions.outcome}. */
    enum Outcome {
        ACT,
        NOTHING;

        /** The word stored and shown: {@code act}, {@code nothing}. */
        public String label() {
            return StoredValues.label(this);
        }

        /** The outcome a stored word names; any other word is refused naming it. */
        public static Outcome of(String stored) {
            return StoredValues.parse(Outcome.class, "decisions.outcome", stored, Outcome::label);
        }
    }

    /** Where a decision stands; stored as its {@link #label()} in {@code decisions.status}. */
    enum Status {
        /** An act decided while no webhooks are configured: kept, never sent. */
        RECORDED,
        /** An act waiting for its send time. */
        SCHEDULED,
        /** An act handed to delivery, not yet finished. */
        QUEUED,
        DELIVERED,
        /** Consent or a cap stopped it at the moment of sending. */
        WITHHELD,
        /** Delivery gave up: it is a dead letter. */
        DEAD,
        /** The status of a "nothing". */
        NONE;

        /** The word stored and shown: {@code recorded}, {@code scheduled}, ... */
        public String label() {
            return StoredValues.label(this);
        }

        public static Status of(String stored) {
            return StoredValues.parse(Status.class, "decisions.status", stored, Status::label);
        }
    }

    /** Where a delivery stands; stored as its {@link #label()} in {@code deliveries.status}. */
    enum DeliveryStatus {
        /** Bound to its body, being attempted. */
        SENDING,
        DELIVERED,
        /** Given up: the body is kept as a dead letter. */
        DEAD,
        /** A dead letter taken out to be sent again. */
        RESENDING;

        /** The word stored and shown: {@code sending}, {@code delivered}, {@code dead}, {@code resending}. */
        public String label() {
            return StoredValues.label(this);
        }

        public static DeliveryStatus of(String stored) {
            return StoredValues.parse(DeliveryStatus.class, "deliveries.status", stored, DeliveryStatus::label);
        }
    }

    /** A delivery under one idempotency key; {@code body} is present once it was dead-lettered. */
    record DeliveryRecord(
            String key,
            String decisionId,
            String profile,
            String channel,
            String bodySha256,
            Optional<byte[]> body,
            DeliveryStatus status,
            int attempts,
            int lastStatus,
            String lastError,
            Instant updated) {}

    /** One attempt: an HTTP status, or 0 and the error. */
    record AttemptRecord(String key, int attempt, int status, String error, Instant at) {}

    /** Records a decision; false (and nothing changed) when its id is already recorded. */
    boolean record(DecisionRecord decision);

    /** Moves a decision's status on (queued, delivered, withheld, dead...). */
    void status(String decisionId, Status status);

    /** The person's decisions, oldest first. */
    List<DecisionRecord> decisionsOf(String profile);

    /**
     * Acts in {@code status} due at or before {@code until}, soonest first. Any instant is
     * accepted: {@code Instant.MAX} lists every act in {@code status}.
     */
    List<DecisionRecord> due(Status status, Instant until);

    Optional<DecisionRecord> decision(String id);

    /**
     * Every decision that names {@code action}, oldest first: its acts and the "nothing"s of the
     * people held out of it (the two arms of its uplift).
     */
    List<DecisionRecord> decisionsForAction(String action);

    /**
     * Binds a body hash to a key (the decision must be recorded: the delivery is the person's and
     * goes with them on erasure). Returns the hash already bound, if any.
     */
    Optional<String> bindBody(String key, String bodySha256);

    void attempt(String key, int attempt, int status, String error, Instant at);

    void delivered(String key, int attempts, Instant at);

    void deadLetter(String key, byte[] body, int attempts, int lastStatus, String reason, Instant at);

    /** A dead letter taken out of the dead letters to be sent again. */
    void resending(String key, Instant at);

    List<DeliveryRecord> deliveries(DeliveryStatus status, int limit);

    Optional<DeliveryRecord> delivery(String key);

    List<AttemptRecord> attempts(String key);
}
