package fusion.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Audiences and their activation, kept beside the log (schema v5): definitions, the membership
 * derived from the log with its entered/left changes and size series (kept so that a restart
 * neither forgets an audience nor invents changes), destinations, the outbox of what is still to
 * be sent to them, and export reports. Replay leaves these alone; an erasure deletes the person's
 * memberships, changes and outbox rows in its own transaction. The store knows nothing of the rule
 * language: rules and destination settings travel as the JSON text the server wrote.
 */
public interface AudienceRecords {

    record StoredDefinition(String id, String name, String rule, Instant created, Instant updated) {}

    /** A person entering ({@code entered}) or leaving an audience. */
    record StoredChange(String audience, String profile, Instant at, boolean entered) {}

    record StoredSize(String audience, Instant at, int size) {}

    record StoredDestination(String id, String audience, String config, Instant created, Instant updated) {}

    /**
     * Something to send to a destination under an idempotency key; {@code profile} is whose it is.
     * It is first due at {@code nextAt} ({@code Instant.MAX}: never by itself, as a file
     * destination's events, which wait for its next file).
     */
    record Outgoing(
            String key, String destination, String profile, String kind, Instant at, Instant nextAt, String body) {}

    /** An outbox row as it stands. */
    record OutboxRow(
            String key,
            String destination,
            String profile,
            String kind,
            Instant at,
            String body,
            OutboxStatus status,
            int attempts,
            int lastStatus,
            String lastError,
            Instant nextAt,
            Instant updated) {}

    /** Where an outbox row stands; stored as its {@link #label()}. */
    enum OutboxStatus {
        /** To be sent (or, for a file destination, written into its next file). */
        PENDING,
        DELIVERED,
        /** Given up after the destination's attempts: the body is kept for a re-send. */
        DEAD,
        /** Not sent: the person had no valid grant for the destination's purpose when it was due. */
        WITHHELD;

        public String label() {
            return StoredValues.label(this);
        }

        public static OutboxStatus of(String stored) {
            return StoredValues.parse(OutboxStatus.class, "activation_outbox.status", stored, OutboxStatus::label);
        }
    }

    /** Saves a definition, replacing one with the same id (its {@code created} is kept). */
    void saveDefinition(StoredDefinition definition);

    /** Deletes a definition with its members, changes and size series. */
    void deleteDefinition(String id);

    /** Every definition, oldest first. */
    List<StoredDefinition> definitions();

    /** The members of every audience, by audience id. */
    Map<String, Set<String>> members();

    /** The newest {@code limit} changes of {@code audience}, oldest first. */
    List<StoredChange> changes(String audience, int limit);

    /** The newest {@code limit} points of {@code audience}'s size series, oldest first. */
    List<StoredSize> sizes(String audience, int limit);

    /**
     * In one transaction: applies {@code changes} to the membership and appends them, appends the
     * size points, enqueues {@code outgoing} (a key already present is left as it is), and trims
     * the audiences in {@code trim} to their newest {@code keepChanges} changes and {@code keepSizes}
     * points.
     */
    void record(
            List<StoredChange> changes,
            List<StoredSize> sizes,
            List<Outgoing> outgoing,
            Set<String> trim,
            int keepChanges,
            int keepSizes);

    void saveDestination(StoredDestination destination);

    /** Deletes a destination with its outbox rows and export reports. */
    void deleteDestination(String id);

    List<StoredDestination> destinations();

    /** Enqueues {@code outgoing}; a key already present is left as it is. Returns how many were new. */
    int enqueue(List<Outgoing> outgoing);

    /** Pending rows due at or before {@code now}, oldest first, at most {@code limit}. */
    List<OutboxRow> due(Instant now, int limit);

    /** Rows of {@code destination} in {@code status}, oldest first, at most {@code limit}. */
    List<OutboxRow> outbox(String destination, OutboxStatus status, int limit);

    /** Counts of {@code destination}'s rows by status. */
    Map<OutboxStatus, Integer> counts(String destination);

    /**
     * Records an attempt on a row: its count, the HTTP status (or 0) and error, and where it now
     * stands; a pending row is next due at {@code nextAt}.
     */
    void attempted(
            String key, OutboxStatus status, int attempts, int lastStatus, String error, Instant nextAt, Instant at);

    /** Deletes rows (a file destination's events once written into a file). */
    void remove(List<String> keys);

    /** Makes {@code destination}'s pending rows due no sooner than {@code until} (it is failing). */
    void postpone(String destination, Instant until);

    /** Moves {@code destination}'s rows in {@code from} back to pending, due at {@code at}, attempts reset. */
    int requeue(String destination, OutboxStatus from, Instant at);

    /** Deletes rows in {@code status} last updated before {@code before}. */
    int purge(OutboxStatus status, Instant before);

    void saveExport(String id, String destination, Instant at, String report);

    /** The newest {@code limit} export reports of {@code destination}, newest first. */
    List<String> exports(String destination, int limit);
}
