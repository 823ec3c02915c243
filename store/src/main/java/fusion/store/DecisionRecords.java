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
     * One decision. For a "nothing", {@code action}, {@code kind}, {@code channel}, {@code purpose}
     * and {@code sendAt} are null.
     *
     * @param outcome {@code act} or {@code nothing}
     * @param status  recorded, scheduled, queued, delivered, withheld, dead (acts); none (nothing)
     * @param reasons JSON array of {@code {code, sentence}}
     */
    record DecisionRecord(String id, String profile, String brand, Instant at, String action, String kind,
                          String channel, String purpose, Instant sendAt, String outcome, String status,
                          String reasons) {}

    /** A delivery under one idempotency key; {@code body} is present once it was dead-lettered. */
    record DeliveryRecord(String key, String decisionId, String profile, String channel, String bodySha256,
                          Optional<byte[]> body, String status, int attempts, int lastStatus, String lastError,
                          Instant updated) {}

    /** One attempt: an HTTP status, or 0 and the error. */
    record AttemptRecord(String key, int attempt, int status, String error, Instant at) {}

    /** Records a decision; false (and nothing changed) when its id is already recorded. */
    boolean record(DecisionRecord decision);

    /** Moves a decision's status on (queued, delivered, withheld, dead...). */
    void status(String decisionId, String status);

    /** The person's decisions, oldest first. */
    List<DecisionRecord> decisionsOf(String profile);

    /**
     * Acts in {@code status} due at or before {@code until}, soonest first. Any instant is
     * accepted: {@code Instant.MAX} lists every act in {@code status}.
     */
    List<DecisionRecord> due(String status, Instant until);

    Optional<DecisionRecord> decision(String id);

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

    List<DeliveryRecord> deliveries(String status, int limit);

    Optional<DeliveryRecord> delivery(String key);

    List<AttemptRecord> attempts(String key);
}
