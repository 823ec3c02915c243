package fusion.store.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest entries of one sorted index ({@link SortedRuns}), which on SQLite the writer keeps in
 * memory instead of writing a row of the index's recent table per event (schema v11,
 * docs/STORAGE.md "Sorted runs"): the two recent tables' inserts and their pages at every commit
 * were about a fifth of the writer's CPU.
 *
 * <p>The entries here are always the index's newest: every log (or ledger) row numbered up to the
 * index's mark ({@code index_marks.through}) has its entry in the tables, and every row after it
 * has its entry here only. They reach the tables when a run's worth has gathered (the writer moves
 * them into a new run), when the open transaction alone holds a run's worth, and before a
 * statement of the writer's own reads the views (an identity merge renames a person's entries, an
 * erasure deletes them). A start rebuilds them from the rows after the mark.
 *
 * <p>Two parts: the committed entries, which readers see ({@link #seqsOf}), and the open
 * transaction's, which only the writer sees and which are published when it commits. One thread,
 * the writer, changes either; readers may ask at any time. A reader asks here first and the tables
 * second, so an entry that moves into the tables between the two is seen (perhaps twice: readers
 * drop repeats by seq) and never missed.
 */
final class RecentEntries {
    /** One entry: its owner (a profile or a party), its second key (an event's time, or a brand) and its seq. */
    record Entry(String owner, Object second, long seq) {}

    /** A key's seqs as published: the first {@code size} of {@code seqs} never change once published. */
    private record Published(long[] seqs, int size) {}

    private final boolean keyedBySecond;
    /** The committed entries by reader key, replaced whole when they reach the tables. */
    private volatile Map<String, Published> byKey = new ConcurrentHashMap<>();
    /** The committed entries in seq order (the writer's). */
    private final List<Entry> committed = new ArrayList<>();
    /** The open transaction's entries in seq order; those from {@link #txWritten} on are not in the tables. */
    private final List<Entry> tx = new ArrayList<>();

    private int txWritten;
    /** Whether the open transaction wrote {@link #committed} into the tables. */
    private boolean committedWritten;

    private int savedTx;
    private int savedTxWritten;
    private boolean savedCommittedWritten;

    /** {@code keyedBySecond}: readers ask by owner and second key (a pair), not by owner alone (a profile). */
    RecentEntries(boolean keyedBySecond) {
        this.keyedBySecond = keyedBySecond;
    }

    /** The reader key of a pair's entries. */
    static String pair(String party, String brand) {
        return party + '\u0000' + brand;
    }

    private String keyOf(Entry e) {
        return keyedBySecond ? pair(e.owner(), (String) e.second()) : e.owner();
    }

    /** A reader: the committed seqs of a key (a profile, or {@link #pair}), in seq order. */
    long[] seqsOf(String key) {
        return snapshot().apply(key);
    }

    /**
     * A reader: the committed entries as of now, to be asked later by key. A read takes it before
     * its SQL snapshot begins, so an entry a move takes to the tables in between is still here (a
     * move starts a new map and leaves this one as it was).
     */
    java.util.function.Function<String, long[]> snapshot() {
        Map<String, Published> m = byKey;
        return key -> {
            Published p = m.get(key);
            return p == null ? new long[0] : java.util.Arrays.copyOf(p.seqs(), p.size());
        };
    }

    /** The committed entries, in seq order (for tests, while the writer is idle). */
    List<Entry> committedEntries() {
        return List.copyOf(committed);
    }

    // ---- the writer's

    /** Adds an entry of the open transaction. */
    void add(Entry e) {
        tx.add(e);
    }

    /** Entries of the open transaction that are not in the tables. */
    int unwrittenInTx() {
        return tx.size() - txWritten;
    }

    /** Entries not in the tables, in seq order: committed ones first. */
    List<Entry> unwritten() {
        List<Entry> out = new ArrayList<>(committedWritten ? List.of() : committed);
        out.addAll(tx.subList(txWritten, tx.size()));
        return out;
    }

    /** What {@link #unwritten} gave is in the tables, in the open transaction. */
    void written() {
        committedWritten = true;
        txWritten = tx.size();
    }

    void savepoint() {
        savedTx = tx.size();
        savedTxWritten = txWritten;
        savedCommittedWritten = committedWritten;
    }

    /** The batch since {@link #savepoint} was rolled back, and with it what it wrote into the tables. */
    void rollbackToSavepoint() {
        tx.subList(savedTx, tx.size()).clear();
        txWritten = savedTxWritten;
        committedWritten = savedCommittedWritten;
    }

    /** The open transaction was rolled back: its entries go, the committed ones stay. */
    void rollback() {
        tx.clear();
        txWritten = 0;
        committedWritten = false;
    }

    /**
     * The open transaction committed: entries it wrote into the tables leave memory, and its
     * others are published.
     */
    void committed() {
        if (committedWritten) {
            byKey = new ConcurrentHashMap<>();
            committed.clear();
        }
        publish(tx.subList(txWritten, tx.size()));
        rollback();
    }

    /** Starts again from {@code entries}, all committed and none in the tables (a start, a rollback). */
    void reset(List<Entry> entries) {
        rollback();
        byKey = new ConcurrentHashMap<>();
        committed.clear();
        publish(entries);
    }

    private void publish(List<Entry> entries) {
        Map<String, Published> m = byKey;
        for (Entry e : entries) {
            committed.add(e);
            String key = keyOf(e);
            Published p = m.get(key);
            long[] seqs = p == null ? new long[4] : p.seqs();
            int size = p == null ? 0 : p.size();
            // past the published size nobody reads: write there, or grow into a copy
            if (size == seqs.length) seqs = java.util.Arrays.copyOf(seqs, size * 2);
            seqs[size] = e.seq();
            m.put(key, new Published(seqs, size + 1));
        }
    }
}
