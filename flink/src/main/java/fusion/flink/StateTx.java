package fusion.flink;

import fusion.core.consent.ConsentRecord;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.core.identity.Identity;
import fusion.store.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * The {@link Tx} the ordered stage runs the store's {@link fusion.store.Pipeline} on (without its
 * relationship half, {@link fusion.store.Pipeline#withoutRelationships}): reads come from Flink's
 * checkpointed state (the identity graph, the log's next sequence number), writes update that
 * state and are recorded, in order, in {@link Ops} for the sink. Relationship states are not
 * here: the engine stage keeps them per profile ({@link Score}); what it needs of a call (its
 * profile, the merge it made, the call as logged) is kept for {@link #takeLogged} and
 * {@link #takeMerge}. Nothing is read from a database.
 */
final class StateTx implements Tx {
    private final MapState<String, String> profileOfIdentity;
    private final MapState<String, String> identitiesOfProfile;
    private final ValueState<Long> nextSeq;
    private final MapState<String, String> profileOfMessage;
    private final MapState<String, String> absorbedIntoProfile;
    private final MapState<String, Boolean> erasedNames;
    private Ops ops = new Ops();
    private LoggedEvent logged;
    private Merge merge;

    /** A merge the last call made: {@code absorbed} became part of {@code survivor}. */
    record Merge(String survivor, String absorbed, String reason, Instant at) {}

    /**
     * @param profileOfMessage    messageId to the profile its call was logged under (the de-duplication
     *                            state; an erasure finds the person's messageIds here)
     * @param absorbedIntoProfile profile to the profiles merged into it, one per line (an erasure's names)
     * @param erasedNames         digests of erased people's names: co-parties no later call may name
     */
    StateTx(
            MapState<String, String> profileOfIdentity,
            MapState<String, String> identitiesOfProfile,
            ValueState<Long> nextSeq,
            MapState<String, String> profileOfMessage,
            MapState<String, String> absorbedIntoProfile,
            MapState<String, Boolean> erasedNames) {
        this.profileOfIdentity = profileOfIdentity;
        this.identitiesOfProfile = identitiesOfProfile;
        this.nextSeq = nextSeq;
        this.profileOfMessage = profileOfMessage;
        this.absorbedIntoProfile = absorbedIntoProfile;
        this.erasedNames = erasedNames;
    }

    /** Takes the next position in the log's order for a record that logs no call (an erasure). */
    long reserveSeq() {
        long seq = nextSeq();
        update(nextSeq, seq + 1);
        return seq;
    }

    /**
     * The profile an erasure command means: {@code profile} if the job still knows it, else the
     * profile one of {@code ids} resolves to now (it was merged since the read API looked), else
     * none (already erased, or never seen).
     */
    Optional<String> profileToErase(String profile, List<String> ids) {
        if (get(identitiesOfProfile, profile) != null) return Optional.of(profile);
        for (String id : ids) {
            for (Identity i : List.of(Identity.user(id), Identity.anonymous(id))) {
                Optional<String> p = profileOf(i);
                if (p.isPresent()) return p;
            }
        }
        return Optional.empty();
    }

    /**
     * Removes the person from the job's state: their identities, their relationship states, the
     * record of profiles merged into them, and their messageIds (kept only as digests, so a resent
     * copy is still dropped); their names are kept as digests, so no later call can name them as a
     * co-party. Returns every name they went by (profile, ids, merged-in profiles). One pass over the
     * de-duplication state: an erasure costs a scan of the messageIds retained.
     */
    java.util.Set<String> erase(String profile) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        names.add(profile);
        java.util.Set<String> profiles = new java.util.HashSet<>();
        profiles.add(profile);
        String absorbed = get(absorbedIntoProfile, profile);
        if (absorbed != null && !absorbed.isEmpty()) profiles.addAll(List.of(absorbed.split("\n")));
        names.addAll(profiles);
        for (Identity i : identitiesOf(profile)) {
            remove(profileOfIdentity, i.key());
            names.add(i.value());
        }
        for (String p : profiles) remove(identitiesOfProfile, p);
        remove(absorbedIntoProfile, profile);
        List<String> theirs = new ArrayList<>();
        try {
            for (Map.Entry<String, String> e : profileOfMessage.entries()) {
                if (profiles.contains(e.getValue())) theirs.add(e.getKey());
            }
        } catch (Exception e) {
            throw new IllegalStateException("reading job state", e);
        }
        for (String id : theirs) {
            remove(profileOfMessage, id);
            put(profileOfMessage, erasedMessage(id), "");
        }
        forget(names);
        return names;
    }

    /** Keeps {@code names} as erased: no later call can name them as a co-party. */
    void forget(Collection<String> names) {
        for (String n : names) put(erasedNames, Digest.of(Digest.IDENTITY + n), Boolean.TRUE);
    }

    /** Under what key an erased messageId is remembered in the de-duplication state. */
    static String erasedMessage(String messageId) {
        return Digest.ERASED + Digest.of(messageId);
    }

    /** The call the last {@link fusion.store.Pipeline#apply} logged (its profile, whether it is scored, its record). */
    LoggedEvent takeLogged() {
        LoggedEvent e = logged;
        logged = null;
        return e;
    }

    /** The merge the last call made, or null. */
    Merge takeMerge() {
        Merge m = merge;
        merge = null;
        return m;
    }

    /** The writes recorded since the last call, as bytes; starts a new record. */
    byte[] takeOps() {
        byte[] b = ops.toBytes();
        ops = new Ops();
        return b;
    }

    /** The sequence number the next logged call gets (the single node's events.seq). */
    long nextSeq() {
        Long n = get(nextSeq);
        return n == null ? 1 : n;
    }

    // ---- reads

    /** Relationship states live in the engine stage; the pipeline here runs without its relationship half. */
    @Override
    public Optional<Relationship> relationship(String party, String brand) {
        throw new IllegalStateException("relationship states are kept by the engine stage, not the ordered one");
    }

    @Override
    public List<Relationship> relationshipsOf(String party) {
        throw new IllegalStateException("relationship states are kept by the engine stage, not the ordered one");
    }

    @Override
    public Optional<String> profileOf(Identity identity) {
        return Optional.ofNullable(get(profileOfIdentity, identity.key()));
    }

    @Override
    public List<Identity> identitiesOf(String profile) {
        String keys = get(identitiesOfProfile, profile);
        List<Identity> out = new ArrayList<>();
        if (keys == null || keys.isEmpty()) return out;
        for (String k : keys.split("\n")) out.add(Identity.parseKey(k));
        return out;
    }

    /** De-duplication happens in the job's keyed stage before this one: nothing arriving here is logged. */
    @Override
    public Set<String> logged(Collection<String> messageIds) {
        return Set.of();
    }

    /** Which of {@code ids} an erasure command before this point in the log named. */
    @Override
    public Set<String> erasedIdentities(Collection<String> ids) {
        Set<String> out = new java.util.HashSet<>();
        for (String id : ids) {
            if (get(erasedNames, Digest.of(Digest.IDENTITY + id)) != null) out.add(id);
        }
        return out;
    }

    // ---- writes

    @Override
    public long append(LoggedEvent event) {
        long seq = nextSeq();
        update(nextSeq, seq + 1);
        put(profileOfMessage, event.messageId(), event.profile());
        logged = event;
        ops.append(event);
        return seq;
    }

    @Override
    public void createProfile(String profile, Instant at) {
        ops.createProfile(profile, at);
    }

    @Override
    public void link(Identity identity, String profile, long seq) {
        Optional<String> before = profileOf(identity);
        if (before.isPresent() && !before.get().equals(profile)) {
            List<Identity> old = identitiesOf(before.get());
            old.remove(identity);
            putIdentities(before.get(), old);
        }
        put(profileOfIdentity, identity.key(), profile);
        List<Identity> now = identitiesOf(profile);
        if (!now.contains(identity)) now.add(identity);
        putIdentities(profile, now);
        ops.link(identity, profile, seq);
    }

    @Override
    public void absorbProfile(String survivor, String absorbed) {
        List<Identity> merged = identitiesOf(survivor);
        for (Identity i : identitiesOf(absorbed)) {
            put(profileOfIdentity, i.key(), survivor);
            if (!merged.contains(i)) merged.add(i);
        }
        putIdentities(survivor, merged);
        putIdentities(absorbed, List.of());
        java.util.Set<String> into = new java.util.LinkedHashSet<>();
        for (String p : List.of(survivor, absorbed)) {
            String before = get(absorbedIntoProfile, p);
            if (before != null && !before.isEmpty()) into.addAll(List.of(before.split("\n")));
        }
        into.add(absorbed);
        put(absorbedIntoProfile, survivor, String.join("\n", into));
        remove(absorbedIntoProfile, absorbed);
        ops.absorb(survivor, absorbed);
    }

    @Override
    public void recordMerge(long seq, String survivor, String absorbed, boolean merged, String reason, Instant at) {
        if (merged) {
            if (merge != null)
                throw new IllegalStateException("one call merged two profiles: " + merge + ", " + absorbed);
            merge = new Merge(survivor, absorbed, reason, at);
        }
        ops.merge(seq, survivor, absorbed, merged, reason, at);
    }

    @Override
    public void removeRelationship(String party, String brand) {
        throw new IllegalStateException("relationship states are kept by the engine stage, not the ordered one");
    }

    @Override
    public void putRelationship(Relationship r) {
        throw new IllegalStateException("relationship states are kept by the engine stage, not the ordered one");
    }

    @Override
    public void addLedger(LedgerEntry entry, Relationship stateAfter) {
        throw new IllegalStateException("the ledger is written by the engine stage, not the ordered one");
    }

    @Override
    public void touchProfile(String profile, Instant eventTime, boolean countEvent) {
        ops.touch(profile, eventTime, countEvent);
    }

    @Override
    public void mergeTraits(String profile, Map<String, Object> traits) {
        ops.traits(profile, traits);
    }

    @Override
    public void upsertBrand(String id, String name, boolean competitor, boolean declared, long seq) {
        ops.brand(id, name, competitor, declared, seq);
    }

    @Override
    public void countUnknownEvent(String name, Instant at) {
        ops.unknown(name, at);
    }

    @Override
    public void recordConsent(String profile, ConsentRecord consent, long seq, int position) {
        ops.consent(profile, consent, seq, position);
    }

    private void putIdentities(String profile, List<Identity> ids) {
        if (ids.isEmpty()) {
            remove(identitiesOfProfile, profile);
        } else {
            put(
                    identitiesOfProfile,
                    profile,
                    String.join("\n", ids.stream().map(Identity::key).toList()));
        }
    }

    // Flink's state calls declare Exception; a failure there fails the task, which restarts from a checkpoint

    private static <V> V get(MapState<String, V> s, String k) {
        try {
            return s.get(k);
        } catch (Exception e) {
            throw new IllegalStateException("reading job state", e);
        }
    }

    private static <V> void put(MapState<String, V> s, String k, V v) {
        try {
            s.put(k, v);
        } catch (Exception e) {
            throw new IllegalStateException("writing job state", e);
        }
    }

    private static <V> void remove(MapState<String, V> s, String k) {
        try {
            s.remove(k);
        } catch (Exception e) {
            throw new IllegalStateException("writing job state", e);
        }
    }

    private static <V> V get(ValueState<V> s) {
        try {
            return s.value();
        } catch (Exception e) {
            throw new IllegalStateException("reading job state", e);
        }
    }

    private static <V> void update(ValueState<V> s, V v) {
        try {
            s.update(v);
        } catch (Exception e) {
            throw new IllegalStateException("writing job state", e);
        }
    }
}
