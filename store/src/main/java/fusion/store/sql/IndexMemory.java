package fusion.store.sql;

import fusion.store.StoreFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The writer's side of the two sorted indexes ({@link SortedRuns}, SQLite): the newest entries
 * kept in memory ({@link RecentEntries}), how many entries wait for a run (in the recent tables or
 * in memory), and the bounded upkeep step between groups. It follows the writer's transaction:
 * savepoints, commits and rollbacks. Where the store keeps ordinary indexes (PostgreSQL) nothing
 * is ever added, and it costs nothing.
 *
 * <p>Every write into the tables sends the writer's batched rows first ({@code flush}): the
 * statements that move entries read the views over the log and the ledger.
 */
final class IndexMemory {
    /** Sends the writer's batched rows. */
    interface Flush {
        void run() throws SQLException;
    }

    private final Connection c;
    private final Flush flush;

    /** The two indexes' newest entries, which readers also ask. */
    private final RecentEntries profiles;

    private final RecentEntries pairs;

    /** The ledger's newest rows, which follow the transaction as the entries do ({@link LedgerRing}). */
    private final LedgerRing rows;

    /** Entries of each index not yet in a run: in its recent table or in memory. A move is due at the run size. */
    private long recentProfiles;

    private long recentPairs;
    private long savedRecentProfiles;
    private long savedRecentPairs;

    /** Entries per run of level 0 ({@link StoreSettings#indexRun()}). */
    private int runSize = SortedRuns.RUN_SIZE;

    /**
     * Whether a merge may be under way or due: only a move or a merge step makes one so. While
     * false and the recent tables are below the run size, upkeep asks the database nothing.
     */
    private boolean upkeepDue = true;

    IndexMemory(Connection c, Flush flush, RecentEntries profiles, RecentEntries pairs, LedgerRing rows) {
        this.c = c;
        this.flush = flush;
        this.profiles = profiles;
        this.pairs = pairs;
        this.rows = rows;
    }

    /** Entries per run of level 0 ({@link StoreSettings#indexRun()}). */
    void runSize(int entries) {
        if (entries < 2) throw new IllegalArgumentException("indexRun: expected at least 2 but was " + entries);
        runSize = entries;
    }

    /** At a start and after a rollback: the entries of the rows after each mark, in memory again. */
    void load() throws SQLException {
        List<RecentEntries.Entry> p = SortedRuns.PROFILE.afterMark(c);
        List<RecentEntries.Entry> l = SortedRuns.PAIR.afterMark(c);
        profiles.reset(p);
        pairs.reset(l);
        recentProfiles = SortedRuns.PROFILE.recentEntries(c) + p.size();
        recentPairs = SortedRuns.PAIR.recentEntries(c) + l.size();
        upkeepDue = true;
    }

    /** The tables were emptied for a rebuild: nothing waits. */
    void clear() {
        rows.clear();
        recentProfiles = 0;
        recentPairs = 0;
        profiles.reset(List.of());
        pairs.reset(List.of());
        upkeepDue = true;
    }

    /** A log row's entry; a transaction of more than a run's worth (a rebuild) keeps no more than that in memory. */
    void logged(String profile, long eventTime, long seq) {
        profiles.add(new RecentEntries.Entry(profile, eventTime, seq));
        recentProfiles++;
        if (profiles.unwrittenInTx() >= runSize) writeRecentOrFail(SortedRuns.PROFILE, profiles);
    }

    /** A ledger row's entry, and the row as {@link LedgerCodec#row} encodes it. */
    void ledgered(String party, String brand, long seq, byte[] row) {
        rows.add(seq, row);
        pairs.add(new RecentEntries.Entry(party, brand, seq));
        recentPairs++;
        if (pairs.unwrittenInTx() >= runSize) writeRecentOrFail(SortedRuns.PAIR, pairs);
    }

    /** Both indexes' entries kept in memory into their recent tables, in the open transaction. */
    void writeRecent() throws SQLException {
        writeRecent(SortedRuns.PROFILE, profiles);
        writeRecent(SortedRuns.PAIR, pairs);
    }

    /** The same, before a statement that finds a person's entries through the views (a merge's renames). */
    void writeRecentOrFail() {
        writeRecentOrFail(SortedRuns.PROFILE, profiles);
        writeRecentOrFail(SortedRuns.PAIR, pairs);
    }

    /**
     * An index's entries kept in memory into its recent table, in the open transaction, and its
     * mark past them: they leave memory when the transaction commits.
     */
    private void writeRecent(SortedRuns index, RecentEntries memory) throws SQLException {
        List<RecentEntries.Entry> entries = memory.unwritten();
        if (entries.isEmpty()) return;
        flush.run();
        index.writeRecent(c, entries);
        memory.written();
    }

    private void writeRecentOrFail(SortedRuns index, RecentEntries memory) {
        try {
            writeRecent(index, memory);
        } catch (SQLException e) {
            throw new StoreFailure("writing the " + index.view() + " index's newest entries", e);
        }
    }

    /** Whether {@link #step} has anything to do. */
    boolean due() {
        return upkeepDue || recentProfiles >= runSize || recentPairs >= runSize;
    }

    /**
     * One bounded step of each index's upkeep ({@link SortedRuns#step}) in the open transaction,
     * which the caller commits ({@link #prepareCommit}, {@link #committed}); a move takes the
     * recent table and the entries in memory, which then leave memory. Returns what each index
     * did; {@link #working} then says whether anything was.
     */
    String step() throws SQLException {
        SortedRuns.Step p = SortedRuns.PROFILE.step(
                c, recentProfiles, runSize, recentProfiles >= runSize ? profiles.unwritten() : List.of());
        if (p == SortedRuns.Step.MOVED) {
            recentProfiles = 0;
            profiles.written();
        }
        SortedRuns.Step l =
                SortedRuns.PAIR.step(c, recentPairs, runSize, recentPairs >= runSize ? pairs.unwritten() : List.of());
        if (l == SortedRuns.Step.MOVED) {
            recentPairs = 0;
            pairs.written();
        }
        upkeepDue = p != SortedRuns.Step.IDLE || l != SortedRuns.Step.IDLE;
        return p + ", " + l;
    }

    /** Whether the last {@link #step} did anything (so a merge may be under way). */
    boolean working() {
        return upkeepDue;
    }

    void savepoint() {
        savedRecentProfiles = recentProfiles;
        savedRecentPairs = recentPairs;
        profiles.savepoint();
        pairs.savepoint();
    }

    void rollbackToSavepoint() {
        recentProfiles = savedRecentProfiles;
        recentPairs = savedRecentPairs;
        profiles.rollbackToSavepoint();
        pairs.rollbackToSavepoint();
    }

    /** The transaction rolled back: {@link #load} follows, in the writer's reload of its sequences. */
    void rollback() {
        rows.forgetAll();
        profiles.rollback();
        pairs.rollback();
    }

    /** Before the commit: its entries are published, so that a read whose snapshot holds it finds them. */
    void prepareCommit() {
        rows.publish();
        profiles.prepareCommit();
        pairs.prepareCommit();
    }

    void committed() {
        profiles.committed();
        pairs.committed();
    }
}
