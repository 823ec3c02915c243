package fusion.store.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Derived states committed since their table was last written (SQLite, docs/STORAGE.md
 * "Relationship snapshots" and "Profile activity"): a pair's relationship (schema v12), keyed by
 * party and brand, and a profile's activity (schema v14), keyed by profile alone. The writer no
 * longer writes such a row at every commit that changes it: those writes and the table pages they
 * dirtied were about a fifth of its CPU. It publishes each commit's states here, and writes the
 * newest state of every key here into the table now and then, in one transaction that also moves
 * the table's mark (the log or ledger seq through which the table is current); then this is
 * emptied. A start derives the states after the mark from the log or the ledger.
 *
 * <p>Each state is a version tagged with the highest log seq of the commit that made it. The
 * writer publishes a commit's versions just before the commit, so a reader whose SQL snapshot
 * holds log rows up to {@code m} takes, per pair, the newest version tagged {@code m} or less, and
 * the table's row when there is none. That is exact: a version with a higher tag belongs to a
 * commit the reader's snapshot does not hold; one with a lower tag was published before the
 * reader's snapshot began, so the reader finds it unless it was dropped, and versions are dropped
 * only after the table holds them ({@link #clear}) or when their commit failed ({@link
 * #retractAbove}). Both change the {@link #generation} first, so a reader compares it before its
 * SQL and after reading here, and reads again when it moved: then it may have missed a version the
 * table of its snapshot does not hold yet, or found one of a commit that failed.
 *
 * <p>A version superseded by a newer one of the same pair is kept only while a read may need it:
 * each read registers, before its SQL, the newest commit completed then ({@link #enter}); its
 * snapshot holds at least that commit, so it never needs a version superseded by one tagged that
 * or lower. When a commit publishes to a party, the writer first drops that party's versions
 * superseded by one tagged no higher than the oldest registration (or the last completed commit,
 * with no read under way): a pair under steady updates keeps two or three versions, not one per
 * commit.
 *
 * <p>One thread, the writer, changes this; readers may ask at any time. A party's versions are an
 * immutable list, newest first, replaced whole when a commit adds to it or drops from it.
 */
final class SnapshotOverlay<V> {
    /** A pair's state after the commit whose newest log row is {@code tag}; {@code state} null: the pair was removed. */
    record Version<V>(long tag, String brand, V state, Version<V> older) {}

    private final ConcurrentHashMap<String, Version<V>> byParty = new ConcurrentHashMap<>();
    private volatile long generation;
    /** Versions held, and pairs they are of (the writer's counts, for when to write the table). */
    private int versions;

    private int pairs;
    /** The tag of the newest commit that completed. */
    private volatile long committed;
    /** Reads under way, by their token: the newest commit completed when each began. */
    private final ConcurrentHashMap<Object, Long> reads = new ConcurrentHashMap<>();

    // ---- the writer

    /**
     * Publishes one commit's states: party to brand to state, a null state for a removed pair.
     * {@code tag} is the highest log seq of the commit, higher than any published before. Each
     * party's versions that no read can need any more are dropped on the way (see the class
     * comment): pruning a party's list when the next commit publishes to it, rather than walking
     * every published party again after each commit, halves the map lookups, which with two
     * overlays and 2,000 parties a commit were 11% of the writer's Java samples at full rate
     * (JFR, 2026-12-07).
     */
    void publish(long tag, Map<String, Map<String, V>> changes) {
        long bound = committed;
        for (long floor : reads.values()) bound = Math.min(bound, floor);
        List<String> settled = new ArrayList<>();
        for (var party : changes.entrySet()) {
            Version<V> head = byParty.get(party.getKey());
            if (head != null && head.older() != null) head = pruned(head, bound, settled);
            for (var pair : party.getValue().entrySet()) {
                if (!holds(head, pair.getKey())) pairs++;
                head = new Version<>(tag, pair.getKey(), pair.getValue(), head);
                versions++;
            }
            byParty.put(party.getKey(), head);
        }
    }

    private boolean holds(Version<V> head, String brand) {
        for (Version<V> v = head; v != null; v = v.older()) if (v.brand().equals(brand)) return true;
        return false;
    }

    /**
     * {@code head}'s list without the versions superseded by a newer one of their pair tagged at
     * most {@code bound}: one pass, newest first ({@code settled}: the pairs passed with such a
     * version; a party has a few pairs, so a list, not a set).
     */
    private Version<V> pruned(Version<V> head, long bound, List<String> settled) {
        settled.clear();
        List<Version<V>> kept = null;
        for (Version<V> v = head; v != null; v = v.older()) {
            if (settled.contains(v.brand())) {
                if (kept == null) {
                    kept = new ArrayList<>();
                    for (Version<V> k = head; k != v; k = k.older()) kept.add(k);
                }
                versions--;
                continue;
            }
            if (kept != null) kept.add(v);
            if (v.tag() <= bound) settled.add(v.brand());
        }
        return kept == null ? head : relink(kept);
    }

    /**
     * The commit tagged {@code tag} completed: from now on a read registers at least it, and the
     * next publication to a party may drop the versions it superseded.
     */
    void committed(long tag) {
        committed = tag;
    }

    private Version<V> relink(List<Version<V>> newestFirst) {
        Version<V> head = null;
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Version<V> v = newestFirst.get(i);
            head = new Version<>(v.tag(), v.brand(), v.state(), head);
        }
        return head;
    }

    /** Drops the versions of commits that failed (tagged above {@code tag}), which readers must not keep. */
    void retractAbove(long tag) {
        generation++;
        for (var e : byParty.entrySet()) {
            List<Version<V>> kept = new ArrayList<>();
            java.util.Set<String> brands = new java.util.HashSet<>();
            for (Version<V> v = e.getValue(); v != null; v = v.older()) {
                brands.add(v.brand());
                if (v.tag() <= tag) kept.add(v);
                else versions--;
            }
            Version<V> head = relink(kept);
            for (Version<V> v = head; v != null; v = v.older()) brands.remove(v.brand());
            pairs -= brands.size();
            if (head == null) byParty.remove(e.getKey());
            else byParty.put(e.getKey(), head);
        }
    }

    /** The table now holds every state here: drop them all. */
    void clear() {
        generation++;
        byParty.clear();
        versions = 0;
        pairs = 0;
    }

    int versions() {
        return versions;
    }

    /** Pairs with a state here. */
    int pairs() {
        return pairs;
    }

    boolean isEmpty() {
        return byParty.isEmpty();
    }

    /** The pair's newest state, whatever its tag (the writer's own view); null when it has none here, or was removed. */
    V newest(String party, String brand) {
        for (Version<V> v = byParty.get(party); v != null; v = v.older()) {
            if (v.brand().equals(brand)) return v.state();
        }
        return null;
    }

    /** The party's newest states, whatever their tag (the writer's own view): brand to state, null when removed. */
    Map<String, V> newest(String party) {
        return asOf(byParty.get(party), Long.MAX_VALUE);
    }

    /** Every pair's newest state that is not a removal, for the table. */
    List<V> newestStates() {
        List<V> out = new ArrayList<>(versions);
        for (Version<V> head : byParty.values()) {
            for (V r : asOf(head, Long.MAX_VALUE).values()) {
                if (r != null) out.add(r);
            }
        }
        return out;
    }

    // ---- readers

    /** Changes whenever versions are dropped; read it before the SQL and after asking here. */
    long generation() {
        return generation;
    }

    /**
     * A read begins, before its SQL: until {@link #exit}, no version it may need is dropped but
     * by {@link #clear} or {@link #retractAbove}, which move the generation.
     */
    Object enter() {
        Object token = new Object();
        reads.put(token, committed);
        return token;
    }

    void exit(Object token) {
        reads.remove(token);
    }

    /**
     * The party's states as a reader whose snapshot holds log rows up to {@code m} sees them: brand
     * to the newest version tagged {@code m} or less (null state: removed). A brand absent from the
     * map reads as the table says.
     */
    Map<String, V> asOf(String party, long m) {
        return asOf(byParty.get(party), m);
    }

    /** {@link #asOf(String, long)} for every party here: party to brand to state. */
    Map<String, Map<String, V>> allAsOf(long m) {
        Map<String, Map<String, V>> out = new HashMap<>();
        for (var e : byParty.entrySet()) {
            Map<String, V> seen = asOf(e.getValue(), m);
            if (!seen.isEmpty()) out.put(e.getKey(), seen);
        }
        return out;
    }

    private Map<String, V> asOf(Version<V> head, long m) {
        if (head == null) return Map.of();
        Map<String, V> out = new HashMap<>();
        for (Version<V> v = head; v != null; v = v.older()) {
            if (v.tag() <= m && !out.containsKey(v.brand())) out.put(v.brand(), v.state());
        }
        return out;
    }
}
