package fusion.flink;

import fusion.core.consent.ConsentRecord;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.core.identity.Identity;
import fusion.store.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * The {@link Tx} the store's {@link fusion.store.Pipeline} runs on inside the job: reads come
 * from Flink's checkpointed state (the identity graph, every party's relationship states, the
 * log's next sequence number), writes update that state and are recorded, in order, in
 * {@link Ops} for the sink. Nothing is read from a database.
 */
final class StateTx implements Tx {
    private final MapState<String, String> profileOfIdentity;
    private final MapState<String, String> identitiesOfProfile;
    private final MapState<String, byte[]> relationshipsOfParty;
    private final ValueState<Long> nextSeq;
    private Ops ops = new Ops();

    StateTx(
            MapState<String, String> profileOfIdentity,
            MapState<String, String> identitiesOfProfile,
            MapState<String, byte[]> relationshipsOfParty,
            ValueState<Long> nextSeq) {
        this.profileOfIdentity = profileOfIdentity;
        this.identitiesOfProfile = identitiesOfProfile;
        this.relationshipsOfParty = relationshipsOfParty;
        this.nextSeq = nextSeq;
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

    @Override
    public Optional<Relationship> relationship(String party, String brand) {
        return relationshipsOf(party).stream()
                .filter(r -> r.brand().equals(brand))
                .findFirst();
    }

    @Override
    public List<Relationship> relationshipsOf(String party) {
        byte[] b = get(relationshipsOfParty, party);
        return b == null ? new ArrayList<>() : Ops.relationships(b);
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

    /** Erasure is not carried into the job yet (docs/SCALE-OUT.md): no identity is erased. */
    @Override
    public Set<String> erasedIdentities(Collection<String> ids) {
        return Set.of();
    }

    // ---- writes

    @Override
    public long append(LoggedEvent event) {
        long seq = nextSeq();
        update(nextSeq, seq + 1);
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
        ops.absorb(survivor, absorbed);
    }

    @Override
    public void recordMerge(long seq, String survivor, String absorbed, boolean merged, String reason, Instant at) {
        ops.merge(seq, survivor, absorbed, merged, reason, at);
    }

    @Override
    public void removeRelationship(String party, String brand) {
        List<Relationship> rs = relationshipsOf(party);
        rs.removeIf(r -> r.brand().equals(brand));
        putRelationships(party, rs);
        ops.remove(party, brand);
    }

    @Override
    public void putRelationship(Relationship r) {
        List<Relationship> rs = relationshipsOf(r.party());
        rs.removeIf(x -> x.brand().equals(r.brand()));
        rs.add(r);
        putRelationships(r.party(), rs);
        ops.put(r);
    }

    @Override
    public void addLedger(LedgerEntry entry, Relationship stateAfter) {
        ops.ledger(entry, stateAfter);
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

    private void putRelationships(String party, List<Relationship> rs) {
        if (rs.isEmpty()) {
            remove(relationshipsOfParty, party);
        } else {
            rs.sort(Comparator.comparing(Relationship::brand));
            put(relationshipsOfParty, party, Ops.relationships(rs));
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
