package fusion.store;

import fusion.core.segment.SegmentCall;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Fusion's storage: an append-only event log plus the state derived from it (profiles and their
 * identities, relationships, ledgers, brands). Implementations must acknowledge a batch only
 * once it is durable, apply it all or not at all, and rebuild exactly the same state when the
 * log is replayed from empty.
 */
public interface Store extends AutoCloseable {

    /**
     * Logs and applies a batch atomically (the SQL store commits it with the other batches waiting
     * at the time, in its own savepoint). Calls whose {@code messageId} is already in
     * the log (or earlier in the batch) are skipped and counted. Throws
     * {@link fusion.core.model.InvalidInput} (nothing stored) when a call does not fit.
     */
    IngestResult ingest(List<SegmentCall> calls);

    /** The profile that {@code id} (a profile id, user id or anonymous id) belongs to. */
    Optional<ProfileView> profile(String id);

    /** The profile's relationships with their scores at {@code at} and latest ledger entries. */
    List<RelationshipView> relationships(String profile, Instant at, int ledgerEntries);

    /** Ledger of one pair, newest first. */
    List<LedgerView> ledger(String profile, String brand, int limit);

    /** The profile's events, newest first. */
    List<TimelineItem> timeline(String profile, int limit);

    /** Profiles whose id or identities start with {@code prefix}, or whose traits contain it. */
    List<ProfileSummary> searchProfiles(String query, int limit);

    List<BrandSummary> brands(Instant at);

    /** A brand's health now and as a daily series over {@code days} days ending at {@code at}. */
    Optional<BrandView> brand(String id, Instant at, int days);

    StoreStats stats();

    /** The profile's consent ledger, in the order it was recorded. */
    List<fusion.core.consent.ConsentRecord> consents(String profile);

    /** Every profile's consent ledger, profile by profile (for the expiry sweep and audiences). */
    void forEachConsentLedger(java.util.function.BiConsumer<String, List<fusion.core.consent.ConsentRecord>> consumer);

    /** Every profile id, in order (for audiences: people without a consent ledger get the defaults). */
    void forEachProfile(java.util.function.Consumer<ProfileSummary> consumer);

    /** The profile's calls from the log, oldest first (for the person's export). */
    void forEachEventOf(String profile, EventConsumer consumer);

    /**
     * Erases a person: their events leave the log, and every derived table is rebuilt as if they
     * had never existed. Returns the record the erasure leaves, which names no one.
     */
    Erasure erase(String profile, String actor, java.io.PrintStream progress);

    List<Erasure> erasures();

    /**
     * Every scored interaction in log order (the order they arrived in, which live consumers saw),
     * attributed to the profile each event belongs to now (after merges).
     */
    void forEachInteraction(java.util.function.Consumer<fusion.core.model.Interaction> consumer);

    /** Tells {@code listener} about every committed batch's interactions, and when the state was rebuilt. */
    void listen(Listener listener);

    /** Someone keeping state of their own in step with the store (live journey statistics). */
    interface Listener {
        /**
         * A batch committed: its scored interactions in log order, and whether it merged profiles
         * (interactions seen earlier under an absorbed profile now belong to the survivor).
         * Called under the writer's lock: be quick.
         */
        void committed(List<fusion.core.model.Interaction> interactions, boolean merged);

        /** The derived state was rebuilt (after an erasure): start again from {@link #forEachInteraction}. */
        void rebuilt();
    }

    /** Stores a declared brand action and returns it with its id. */
    BrandAction declareAction(BrandAction action);

    /** The brand's declared actions, earliest start first. */
    List<BrandAction> actions(String brand);

    /** One of the brand's declared actions. */
    Optional<BrandAction> action(String brand, long id);

    /** Credentials and the audit log. */
    Access access();

    /** Decisions of the next-best-action service and their deliveries. */
    DecisionRecords decisions();

    /** Every call in the log, in log order (for replay and export). */
    void forEachEvent(EventConsumer consumer);

    /** A fingerprint of every derived table, for comparing two stores field by field. */
    StateDigest digest();

    @Override
    void close();

    @FunctionalInterface
    interface EventConsumer {
        void accept(long seq, SegmentCall call);
    }
}
