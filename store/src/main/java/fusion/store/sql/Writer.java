package fusion.store.sql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.core.identity.Identity;
import fusion.store.StoreFailure;
import fusion.store.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The single writer: one connection and its transaction. {@link SqlStore} applies a group of
 * batches in one transaction and commits it once (group commit), each batch in a savepoint when
 * the group holds more than one. The writer keeps a cache of relationship states (and, in
 * {@link IdentityCache}, of the identity graph) so the engine reads them without a query.
 * Writes of the open transaction sit in an overlay that is folded into the cache on commit. A
 * party whose entry the open batch wrote or loaded is noted; when the batch is rolled back only
 * those entries are dropped (they may hold its rows), so a rejected batch leaves no trace in
 * memory and every other party stays cached.
 */
final class Writer implements Tx {
    private final Dialect dialect;
    private final Connection c;
    /** Committed relationship states by party (and states loaded in the open transaction, noted in {@link #txParties}). */
    private final Cache<String, Map<String, Relationship>> cache;

    private final Map<String, Map<String, Optional<Relationship>>> overlay = new HashMap<>();
    /** Parties whose cache entry or overlay the open transaction, and its open batch, loaded or wrote. */
    private final Set<String> txParties = new java.util.HashSet<>();

    private final Set<String> batchParties = new java.util.HashSet<>();
    /** Relationship states read from the database (cache misses), for tests and the bench. */
    private long relationshipLoads;

    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final IdentityCache identityCache;
    private final IdentityCache.Loader fromDb = new IdentityCache.Loader() {
        @Override
        public Optional<String> profileOf(Identity identity) {
            return queryOne("SELECT profile FROM identities WHERE identity = ?", identity.key());
        }

        @Override
        public List<Identity> identitiesOf(String profile) {
            return loadIdentities(profile);
        }
    };
    /**
     * Statements and COPYs with rows added but not yet sent, in the order they were first added;
     * sent before any other statement and at commit.
     */
    private final Set<Pending> pending = new LinkedHashSet<>();

    /**
     * Rows of an append-only table waiting to be sent: a prepared statement's batch, or on
     * PostgreSQL a binary COPY ({@link CopyRows}).
     */
    interface Pending {
        /** Sends the rows, in the connection's open transaction. */
        void send() throws SQLException;

        /** Forgets the rows unsent (their batch is being rolled back). */
        void drop() throws SQLException;
    }

    /** A prepared statement's batch. */
    private record Batch(PreparedStatement ps, String sql, WriterTiming timing) implements Pending {
        @Override
        public void send() throws SQLException {
            if (timing == null) {
                ps.executeBatch();
                return;
            }
            long since = WriterTiming.now();
            int rows = ps.executeBatch().length;
            timing.add(sql, since, rows);
        }

        @Override
        public void drop() throws SQLException {
            ps.clearBatch();
        }
    }

    /**
     * On PostgreSQL, the batched plain INSERTs (append-only rows: the log, the ledger, consents)
     * by their SQL, sent as binary COPYs; {@link #NOT_COPIED} for statements that are not.
     */
    private final Map<String, CopyRows> copies = new HashMap<>();

    private static final CopyRows NOT_COPIED = null;

    /** From how many rows at a flush a batched plain INSERT goes by COPY on PostgreSQL ({@link CopyRows#COPY_AT_ROWS}). */
    private int copyAtRows = CopyRows.COPY_AT_ROWS;
    /**
     * Upserts coalesced per key until the next flush: a multi-row INSERT ... ON CONFLICT (what
     * PostgreSQL's batch rewriting makes of a batch) may not touch the same row twice.
     */
    private final Map<String, Relationship> pendingRelationships = new LinkedHashMap<>();

    private final Map<String, PendingBrand> pendingBrands = new LinkedHashMap<>();
    private long nextEventSeq;

    private record PendingBrand(String name, boolean competitor, long seq) {}

    /** A profile's activity in the open batch, written as one UPDATE at the next flush. */
    record PendingTouch(long first, long last, int events) {}

    private final Map<String, PendingTouch> pendingTouches = new LinkedHashMap<>();

    /**
     * Traits merged into profiles in the open batch, coalesced per profile in the order they came
     * (a later value of a trait wins, as merging them one by one would). The flush reads the
     * stored traits of all of them in one query and writes them in one batch: merging each
     * identify's traits when it came cost a flush of every pending batch and two round trips to
     * the database (most of the writer's round trips on PostgreSQL; bench/results/pg-cpu-*.txt).
     */
    private final Map<String, Map<String, Object>> pendingTraits = new LinkedHashMap<>();

    /** Profiles whose traits one query reads at a flush (well under SQLite's 999 parameters). */
    static final int TRAITS_PER_READ = 200;

    private long nextLedgerSeq;

    /** With {@code -Dfusion.writer.timing=true}: the writer thread's CPU per statement ({@link WriterTiming}). */
    private final WriterTiming timing = WriterTiming.ON ? new WriterTiming() : null;

    /** SQLite: the two sorted indexes' newest entries, kept in memory rather than a row per event, and their upkeep. */
    private final IndexMemory indexes;

    /**
     * SQLite: relationship states and profiles' activity waiting in memory for their tables,
     * which readers also ask ({@link Snapshots}); null where every commit writes them
     * (PostgreSQL, a read-only store).
     */
    private final Snapshots snapshots;

    /** The open batch's savepoint inside a group's transaction, and the sequences before it. */
    private java.sql.Savepoint savepoint;

    private long savedEventSeq;
    private long savedLedgerSeq;

    /** Whether any event was ever erased: only then does {@link #logged} also look at erased messageIds. */
    private boolean erasedAny;

    /** SQLite: the newest messageIds of the log ({@link #logged}); null on PostgreSQL, whose unique index finds them. */
    private final MessageIdWindow window;

    /** The open transaction emptied or renumbered the log (an erasure): a rollback reads the window back whole. */
    private boolean windowRewritten;

    /**
     * {@code cachedParties}: parties whose relationship states stay in memory (Caffeine's size
     * bound); {@code cachedIdentities}: the identity cache's bound ({@link StoreSettings}).
     */
    Dialect dialect() {
        return dialect;
    }

    Writer(Connection c, Dialect dialect, int cachedParties, int cachedIdentities) throws SQLException {
        this(
                c,
                dialect,
                cachedParties,
                cachedIdentities,
                new RecentEntries(false),
                new RecentEntries(true),
                new LedgerRing(0),
                null,
                null,
                dialect == Dialect.SQLITE ? new MessageIdWindow(StoreSettings.DEDUP_WINDOW) : null);
    }

    /**
     * {@code profileMemory}, {@code pairMemory}: where the indexes' newest entries are kept, which
     * readers also ask; {@code published}: where committed relationship states wait for the table
     * (null: upserted at every commit), and {@code activityStates} the profiles' activity (null
     * with {@code published}: updated at every commit); {@code window}: where the log's newest messageIds are found
     * (SQLite; null on PostgreSQL, whose unique index on {@code events.message_id} finds them).
     */
    Writer(
            Connection c,
            Dialect dialect,
            int cachedParties,
            int cachedIdentities,
            RecentEntries profileMemory,
            RecentEntries pairMemory,
            LedgerRing ledgerRows,
            SnapshotOverlay<Relationship> published,
            SnapshotOverlay<ProfileActivity.Activity> activityStates,
            MessageIdWindow window)
            throws SQLException {
        if ((published == null) != (activityStates == null)) {
            throw new IllegalArgumentException("relationships and activity are written in the same snapshots");
        }
        if ((window == null) != (dialect == Dialect.POSTGRESQL)) {
            throw new IllegalArgumentException("a window of messageIds is for SQLite, and SQLite needs one");
        }
        this.c = c;
        this.window = window;
        this.dialect = dialect;
        this.indexes = new IndexMemory(c, this::flush, profileMemory, pairMemory, ledgerRows);
        this.snapshots = published == null
                ? null
                : new Snapshots(
                        c,
                        new Snapshots.Statements() {
                            @Override
                            public void flush() throws SQLException {
                                Writer.this.flush();
                            }

                            @Override
                            public PreparedStatement prepared(String sql) throws SQLException {
                                return Writer.this.prepared(sql);
                            }
                        },
                        timing,
                        published,
                        activityStates);
        this.cache = Caffeine.newBuilder()
                .maximumSize(cachedParties)
                .executor(Runnable::run)
                .build();
        this.identityCache = new IdentityCache(cachedIdentities);
        c.setAutoCommit(false);
        loadSequences();
        if (window != null) window.load(c, nextEventSeq - 1);
        try (var s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM erased_messages LIMIT 1")) {
            erasedAny = rs.next();
        }
        c.commit();
        if (snapshots != null) snapshots.recover(nextEventSeq - 1, nextLedgerSeq - 1);
    }

    /** The writer's connection, for work that runs inside its transaction (erasure). */
    Connection connection() throws SQLException {
        flush();
        writeRecent();
        return c;
    }

    /**
     * Forgets every cached state and numbers the log and the ledger from 1 again, inside the open
     * transaction: the derived tables and the log have just been emptied for a rebuild.
     */
    void restartEmpty() {
        overlay.clear();
        cache.invalidateAll();
        txParties.clear();
        batchParties.clear();
        identityCache.clear();
        pendingRelationships.clear();
        pendingBrands.clear();
        pendingTouches.clear();
        pendingTraits.clear();
        if (snapshots != null) snapshots.restartEmpty();
        nextEventSeq = 1;
        nextLedgerSeq = 1;
        indexes.clear();
        erasedAny = true;
        if (window != null) {
            window.clear();
            windowRewritten = true;
        }
    }

    /** After an erasure that renumbered the tables in place ({@link TargetedErasure}): caches dropped, sequences moved. */
    /** The sequence number the next appended event gets (a stream job's sink numbers as its job did). */
    void continueAt(long nextEvent) {
        nextEventSeq = nextEvent;
    }

    void restartAt(long nextEvent, long nextLedger) {
        restartEmpty();
        nextEventSeq = nextEvent;
        nextLedgerSeq = nextLedger;
        // the rows left keep their numbers: the window holds their messageIds again
        if (window != null) reloadWindow();
        if (!dialect.sortedRuns()) return;
        // the numbers after the highest row left are given again: the marks may not claim them
        for (var mark : Map.of("profile", nextEvent - 1, "pair", nextLedger - 1).entrySet()) {
            update("UPDATE index_marks SET through = ? WHERE name = ? AND through > ?", ps -> {
                ps.setLong(1, mark.getValue());
                ps.setString(2, mark.getKey());
                ps.setLong(3, mark.getValue());
            });
        }
    }

    private void loadSequences() throws SQLException {
        try (var s = c.createStatement();
                ResultSet e = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM events")) {
            e.next();
            nextEventSeq = e.getLong(1) + 1;
        }
        try (var s = c.createStatement();
                ResultSet l = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM ledger")) {
            l.next();
            nextLedgerSeq = l.getLong(1) + 1;
        }
        if (dialect.sortedRuns()) indexes.load();
        c.commit();
    }

    void commit() throws SQLException {
        flush();
        savepoint = null;
        boolean written = snapshots != null && snapshots.publishAndWrite(nextEventSeq - 1, nextLedgerSeq - 1);
        // published before the commit, so that a read whose snapshot holds it finds them (readers filter by seq)
        indexes.prepareCommit();
        long since = timing == null ? 0 : WriterTiming.now();
        c.commit();
        windowRewritten = false;
        if (timing != null) timing.add("COMMIT", since, 0);
        if (snapshots != null) snapshots.committed(written);
        indexes.committed();
        identityCache.commit();
        for (var e : overlay.entrySet()) {
            Map<String, Relationship> cached = cache.getIfPresent(e.getKey());
            if (cached == null) continue;
            for (var r : e.getValue().entrySet()) {
                if (r.getValue().isPresent())
                    cached.put(r.getKey(), r.getValue().get());
                else cached.remove(r.getKey());
            }
        }
        overlay.clear();
        txParties.clear();
        batchParties.clear();
    }

    /** Whether puts wait for a snapshot rather than being upserted at this commit. */
    private boolean deferring() {
        return snapshots != null && snapshots.deferring();
    }

    /** The released batch's states join the transaction's. */
    private void foldBatch() {
        if (snapshots != null) snapshots.fold();
    }

    /**
     * Between groups: writes the states waiting in memory into their tables when enough have
     * gathered or enough time has passed, or always with {@code now} ({@link Snapshots#snapshot}).
     * Returns whether it wrote.
     */
    boolean snapshot(boolean now) {
        return snapshots != null && snapshots.snapshot(now, nextEventSeq - 1, nextLedgerSeq - 1);
    }

    /** When {@link #snapshot} writes the tables: at {@code versions} pairs with a waiting state, or {@code millis} after the last time. */
    void snapshotEvery(int versions, long millis) {
        if (snapshots != null) snapshots.snapshotEvery(versions, millis);
    }

    /** The open transaction writes states straight into their tables (an erasure; {@link Snapshots#synchronousUntilCommit}). */
    void synchronousUntilCommit() {
        if (snapshots != null) snapshots.synchronousUntilCommit();
    }

    /**
     * One bounded step of upkeep of each sorted index ({@link SortedRuns#step}), in a transaction
     * of its own; called between groups, never inside one. Returns whether anything was done.
     */
    boolean keepIndexes() {
        if (!dialect.sortedRuns() || !indexes.due()) return false;
        long since = timing == null ? 0 : WriterTiming.now();
        try {
            String done = indexes.step();
            indexes.prepareCommit();
            c.commit();
            indexes.committed();
            if (timing != null) timing.add("upkeep of the sorted indexes: " + done, since, 0);
            return indexes.working();
        } catch (SQLException e) {
            try {
                c.rollback();
                indexes.rollback();
                loadSequences();
            } catch (SQLException again) {
                e.addSuppressed(again);
            }
            throw new StoreFailure("keeping the log's sorted indexes", e);
        }
    }

    /** Writes both indexes' entries kept in memory into their recent tables, in the open transaction. */
    private void writeRecent() throws SQLException {
        if (dialect.sortedRuns()) indexes.writeRecent();
    }

    /** Entries per run of level 0 ({@link StoreSettings#indexRun()}). */
    void runSize(int entries) {
        indexes.runSize(entries);
    }

    /**
     * Opens a savepoint for the next batch of a group sharing this transaction. Rows batched so
     * far (earlier batches of the group) are sent first, so that a {@link #rollbackToSavepoint}
     * only has to drop this batch's own pending rows.
     */
    void savepoint() throws SQLException {
        flush();
        savepoint = c.setSavepoint();
        savedEventSeq = nextEventSeq;
        savedLedgerSeq = nextLedgerSeq;
        indexes.savepoint();
        batchParties.clear();
        identityCache.savepoint();
        foldBatch();
    }

    /** The batch since {@link #savepoint} stays in the transaction (to be committed with the group). */
    void releaseSavepoint() throws SQLException {
        flush();
        c.releaseSavepoint(savepoint);
        savepoint = null;
        foldBatch();
    }

    /**
     * Undoes the batch since {@link #savepoint} and nothing before it: its pending rows are
     * dropped, the database rolls back to the savepoint, the sequences are restored, and the
     * cache entries and overlays of the parties and identities this batch loaded or wrote are
     * dropped (reloading them sees exactly the earlier batches' rows, which were sent before the
     * savepoint). Every other cached party stays.
     */
    void rollbackToSavepoint() {
        if (snapshots != null) snapshots.dropBatch();
        for (String party : batchParties) overlay.remove(party);
        cache.invalidateAll(batchParties);
        batchParties.clear();
        identityCache.rollbackBatch();
        try {
            for (Pending p : pending) p.drop();
            pending.clear();
            pendingRelationships.clear();
            pendingBrands.clear();
            pendingTouches.clear();
            pendingTraits.clear();
            c.rollback(savepoint);
            c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw new StoreFailure("rollback to savepoint failed", e);
        } finally {
            savepoint = null;
        }
        nextEventSeq = savedEventSeq;
        nextLedgerSeq = savedLedgerSeq;
        // the batch's numbers are given again; a reload only when it pushed out more than the window keeps
        if (window != null && !window.truncateFrom(savedEventSeq)) reloadWindow();
        indexes.rollbackToSavepoint();
    }

    /**
     * Undoes the whole open transaction. Only the entries it loaded or wrote are dropped: an
     * entry loaded mid-transaction may hold its uncommitted rows; every other entry is committed state.
     */
    void rollback() {
        savepoint = null;
        // what was published for a commit that did not happen is retracted
        if (snapshots != null) snapshots.rollback();
        overlay.clear();
        cache.invalidateAll(txParties);
        txParties.clear();
        batchParties.clear();
        identityCache.rollback();
        try {
            for (Pending p : pending) p.drop();
            pending.clear();
            pendingRelationships.clear();
            pendingBrands.clear();
            pendingTouches.clear();
            pendingTraits.clear();
            c.rollback();
            indexes.rollback();
            loadSequences();
            if (window != null && (windowRewritten || !window.truncateFrom(nextEventSeq))) {
                window.load(c, nextEventSeq - 1);
            }
            windowRewritten = false;
        } catch (SQLException e) {
            throw new StoreFailure("rollback failed", e);
        }
    }

    /** The window read back from the log, up to its newest event. */
    private void reloadWindow() {
        try {
            window.load(c, nextEventSeq - 1);
        } catch (SQLException e) {
            throw new StoreFailure("reading the log's newest messageIds", e);
        }
    }

    void close() {
        try {
            for (PreparedStatement ps : statements.values()) ps.close();
            c.close();
        } catch (SQLException e) {
            // closing a connection that is already gone: nothing left to release
        }
    }

    boolean isValid() {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Sends every batched row; called before any statement that could read or reorder them. */
    private void flush() throws SQLException {
        if (!pendingTraits.isEmpty()) flushTraits();
        if (!pendingRelationships.isEmpty()) {
            PreparedStatement ps;
            if (dialect == Dialect.POSTGRESQL) {
                ps = prepared(PgArrays.UPSERT_RELATIONSHIPS);
                PgArrays.bindRelationships(c, ps, pendingRelationships.values());
                ps.addBatch();
            } else {
                ps = prepared(UPSERT_RELATIONSHIP);
                for (Relationship r : pendingRelationships.values()) {
                    Rows.bind(ps, r);
                    ps.addBatch();
                }
            }
            pendingRelationships.clear();
            pending.add(new Batch(ps, UPSERT_RELATIONSHIP, timing));
        }
        if (!pendingBrands.isEmpty()) {
            PreparedStatement ps = prepared("INSERT INTO brands (id, name, competitor, first_seq) VALUES (?,?,?,?) "
                    + "ON CONFLICT (id) DO UPDATE SET competitor = "
                    + dialect.greatest("brands.competitor", "excluded.competitor"));
            for (var b : pendingBrands.entrySet()) {
                ps.setString(1, b.getKey());
                ps.setString(2, b.getValue().name());
                ps.setInt(3, b.getValue().competitor() ? 1 : 0);
                ps.setLong(4, b.getValue().seq());
                ps.addBatch();
            }
            pendingBrands.clear();
            pending.add(new Batch(ps, "INSERT INTO brands", timing));
        }
        if (!pendingTouches.isEmpty() && dialect == Dialect.POSTGRESQL) {
            PreparedStatement ps = prepared(PgArrays.TOUCH_PROFILES);
            PgArrays.bindTouches(c, ps, pendingTouches);
            ps.addBatch();
            pendingTouches.clear();
            pending.add(new Batch(ps, "UPDATE profiles SET first_seen", timing));
        }
        if (!pendingTouches.isEmpty()) {
            PreparedStatement ps = prepared("UPDATE profiles SET first_seen = " + dialect.least("first_seen", "?")
                    + ", last_seen = " + dialect.greatest("last_seen", "?") + ", events = events + ? WHERE id = ?");
            for (var t : pendingTouches.entrySet()) {
                ps.setLong(1, t.getValue().first());
                ps.setLong(2, t.getValue().last());
                ps.setInt(3, t.getValue().events());
                ps.setString(4, t.getKey());
                ps.addBatch();
            }
            pendingTouches.clear();
            pending.add(new Batch(ps, "UPDATE profiles SET first_seen", timing));
        }
        // on a failure the rows still pending stay, for the rollback that follows to drop
        for (Pending p : pending) {
            if (timing != null && p instanceof CopyRows copy) {
                long since = WriterTiming.now();
                copy.send();
                timing.add("COPY " + copy.table(), since, 0);
            } else {
                p.send();
            }
        }
        pending.clear();
    }

    /** The pending trait merges: stored traits read in chunks, merged, batched as updates. */
    private void flushTraits() throws SQLException {
        List<String> profiles = new ArrayList<>(pendingTraits.keySet());
        Map<String, String> stored = new HashMap<>();
        for (int from = 0; from < profiles.size(); from += TRAITS_PER_READ) {
            List<String> chunk = profiles.subList(from, Math.min(profiles.size(), from + TRAITS_PER_READ));
            String sql = "SELECT id, traits FROM profiles WHERE id IN (" + "?,".repeat(chunk.size() - 1) + "?)";
            PreparedStatement read = chunk.size() == TRAITS_PER_READ ? prepared(sql) : c.prepareStatement(sql);
            try {
                for (int i = 0; i < chunk.size(); i++) read.setString(i + 1, chunk.get(i));
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) stored.put(rs.getString(1), rs.getString(2));
                }
            } finally {
                if (chunk.size() != TRAITS_PER_READ) read.close();
            }
        }
        PreparedStatement ps = prepared("UPDATE profiles SET traits = ? WHERE id = ?");
        for (var t : pendingTraits.entrySet()) {
            String json = stored.get(t.getKey());
            if (json == null) continue; // no such profile: nothing to update, as before
            Map<String, Object> merged = new java.util.TreeMap<>(Rows.map(json));
            merged.putAll(t.getValue());
            ps.setString(1, Rows.json(merged));
            ps.setString(2, t.getKey());
            ps.addBatch();
        }
        pendingTraits.clear();
        pending.add(new Batch(ps, "UPDATE profiles SET traits", timing));
    }

    private PreparedStatement ps(String sql) throws SQLException {
        flush();
        return prepared(sql);
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    // ---- state the engine reads

    @Override
    public Optional<Relationship> relationship(String party, String brand) {
        Map<String, Optional<Relationship>> o = overlay.get(party);
        Optional<Relationship> open = o == null ? null : o.get(brand); // an entry is never null
        if (open != null) return open;
        return Optional.ofNullable(committed(party).get(brand));
    }

    @Override
    public List<Relationship> relationshipsOf(String party) {
        Map<String, Relationship> all = new LinkedHashMap<>(committed(party));
        Map<String, Optional<Relationship>> o = overlay.get(party);
        if (o != null) {
            o.forEach((brand, r) -> {
                if (r.isPresent()) all.put(brand, r.get());
                else all.remove(brand);
            });
        }
        return new ArrayList<>(all.values());
    }

    private Map<String, Relationship> committed(String party) {
        Map<String, Relationship> m = cache.getIfPresent(party);
        if (m != null) return m;
        touched(party);
        relationshipLoads++;
        Map<String, Relationship> loaded = new HashMap<>();
        m = loaded;
        try {
            PreparedStatement ps = ps("SELECT " + Rows.RELATIONSHIP_COLUMNS + " FROM relationships WHERE party = ?");
            ps.setString(1, party);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Relationship r = Rows.relationship(rs);
                    m.put(r.brand(), r);
                }
            }
        } catch (SQLException e) {
            throw new StoreFailure("reading relationships of " + party, e);
        }
        if (snapshots != null) snapshots.newestInto(party, loaded);
        cache.put(party, m);
        return m;
    }

    static final String UPSERT_RELATIONSHIP = "INSERT INTO relationships (" + Rows.RELATIONSHIP_COLUMNS
            + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            + "ON CONFLICT (party, brand) DO UPDATE SET as_of = excluded.as_of, needs_met = excluded.needs_met, "
            + "needs_failed = excluded.needs_failed, ease_good = excluded.ease_good, ease_bad = excluded.ease_bad, "
            + "delight = excluded.delight, brand_gives = excluded.brand_gives, "
            + "consumer_gives = excluded.consumer_gives, association = excluded.association, "
            + "events = excluded.events, money = excluded.money, first_seen = excluded.first_seen";

    /** The open transaction and batch loaded or wrote this party's entry: a rollback must drop it. */
    private void touched(String party) {
        txParties.add(party);
        batchParties.add(party);
    }

    /** How many times a party's relationships and an identity's links were read from the database. */
    long loads() {
        return relationshipLoads + identityCache.loads();
    }

    @Override
    public void putRelationship(Relationship r) {
        touched(r.party());
        overlay.computeIfAbsent(r.party(), k -> new HashMap<>()).put(r.brand(), Optional.of(r));
        if (deferring()) {
            snapshots.put(r);
        } else {
            pendingRelationships.put(r.party() + '\u0000' + r.brand(), r);
        }
    }

    @Override
    public void removeRelationship(String party, String brand) {
        touched(party);
        overlay.computeIfAbsent(party, k -> new HashMap<>()).put(brand, Optional.empty());
        // deleted now, so that no later state of a recovery can bring it back (its ledger entries move to the survivor)
        update("DELETE FROM relationships WHERE party = ? AND brand = ?", ps -> {
            ps.setString(1, party);
            ps.setString(2, brand);
        });
        if (deferring()) snapshots.removed(party, brand);
    }

    // ---- identities

    @Override
    public Optional<String> profileOf(Identity identity) {
        return identityCache.profileOf(identity, fromDb);
    }

    @Override
    public List<Identity> identitiesOf(String profile) {
        return identityCache.identitiesOf(profile, fromDb);
    }

    private List<Identity> loadIdentities(String profile) {
        List<Identity> out = new ArrayList<>();
        try {
            PreparedStatement ps = ps("SELECT identity FROM identities WHERE profile = ? ORDER BY first_seq, identity");
            ps.setString(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(Identity.parseKey(rs.getString(1)));
            }
        } catch (SQLException e) {
            throw new StoreFailure("reading identities of " + profile, e);
        }
        return out;
    }

    @Override
    public void link(Identity identity, String profile, long seq) {
        identityCache.linked(identity, profile, fromDb);
        update(
                "INSERT INTO identities (identity, profile, first_seq) VALUES (?, ?, ?) "
                        + "ON CONFLICT (identity) DO UPDATE SET profile = excluded.profile",
                ps -> {
                    ps.setString(1, identity.key());
                    ps.setString(2, profile);
                    ps.setLong(3, seq);
                });
    }

    // ---- log and profiles

    @Override
    public Set<String> logged(java.util.Collection<String> messageIds) {
        Set<String> found = new java.util.HashSet<>();
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(messageIds));
        long since = timing == null ? 0 : WriterTiming.now();
        try {
            if (dialect == Dialect.POSTGRESQL) {
                // one statement over an array: a statement per 100 ids was a round trip each, 5 per batch of 500
                if (!ids.isEmpty()) {
                    PreparedStatement ps = ps("SELECT message_id FROM events WHERE message_id = ANY(?)");
                    ps.setArray(1, c.createArrayOf("text", ids.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) found.add(rs.getString(1));
                    }
                }
            } else {
                inWindow(ids, found);
            }
            if (erasedAny) found.addAll(erased(ids, Eraser::digest));
            if (timing != null) timing.add("messageIds already logged", since, ids.size());
        } catch (SQLException e) {
            throw new StoreFailure("checking messageIds against the log", e);
        }
        return found;
    }

    /**
     * Which of {@code ids} the window holds: the events whose bits match are read by their
     * sequence numbers (rarely any but resent calls), and only a row with the same messageId counts.
     */
    private void inWindow(List<String> ids, Set<String> found) throws SQLException {
        Map<Long, List<String>> bySeq = new HashMap<>();
        for (String id : ids)
            window.candidates(
                    id,
                    seq -> bySeq.computeIfAbsent(seq, k -> new ArrayList<>(1)).add(id));
        if (bySeq.isEmpty()) return;
        eachIn("SELECT seq, message_id FROM events WHERE seq", new ArrayList<>(bySeq.keySet()), rs -> {
            String id = rs.getString(2);
            if (bySeq.get(rs.getLong(1)).contains(id)) found.add(id);
        });
    }

    /** A row of a result set, read where SQL may fail. */
    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /** Runs {@code select}, which ends with the column to match, over {@code keys} 100 at a time ({@code IN (?,...)}). */
    private void eachIn(String select, List<?> keys, RowReader row) throws SQLException {
        for (int from = 0; from < keys.size(); from += 100) {
            List<?> chunk = keys.subList(from, Math.min(keys.size(), from + 100));
            PreparedStatement ps = ps(select + " IN (" + "?,".repeat(chunk.size() - 1) + "?)");
            for (int i = 0; i < chunk.size(); i++) ps.setObject(i + 1, chunk.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) row.read(rs);
            }
        }
    }

    @Override
    public Set<String> erasedIdentities(java.util.Collection<String> ids) {
        if (!erasedAny || ids.isEmpty()) return Set.of();
        try {
            return erased(new ArrayList<>(new LinkedHashSet<>(ids)), Eraser::identityDigest);
        } catch (SQLException e) {
            throw new StoreFailure("checking co-parties against erased identities", e);
        }
    }

    /** Which of {@code ids} were erased: erased messageIds and identities are kept as SHA-256 digests. */
    private Set<String> erased(List<String> ids, java.util.function.UnaryOperator<String> digest) throws SQLException {
        Map<String, String> byDigest = new HashMap<>();
        for (String id : ids) byDigest.put(digest.apply(id), id);
        Set<String> found = new java.util.HashSet<>();
        eachIn(
                "SELECT digest FROM erased_messages WHERE digest",
                new ArrayList<>(byDigest.keySet()),
                rs -> found.add(byDigest.get(rs.getString(1))));
        return found;
    }

    @Override
    public long append(LoggedEvent e) {
        long seq = nextEventSeq++;
        update(
                "INSERT INTO events (seq, message_id, type, name, profile, event_time, received_at, "
                        + "brand, channel, purpose, scored, body) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                ps -> {
                    ps.setLong(1, seq);
                    ps.setString(2, e.messageId());
                    ps.setString(3, e.type());
                    ps.setString(4, e.name());
                    ps.setString(5, e.profile());
                    ps.setLong(6, e.eventTime().toEpochMilli());
                    ps.setLong(7, e.receivedAt().toEpochMilli());
                    ps.setString(8, e.brand());
                    ps.setString(9, e.channel());
                    ps.setString(10, e.purpose());
                    ps.setInt(11, e.scored() ? 1 : 0);
                    ps.setString(12, e.body());
                },
                true);
        if (window != null) window.add(e.messageId(), seq);
        if (dialect.sortedRuns()) indexes.logged(e.profile(), e.eventTime().toEpochMilli(), seq);
        return seq;
    }

    @Override
    public void createProfile(String profile, Instant at) {
        update("INSERT INTO profiles (id, traits, first_seen, last_seen, events) VALUES (?, '{}', ?, ?, 0)", ps -> {
            ps.setString(1, profile);
            ps.setLong(2, at.toEpochMilli());
            ps.setLong(3, at.toEpochMilli());
        });
        if (deferring()) snapshots.activity().created(profile, at.toEpochMilli());
    }

    @Override
    public void touchProfile(String profile, Instant t, boolean countEvent) {
        long at = t.toEpochMilli();
        if (deferring()) {
            snapshots.activity().touched(profile, at, countEvent ? 1 : 0);
            return;
        }
        pendingTouches.merge(
                profile,
                new PendingTouch(at, at, countEvent ? 1 : 0),
                (a, b) -> new PendingTouch(
                        Math.min(a.first(), b.first()), Math.max(a.last(), b.last()), a.events() + b.events()));
    }

    @Override
    public void mergeTraits(String profile, Map<String, Object> traits) {
        pendingTraits.computeIfAbsent(profile, p -> new LinkedHashMap<>()).putAll(traits);
    }

    @Override
    public void absorbProfile(String survivor, String absorbed) {
        // the renames below find a person's entries through the views: those in memory go there first
        if (dialect.sortedRuns()) indexes.writeRecentOrFail();
        identityCache.absorbed(survivor, absorbed, fromDb);
        // before the statement below changes the survivor's row: the activity's are read from it
        if (deferring()) snapshots.activity().absorbed(survivor, absorbed);
        Map<String, Object> traits = new java.util.TreeMap<>(Rows.map(
                queryOne("SELECT traits FROM profiles WHERE id = ?", absorbed).orElse("{}")));
        traits.putAll(Rows.map(
                queryOne("SELECT traits FROM profiles WHERE id = ?", survivor).orElse("{}")));
        update(
                "UPDATE profiles SET traits = ?, "
                        + "first_seen = "
                        + dialect.least("first_seen", "(SELECT first_seen FROM profiles WHERE id = ?)") + ", "
                        + "last_seen = "
                        + dialect.greatest("last_seen", "(SELECT last_seen FROM profiles WHERE id = ?)") + ", "
                        + "events = events + (SELECT events FROM profiles WHERE id = ?) WHERE id = ?",
                ps -> {
                    ps.setString(1, Rows.json(traits));
                    ps.setString(2, absorbed);
                    ps.setString(3, absorbed);
                    ps.setString(4, absorbed);
                    ps.setString(5, survivor);
                });
        List<String> renames = new ArrayList<>(List.of(
                "UPDATE identities SET profile = ? WHERE profile = ?",
                // the log and the ledger are found through their sorted indexes, renamed after them
                "UPDATE events SET profile = ? WHERE seq IN " + SortedRuns.EVENTS_OF,
                "UPDATE ledger SET party = ? WHERE seq IN " + SortedRuns.LEDGER_OF));
        if (dialect.sortedRuns()) {
            renames.addAll(SortedRuns.PROFILE.renames());
            renames.addAll(SortedRuns.PAIR.renames());
        }
        renames.add("UPDATE merges SET survivor = ? WHERE survivor = ?");
        renames.add("UPDATE consents SET profile = ? WHERE profile = ?");
        for (String table : renames) {
            update(table, ps -> {
                ps.setString(1, survivor);
                ps.setString(2, absorbed);
            });
        }
        update("DELETE FROM profiles WHERE id = ?", ps -> ps.setString(1, absorbed));
        touched(absorbed);
        cache.invalidate(absorbed);
    }

    @Override
    public void recordMerge(long seq, String survivor, String absorbed, boolean merged, String reason, Instant at) {
        update("INSERT INTO merges (event_seq, survivor, absorbed, merged, reason, at) VALUES (?,?,?,?,?,?)", ps -> {
            ps.setLong(1, seq);
            ps.setString(2, survivor);
            ps.setString(3, absorbed);
            ps.setInt(4, merged ? 1 : 0);
            ps.setString(5, reason);
            ps.setLong(6, at.toEpochMilli());
        });
    }

    @Override
    public void addLedger(LedgerEntry e, Relationship after) {
        long seq = nextLedgerSeq++;
        long time = e.time().toEpochMilli();
        // raw doubles in bytes, not text: a third of the row it was (LedgerCodec)
        byte[] contributions = LedgerCodec.contributions(e.contributions());
        update(
                "INSERT INTO ledger (seq, party, brand, time, event_id, kind, experience_before, experience_after, "
                        + "fusion_before, fusion_after, faded, note, contributions, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ps -> {
                    ps.setLong(1, seq);
                    ps.setString(2, e.party());
                    ps.setString(3, e.brand());
                    ps.setLong(4, time);
                    ps.setString(5, e.eventId());
                    ps.setInt(6, LedgerCodec.kind(e.kind()));
                    ps.setDouble(7, e.experienceBefore());
                    ps.setDouble(8, e.experienceAfter());
                    ps.setDouble(9, e.fusionBefore());
                    ps.setDouble(10, e.fusionAfter());
                    ps.setDouble(11, e.faded());
                    // the readable cause is rendered when read, from the note and the contributions
                    ps.setString(12, e.note());
                    ps.setBytes(13, contributions);
                    ps.setBytes(14, LedgerCodec.state(after, time));
                },
                true);
        if (deferring()) snapshots.ledgered(e.party(), e.brand(), after);
        if (dialect.sortedRuns())
            indexes.ledgered(e.party(), e.brand(), seq, LedgerCodec.row(seq, e, time, contributions));
    }

    @Override
    public void upsertBrand(String id, String name, boolean competitor, boolean declared, long seq) {
        if (declared) {
            update(
                    "INSERT INTO brands (id, name, competitor, first_seq) VALUES (?,?,?,?) "
                            + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, competitor = excluded.competitor",
                    ps -> {
                        ps.setString(1, id);
                        ps.setString(2, name);
                        ps.setInt(3, competitor ? 1 : 0);
                        ps.setLong(4, seq);
                    });
        } else {
            // the first insert fixes the name and first_seq; later ones can only mark a competitor
            pendingBrands.merge(
                    id,
                    new PendingBrand(name, competitor, seq),
                    (a, b) -> new PendingBrand(a.name(), a.competitor() || b.competitor(), Math.min(a.seq(), b.seq())));
        }
    }

    @Override
    public void countUnknownEvent(String name, Instant at) {
        update(
                "INSERT INTO unknown_events (name, count, last_seen) VALUES (?, 1, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET count = unknown_events.count + 1, last_seen = "
                        + dialect.greatest("unknown_events.last_seen", "excluded.last_seen"),
                ps -> {
                    ps.setString(1, name);
                    ps.setLong(2, at.toEpochMilli());
                });
    }

    @Override
    public void recordConsent(String profile, fusion.core.consent.ConsentRecord r, long seq, int position) {
        update(
                "INSERT INTO consents (profile, purpose, channel, granted, at, expires, source, event_seq, position) "
                        + "VALUES (?,?,?,?,?,?,?,?,?)",
                ps -> {
                    ps.setString(1, profile);
                    ps.setString(2, r.purpose().label());
                    ps.setString(3, r.channel());
                    ps.setInt(4, r.granted() ? 1 : 0);
                    ps.setLong(5, r.at().toEpochMilli());
                    if (r.expires() == null) ps.setNull(6, java.sql.Types.BIGINT);
                    else ps.setLong(6, r.expires().toEpochMilli());
                    ps.setString(7, r.source());
                    ps.setLong(8, seq);
                    ps.setInt(9, position);
                },
                true);
    }

    // ---- plumbing

    @FunctionalInterface
    private interface Binder {
        void bind(Params ps) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        update(sql, binder, false);
    }

    /**
     * Runs a write now, or adds it to its statement's batch when {@code batched}: the log, ledger,
     * relationship and activity rows are never read back within a transaction (the engine reads
     * the cache overlay), so they travel to the database in batches. On PostgreSQL a batched plain
     * INSERT (an append-only table's row) goes by binary COPY ({@link CopyRows}).
     */
    private void update(String sql, Binder binder, boolean batched) {
        try {
            if (batched) {
                CopyRows copy = copyOf(sql);
                if (copy != NOT_COPIED) {
                    binder.bind(copy);
                    copy.endRow();
                    pending.add(copy);
                    if (copy.bytes() >= CopyRows.SEND_AT_BYTES) copy.send(); // a bound on the buffer
                    return;
                }
                PreparedStatement ps = prepared(sql);
                binder.bind(Params.of(ps));
                ps.addBatch();
                pending.add(new Batch(ps, sql, timing));
                return;
            }
            PreparedStatement ps = ps(sql);
            binder.bind(Params.of(ps));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreFailure("writing: " + sql.substring(0, Math.min(60, sql.length())), e);
        }
    }

    /**
     * Sends the append-only rows by COPY from {@code rows} rows at a flush on (1: always;
     * {@link Integer#MAX_VALUE}: never), starting with the next row (what is pending is sent
     * first): for the tests and the bench that compare the two.
     */
    void copyAt(int rows) throws SQLException {
        flush();
        copies.clear();
        copyAtRows = rows;
    }

    /** The COPY a batched statement's rows go by, or {@link #NOT_COPIED}: on SQLite, or not a plain INSERT. */
    private CopyRows copyOf(String sql) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) return NOT_COPIED;
        CopyRows copy = copies.get(sql);
        if (copy != null || copies.containsKey(sql)) return copy;
        Optional<CopyRows.Target> target = CopyRows.target(sql);
        copy = target.isPresent() ? CopyRows.open(c, sql, copyAtRows) : NOT_COPIED;
        copies.put(sql, copy);
        return copy;
    }

    private Optional<String> queryOne(String sql, String arg) {
        try {
            PreparedStatement ps = ps(sql);
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreFailure("reading: " + sql.substring(0, Math.min(60, sql.length())), e);
        }
    }
}
