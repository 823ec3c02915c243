package fusion.store.sql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import fusion.core.identity.Identity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The writer's memory of the identity graph, so resolving a known customer costs no query. Like
 * the relationship cache, writes of the open transaction sit in an overlay that is folded in on
 * commit. Entries the open transaction (and its open batch) loaded or wrote are noted, so a
 * rollback drops those alone: an entry loaded mid-transaction may hold its uncommitted links.
 */
final class IdentityCache {
    private static final String NONE = "";

    /** How to read what the cache does not hold. */
    interface Loader {
        Optional<String> profileOf(Identity identity);

        List<Identity> identitiesOf(String profile);
    }

    private final Cache<String, String> profiles;
    private final Cache<String, List<Identity>> identities;
    private final Map<String, String> pendingProfiles = new HashMap<>();
    private final Map<String, List<Identity>> pendingIdentities = new HashMap<>();
    /** Keys of {@link #profiles} and {@link #identities} the open transaction loaded or wrote, and those of its open batch. */
    private final Set<String> txIdentityKeys = new HashSet<>();

    private final Set<String> txProfiles = new HashSet<>();
    private final Set<String> batchIdentityKeys = new HashSet<>();
    private final Set<String> batchProfiles = new HashSet<>();
    private long loads;

    /** {@code capacity}: identities, and profiles, whose links are kept in memory (each Caffeine's size bound). */
    IdentityCache(int capacity) {
        this.profiles = bounded(capacity);
        this.identities = bounded(capacity);
    }

    private static <V> Cache<String, V> bounded(int capacity) {
        // evictions run on the writer's thread: the writer is the cache's only user
        return Caffeine.newBuilder()
                .maximumSize(capacity)
                .executor(Runnable::run)
                .build();
    }

    Optional<String> profileOf(Identity identity, Loader db) {
        String key = identity.key();
        String p = pendingProfiles.get(key);
        if (p == null) p = profiles.getIfPresent(key);
        if (p == null) {
            touchedIdentity(key);
            loads++;
            p = db.profileOf(identity).orElse(NONE);
            profiles.put(key, p);
        }
        return p.equals(NONE) ? Optional.empty() : Optional.of(p);
    }

    List<Identity> identitiesOf(String profile, Loader db) {
        List<Identity> l = pendingIdentities.get(profile);
        if (l == null) l = identities.getIfPresent(profile);
        if (l == null) {
            touchedProfile(profile);
            loads++;
            l = List.copyOf(db.identitiesOf(profile));
            identities.put(profile, l);
        }
        return l;
    }

    void linked(Identity identity, String profile, Loader db) {
        Optional<String> before = profileOf(identity, db);
        if (before.isPresent() && !before.get().equals(profile)) {
            List<Identity> old = new ArrayList<>(identitiesOf(before.get(), db));
            old.remove(identity);
            pendingIdentities(before.get(), List.copyOf(old));
        }
        pendingProfile(identity.key(), profile);
        List<Identity> now = new ArrayList<>(identitiesOf(profile, db));
        if (!now.contains(identity)) now.add(identity);
        pendingIdentities(profile, List.copyOf(now));
    }

    void absorbed(String survivor, String absorbed, Loader db) {
        List<Identity> moving = identitiesOf(absorbed, db);
        List<Identity> merged = new ArrayList<>(identitiesOf(survivor, db));
        for (Identity i : moving) {
            pendingProfile(i.key(), survivor);
            if (!merged.contains(i)) merged.add(i);
        }
        pendingIdentities(survivor, List.copyOf(merged));
        pendingIdentities(absorbed, List.of());
    }

    private void pendingProfile(String identityKey, String profile) {
        touchedIdentity(identityKey);
        pendingProfiles.put(identityKey, profile);
    }

    private void pendingIdentities(String profile, List<Identity> list) {
        touchedProfile(profile);
        pendingIdentities.put(profile, list);
    }

    private void touchedIdentity(String key) {
        txIdentityKeys.add(key);
        batchIdentityKeys.add(key);
    }

    private void touchedProfile(String profile) {
        txProfiles.add(profile);
        batchProfiles.add(profile);
    }

    void commit() {
        profiles.putAll(pendingProfiles);
        identities.putAll(pendingIdentities);
        pendingProfiles.clear();
        pendingIdentities.clear();
        forgetTouched();
    }

    /** A batch begins inside the open transaction: what it touches is noted afresh. */
    void savepoint() {
        batchIdentityKeys.clear();
        batchProfiles.clear();
    }

    /**
     * The open batch was rolled back to its savepoint: the entries it loaded or wrote are dropped
     * (pending ones too; reloading sees the earlier batches' links, which are in the database).
     */
    void rollbackBatch() {
        pendingProfiles.keySet().removeAll(batchIdentityKeys);
        pendingIdentities.keySet().removeAll(batchProfiles);
        profiles.invalidateAll(batchIdentityKeys);
        identities.invalidateAll(batchProfiles);
        batchIdentityKeys.clear();
        batchProfiles.clear();
    }

    /** The whole transaction was rolled back: what it loaded or wrote is dropped, the rest stays. */
    void rollback() {
        pendingProfiles.clear();
        pendingIdentities.clear();
        profiles.invalidateAll(txIdentityKeys);
        identities.invalidateAll(txProfiles);
        forgetTouched();
    }

    private void forgetTouched() {
        txIdentityKeys.clear();
        txProfiles.clear();
        batchIdentityKeys.clear();
        batchProfiles.clear();
    }

    /** How many lookups went to the database (cache misses). */
    long loads() {
        return loads;
    }

    void clear() {
        profiles.invalidateAll();
        identities.invalidateAll();
        pendingProfiles.clear();
        pendingIdentities.clear();
        forgetTouched();
    }
}
