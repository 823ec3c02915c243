package fusion.store.sql;

import fusion.core.identity.Identity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The writer's memory of the identity graph, so resolving a known customer costs no query. Like
 * the relationship cache, writes of the open transaction sit in an overlay that is folded in on
 * commit and dropped (with everything else) on rollback.
 */
final class IdentityCache {
    private static final int CAPACITY = 200_000;
    private static final String NONE = "";

    /** How to read what the cache does not hold. */
    interface Loader {
        Optional<String> profileOf(Identity identity);

        List<Identity> identitiesOf(String profile);
    }

    private final Map<String, String> profiles = lru();
    private final Map<String, List<Identity>> identities = lru();
    private final Map<String, String> pendingProfiles = new HashMap<>();
    private final Map<String, List<Identity>> pendingIdentities = new HashMap<>();

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CAPACITY;
            }
        };
    }

    Optional<String> profileOf(Identity identity, Loader db) {
        String key = identity.key();
        String p = pendingProfiles.get(key);
        if (p == null) p = profiles.get(key);
        if (p == null) {
            p = db.profileOf(identity).orElse(NONE);
            profiles.put(key, p);
        }
        return p.equals(NONE) ? Optional.empty() : Optional.of(p);
    }

    List<Identity> identitiesOf(String profile, Loader db) {
        List<Identity> l = pendingIdentities.get(profile);
        if (l == null) l = identities.get(profile);
        if (l == null) {
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
            pendingIdentities.put(before.get(), List.copyOf(old));
        }
        pendingProfiles.put(identity.key(), profile);
        List<Identity> now = new ArrayList<>(identitiesOf(profile, db));
        if (!now.contains(identity)) now.add(identity);
        pendingIdentities.put(profile, List.copyOf(now));
    }

    void absorbed(String survivor, String absorbed, Loader db) {
        List<Identity> moving = identitiesOf(absorbed, db);
        List<Identity> merged = new ArrayList<>(identitiesOf(survivor, db));
        for (Identity i : moving) {
            pendingProfiles.put(i.key(), survivor);
            if (!merged.contains(i)) merged.add(i);
        }
        pendingIdentities.put(survivor, List.copyOf(merged));
        pendingIdentities.put(absorbed, List.of());
    }

    void commit() {
        profiles.putAll(pendingProfiles);
        identities.putAll(pendingIdentities);
        pendingProfiles.clear();
        pendingIdentities.clear();
    }

    void clear() {
        profiles.clear();
        identities.clear();
        pendingProfiles.clear();
        pendingIdentities.clear();
    }
}
