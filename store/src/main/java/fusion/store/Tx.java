package fusion.store;

import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.core.engine.StateView;
import fusion.core.identity.Identity;
import fusion.core.identity.IdentityLookup;
import java.time.Instant;
import java.util.Map;

/**
 * The write operations the {@link Pipeline} needs to apply one batch inside the store's open
 * transaction (which a group commit shares with other batches, each in a savepoint). A store
 * implements it over its own tables; reads through {@link StateView} and {@link IdentityLookup}
 * see the transaction's own writes.
 */
public interface Tx extends StateView, IdentityLookup {
    /** Which of these messageIds the log already holds (one query per batch, not one per call). */
    java.util.Set<String> logged(java.util.Collection<String> messageIds);

    /**
     * Which of these ids belong to an erased person (their identities and profile ids are kept
     * as digests): another person's event that names them as a co-party must not bring them back.
     */
    java.util.Set<String> erasedIdentities(java.util.Collection<String> ids);

    /** Appends to the log; returns the new sequence number. */
    long append(LoggedEvent event);

    void createProfile(String profile, Instant at);

    void link(Identity identity, String profile, long seq);

    /** Moves identities, events and ledger entries of {@code absorbed} to {@code survivor} and drops it. */
    void absorbProfile(String survivor, String absorbed);

    void recordMerge(long seq, String survivor, String absorbed, boolean merged, String reason, Instant at);

    void removeRelationship(String party, String brand);

    void putRelationship(Relationship r);

    void addLedger(LedgerEntry entry, Relationship stateAfter);

    void touchProfile(String profile, Instant eventTime, boolean countEvent);

    void mergeTraits(String profile, Map<String, Object> traits);

    void upsertBrand(String id, String name, boolean competitor, boolean declared, long seq);

    void countUnknownEvent(String name, Instant at);

    /** Appends an entry to the profile's consent ledger; {@code position} orders entries of one event. */
    void recordConsent(String profile, fusion.core.consent.ConsentRecord consent, long seq, int position);

    /** One row of the log. */
    record LoggedEvent(
            String messageId,
            String type,
            String name,
            String profile,
            Instant eventTime,
            Instant receivedAt,
            String brand,
            String channel,
            String purpose,
            boolean scored,
            String body) {}
}
