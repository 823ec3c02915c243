package fusion.store;

import fusion.core.consent.ConsentRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The state the read API serves, derived from the {@link EventLog}: profiles, relationships and
 * their ledgers, timelines, brands, search, consent ledgers and counts. Read-only; the single
 * node answers from its own tables, a cluster from the serving tables its job writes.
 */
public interface ServingReads {

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

    /**
     * {@link #brand(String, Instant, int)} over {@code parties} only (an audience's members): as
     * if the store held the relationships of no one else.
     */
    Optional<BrandView> brand(String id, Instant at, int days, java.util.Set<String> parties);

    StoreStats stats();

    /** The profile's consent ledger, in the order it was recorded. */
    List<ConsentRecord> consents(String profile);

    /** Every profile's consent ledger, profile by profile (for the expiry sweep and audiences). */
    void forEachConsentLedger(BiConsumer<String, List<ConsentRecord>> consumer);

    /** Every profile id, in order (for audiences: people without a consent ledger get the defaults). */
    void forEachProfile(Consumer<ProfileSummary> consumer);

    /** A fingerprint of every derived table, for comparing two stores field by field. */
    StateDigest digest();
}
