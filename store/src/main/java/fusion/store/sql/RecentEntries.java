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

    /**
     * Entries in seq order, kept in columns (the owner, the second key as a number or a text, the
     * seq): about 20 bytes an entry in a few arrays, not an {@link Entry} and a boxed time, about
     * 60 bytes in two objects. Up to two runs' worth live for seconds under ingest (200,000 an
     * index by default), so as objects they were, after the audiences' interactions, what young
     * collections copied most (a heap histogram under the load driver, 2026-12-07: 185,000
     * entries and 98,000 boxed times live); the columns are a few large arrays.
     */
    private static final class Column {
        private String[] owners = new String[16];
        private long[] numbers = new long[16];
        private String[] texts;
        private long[] seqs = new long[16];
        private int size;

        Column(boolean text) {
            texts = text ? new String[16] : null;
        }

        void add(Entry e) {
            grow();
            owners[size] = e.owner();
            if (texts != null) texts[size] = (String) e.second();
            else numbers[size] = (Long) e.second();
            seqs[size++] = e.seq();
        }

        /** Appends {@code from}'s {@code i}-th entry. */
        void add(Column from, int i) {
            grow();
            owners[size] = from.owners[i];
            if (texts != null) texts[size] = from.texts[i];
            else numbers[size] = from.numbers[i];
            seqs[size++] = from.seqs[i];
        }

        private void grow() {
            if (size == seqs.length) {
                int n = size * 2;
                owners = java.util.Arrays.copyOf(owners, n);
                seqs = java.util.Arrays.copyOf(seqs, n);
                if (texts != null) texts = java.util.Arrays.copyOf(texts, n);
                else numbers = java.util.Arrays.copyOf(numbers, n);
            }
        }

        Entry get(int i) {
            return new Entry(owners[i], texts != null ? texts[i] : (Object) numbers[i], seqs[i]);
        }

        /** The {@code i}-th entry's reader key: its owner, or its owner and second key (a pair). */
        Object key(int i) {
            return texts != null ? pair(owners[i], texts[i]) : owners[i];
        }

        long seq(int i) {
            return seqs[i];
        }

        int size() {
            return size;
        }

        /** Keeps the first {@code n} entries (and lets go of the others' texts). */
        void truncate(int n) {
            java.util.Arrays.fill(owners, n, size, null);
            if (texts != null) java.util.Arrays.fill(texts, n, size, null);
            size = n;
        }

        void clear() {
            truncate(0);
        }

        void addTo(List<Entry> out, int from) {
            for (int i = from; i < size; i++) out.add(get(i));
        }
    }

    private final boolean keyedBySecond;
    /** The committed entries by reader key, replaced whole when they reach the tables. */
    private volatile Map<Object, Published> byKey = new ConcurrentHashMap<>();
    /** The committed entries in seq order (the writer's). */
    private final Column committed;
    /** The open transaction's entries in seq order; those from {@link #txWritten} on are not in the tables. */
    private final Column tx;

    private int txWritten;
    /** Whether the open transaction wrote {@link #committed} into the tables. */
    private boolean committedWritten;

    private int savedTx;
    private int savedTxWritten;
    private boolean savedCommittedWritten;

    /**
     * Between {@link #prepareCommit} and {@link #committed}: how many committed entries there were
     * before the open transaction's were published, or, when it wrote them into the tables, the
     * entries and map that replace them once it commits. {@code published} is -1 when nothing is
     * prepared.
     */
    private int published = -1;

    private Column replacing;
    private Map<Object, Published> replacingMap;

    /** {@code keyedBySecond}: readers ask by owner and second key (a pair), not by owner alone (a profile). */
    RecentEntries(boolean keyedBySecond) {
        this.keyedBySecond = keyedBySecond;
        this.committed = new Column(keyedBySecond);
        this.tx = new Column(keyedBySecond);
    }

    /**
     * The reader key of a pair's entries. A record of the two strings, not their concatenation:
     * its hash combines the strings' own, which they keep, where a new string per entry was
     * copied and hashed char by char (JFR: the largest part of this class's 19% of the writer's
     * Java samples, 2026-12-07).
     */
    static Object pair(String party, String brand) {
        return new Pair(party, brand);
    }

    private record Pair(String party, String brand) {}

    /** A reader: the committed seqs of a key (a profile, or {@link #pair}), in seq order. */
    long[] seqsOf(Object key) {
        return snapshot().apply(key);
    }

    /**
     * A reader: the entries as of now, to be asked later by key. A read takes it before its SQL
     * snapshot begins, so an entry a move takes to the tables in between is still here (a move
     * starts a new map and leaves this one as it was). A transaction's entries are published
     * just before it commits, so this may also hold entries of a commit the read's snapshot does
     * not: their rows are not in it (a read fetches the rows by seq and owner), or a read filters
     * them by the snapshot's newest seq ({@link Capture#seqsOf(Object, long)}).
     */
    Capture snapshot() {
        return new Capture(byKey);
    }

    /** The entries published when a read began ({@link #snapshot}). */
    final class Capture implements java.util.function.Function<Object, long[]> {
        private final Map<Object, Published> m;

        private Capture(Map<Object, Published> m) {
            this.m = m;
        }

        /** The key's seqs, in seq order. */
        @Override
        public long[] apply(Object key) {
            Published p = m.get(key);
            return p == null ? new long[0] : java.util.Arrays.copyOf(p.seqs(), p.size());
        }

        /** The key's seqs up to {@code newest} (the newest row a read's snapshot holds). */
        long[] seqsOf(Object key, long newest) {
            Published p = m.get(key);
            if (p == null) return new long[0];
            int n = p.size();
            while (n > 0 && p.seqs()[n - 1] > newest) n--;
            return java.util.Arrays.copyOf(p.seqs(), n);
        }

        /**
         * Whether no move, and no failed commit, replaced the entries since this was taken. Asked
         * after a read's SQL snapshot began: then every entry of every commit the snapshot holds,
         * and not in its tables, is here.
         */
        boolean current() {
            return byKey == m;
        }
    }

    /** The committed entries, in seq order (for tests, while the writer is idle). */
    List<Entry> committedEntries() {
        List<Entry> out = new ArrayList<>(committed.size());
        committed.addTo(out, 0);
        return List.copyOf(out);
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
        List<Entry> out = new ArrayList<>((committedWritten ? 0 : committed.size()) + tx.size() - txWritten);
        if (!committedWritten) committed.addTo(out, 0);
        tx.addTo(out, txWritten);
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
        tx.truncate(savedTx);
        txWritten = savedTxWritten;
        committedWritten = savedCommittedWritten;
    }

    /**
     * The open transaction was rolled back: its entries go, the committed ones stay. When they
     * were published for a commit that failed, readers get a new map without them.
     */
    void rollback() {
        if (published >= 0 && !committedWritten) {
            committed.truncate(published);
            byKey = mapOf(committed);
        }
        forgetTx();
    }

    /** Nothing prepared, no entry of an open transaction. */
    private void forgetTx() {
        published = -1;
        replacing = null;
        replacingMap = null;
        tx.clear();
        txWritten = 0;
        committedWritten = false;
    }

    /**
     * Just before the open transaction commits: its entries that are not in the tables are
     * published, so that a read whose snapshot holds the commit finds them. When the transaction
     * wrote the committed entries into the tables, its own go into a new map, which replaces the
     * published one once the commit is done ({@link #committed}): until then a read's tables may
     * not hold the moved entries.
     */
    void prepareCommit() {
        if (committedWritten) {
            replacing = new Column(keyedBySecond);
            replacingMap = new ConcurrentHashMap<>();
            for (int i = txWritten; i < tx.size(); i++) {
                replacing.add(tx, i);
                add(replacingMap, tx, i);
            }
        } else {
            published = committed.size();
            publish(tx, txWritten);
        }
    }

    /** The open transaction committed ({@link #prepareCommit} came first): entries it wrote into the tables leave memory. */
    void committed() {
        if (published < 0 && replacing == null) prepareCommit();
        if (replacing != null) {
            committed.clear();
            for (int i = 0; i < replacing.size(); i++) committed.add(replacing, i);
            byKey = replacingMap;
        }
        forgetTx();
    }

    /** Starts again from {@code entries}, all committed and none in the tables (a start, a rollback). */
    void reset(List<Entry> entries) {
        forgetTx();
        Column all = new Column(keyedBySecond);
        entries.forEach(all::add);
        committed.clear();
        for (int i = 0; i < all.size(); i++) committed.add(all, i);
        byKey = mapOf(committed);
    }

    /** A new published map of {@code entries}, whole before any reader sees it. */
    private Map<Object, Published> mapOf(Column entries) {
        Map<Object, Published> m = new ConcurrentHashMap<>();
        for (int i = 0; i < entries.size(); i++) add(m, entries, i);
        return m;
    }

    /** Publishes {@code entries} from {@code from} on, appending them to the committed ones. */
    private void publish(Column entries, int from) {
        Map<Object, Published> m = byKey;
        for (int i = from; i < entries.size(); i++) {
            committed.add(entries, i);
            add(m, entries, i);
        }
    }

    private static void add(Map<Object, Published> m, Column entries, int i) {
        Object key = entries.key(i);
        Published p = m.get(key);
        long[] seqs = p == null ? new long[4] : p.seqs();
        int size = p == null ? 0 : p.size();
        // past the published size nobody reads: write there, or grow into a copy
        if (size == seqs.length) seqs = java.util.Arrays.copyOf(seqs, size * 2);
        seqs[size] = entries.seq(i);
        m.put(key, new Published(seqs, size + 1));
    }
}
