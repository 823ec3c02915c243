package fusion.store.sql;

import fusion.core.engine.Relationship;
import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import fusion.store.Access;
import fusion.store.BrandSummary;
import fusion.store.BrandView;
import fusion.store.Erasure;
import fusion.store.IngestResult;
import fusion.store.LedgerView;
import fusion.store.LogCodec;
import fusion.store.Pipeline;
import fusion.store.ProfileSummary;
import fusion.store.ProfileView;
import fusion.store.RelationshipView;
import fusion.store.StateDigest;
import fusion.store.Store;
import fusion.store.StoreFailure;
import fusion.store.StoreStats;
import fusion.store.TimelineItem;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SQL store: the embedded default on SQLite (one file, {@code fusion.db}, in WAL mode with
 * {@code synchronous=FULL}) or PostgreSQL in production, with the same schema, statements and
 * behaviour. One writer thread and connection applies the batches waiting for it in one
 * transaction and commits them with one fsync (group commit, up to {@code StoreSettings.writerGroup()} batches (32 by default); when
 * the group holds more than one, each batch runs in a savepoint of its own, so a rejected batch is
 * rolled back alone), so a batch is durable when {@link #ingest} returns; queries run on other
 * connections concurrently with writes. When the
 * database goes away, calls fail with {@link StoreFailure} (the server answers 503) and the next
 * batch reconnects.
 */
public final class SqlStore implements Store {
    private final String name;
    private final Dialect dialect;
    private final Pipeline pipeline;
    private final ConnectionSource source;
    /** The embedded store's audit log, beside fusion.db in the data directory ({@link AuditTable}). */
    public static final String AUDIT_FILE = "audit.db";

    private final SqlAccess access;
    /** The audit log's own write path (audit.db on SQLite), so a read's audit entry never waits for ingest. */
    private final AuditTable audit;

    private final SqlDecisionRecords decisions = new SqlDecisionRecords(this);
    private final SqlAudienceRecords audiences = new SqlAudienceRecords(this);
    private final SqlPlanViolationRecords planViolations = new SqlPlanViolationRecords(this);
    private final SqlBrandActions actions = new SqlBrandActions(this);
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Writer writer;
    /** SQLite: restarts the WAL after a commit when readers kept SQLite's own checkpoints from it; null on PostgreSQL. */
    private final WalCheckpoints checkpoints;
    /**
     * The sorted indexes' newest entries, which the writer keeps in memory on SQLite and readers
     * ask before the tables ({@link RecentEntries}); empty on PostgreSQL.
     */
    private final RecentEntries profileMemory = new RecentEntries(false);

    private final RecentEntries pairMemory = new RecentEntries(true);

    /** SQLite: the ledger's newest rows, which the writer keeps and readers ask before the table ({@link LedgerRing}). */
    private final LedgerRing ledgerRows = LedgerRing.configured();

    /**
     * SQLite, writable: relationship states committed since the writer last wrote them into their
     * table, which readers ask with the table ({@link SnapshotOverlay}); null otherwise.
     */
    private final SnapshotOverlay<Relationship> relationshipStates;

    /** With {@link #relationshipStates}: the profiles' activity waiting for its table ({@link ProfileActivity}). */
    private final SnapshotOverlay<ProfileActivity.Activity> activityStates;

    /**
     * Every entry of an index, the tables' and those the writer keeps in memory, as
     * {@code owner|second|seq} in seq order: the pair index's when {@code pairs}, else the
     * per-profile index's (tests). Taken while no group commits and no upkeep runs.
     */
    synchronized List<String> indexEntries(boolean pairs) {
        List<String> out = new java.util.ArrayList<>(read(q -> {
            List<String> rows = new java.util.ArrayList<>();
            try (Statement s = q.connection().createStatement();
                    java.sql.ResultSet rs = s.executeQuery(
                            pairs
                                    ? "SELECT party, brand, seq FROM pair_seqs"
                                    : "SELECT profile, event_time, seq FROM profile_seqs")) {
                while (rs.next()) rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getLong(3));
            }
            return rows;
        }));
        for (var e : (pairs ? pairMemory : profileMemory).committedEntries()) {
            out.add(e.owner() + "|" + e.second() + "|" + e.seq());
        }
        out.sort(java.util.Comparator.comparingLong(r -> Long.parseLong(r.substring(r.lastIndexOf('|') + 1))));
        return out;
    }

    /** Whether the writer keeps any index entry in memory (tests). */
    synchronized boolean keepsIndexEntriesInMemory() {
        return !profileMemory.committedEntries().isEmpty()
                || !pairMemory.committedEntries().isEmpty();
    }
    /** The embedded store's lock on its data directory; nothing to release on PostgreSQL. */
    private final AutoCloseable directoryLock;

    private SqlStore(
            String name,
            Dialect dialect,
            ConnectionSource source,
            Pipeline pipeline,
            boolean migrate,
            AutoCloseable directoryLock,
            StoreSettings settings,
            AuditOpener auditOpener) {
        this.name = name;
        this.settings = settings;
        this.dialect = dialect;
        this.source = source;
        this.pipeline = pipeline;
        this.access = new SqlAccess(this);
        this.directoryLock = directoryLock;
        this.checkpoints = dialect == Dialect.SQLITE ? new WalCheckpoints(source, Path.of(name + "-wal")) : null;
        this.relationshipStates = dialect == Dialect.SQLITE && source.writable() ? new SnapshotOverlay<>() : null;
        this.activityStates = relationshipStates == null ? null : new SnapshotOverlay<>();
        try {
            try (Connection c = source.open()) {
                if (migrate) {
                    Migrations.apply(c, dialect);
                } else {
                    Migrations.check(c);
                }
            }
            this.audit = auditOpener.open(source);
            if (dialect.sortedRuns()) {
                // the indexes' newest entries are in memory only: readers need them before any write
                synchronized (this) {
                    writer();
                }
            }
        } catch (SQLException e) {
            source.close();
            release(directoryLock);
            throw new StoreFailure("cannot open " + name, e);
        } catch (RuntimeException e) {
            source.close();
            release(directoryLock);
            throw e;
        }
    }

    /** Opens a store's audit log once its schema is current; given the store's connections. */
    @FunctionalInterface
    private interface AuditOpener {
        AuditTable open(ConnectionSource store) throws SQLException;
    }

    AuditTable audit() {
        return audit;
    }

    /**
     * The embedded store in {@code dataDir} (created, and its schema migrated, if needed), holding
     * the directory's exclusive lock until {@link #close}: while another process (or another open
     * store here) holds it, this throws {@link fusion.store.StoreInUse} naming the holder's pid. The
     * directory is created owner-only and the database files are the owner's alone ({@link OwnerOnly}).
     */
    public static SqlStore sqlite(Path dataDir, Pipeline pipeline) {
        return sqlite(dataDir, pipeline, StoreSettings.defaults());
    }

    /** {@link #sqlite(Path, Pipeline)} sized by {@code settings}. */
    public static SqlStore sqlite(Path dataDir, Pipeline pipeline, StoreSettings settings) {
        Path file = dataDir.resolve("fusion.db");
        try {
            OwnerOnly.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreFailure("cannot create the data directory " + dataDir.toAbsolutePath(), e);
        }
        DataDirLock lock = DataDirLock.acquire(dataDir);
        try {
            OwnerOnly.createFile(file);
            OwnerOnly.restrict(dataDir.resolve("fusion.db-wal"));
            OwnerOnly.restrict(dataDir.resolve("fusion.db-shm"));
            return new SqlStore(
                    file.toString(),
                    Dialect.SQLITE,
                    ConnectionSource.sqlite(file, false, settings.readPool()),
                    pipeline,
                    true,
                    lock,
                    settings,
                    store -> AuditTable.sqlite(dataDir.resolve(AUDIT_FILE), store, false, 2, settings.auditSync()));
        } catch (IOException e) {
            lock.close();
            throw new StoreFailure("cannot make the store's files owner-only in " + dataDir.toAbsolutePath(), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * The embedded store in {@code dataDir} for reading only, while a server may be writing it
     * (SQLite's WAL lets readers see committed state alongside one writer). Takes no lock and
     * migrates nothing; every connection is {@code query_only}, so a write fails.
     */
    public static SqlStore sqliteReadOnly(Path dataDir, Pipeline pipeline) {
        return sqliteReadOnly(dataDir, pipeline, StoreSettings.defaults());
    }

    /** {@link #sqliteReadOnly(Path, Pipeline)} sized by {@code settings}. */
    public static SqlStore sqliteReadOnly(Path dataDir, Pipeline pipeline, StoreSettings settings) {
        Path file = dataDir.resolve("fusion.db");
        if (!java.nio.file.Files.exists(file)) {
            throw new StoreFailure(
                    "no store in " + dataDir.toAbsolutePath(), new java.nio.file.NoSuchFileException(file.toString()));
        }
        return new SqlStore(
                file.toString(),
                Dialect.SQLITE,
                ConnectionSource.sqlite(file, true, settings.readPool()),
                pipeline,
                false,
                () -> {},
                settings,
                store -> AuditTable.sqlite(dataDir.resolve(AUDIT_FILE), store, true, 2, settings.auditSync()));
    }

    private static void release(AutoCloseable lock) {
        try {
            lock.close();
        } catch (Exception ignored) {
            // releasing a lock cannot fail in a way the caller could act on
        }
    }

    /**
     * A PostgreSQL store. With {@code migrate} false the schema must already be current
     * ({@code ./fusion migrate}); a schema newer than this build is refused either way.
     */
    public static SqlStore postgres(StoreUrl url, Pipeline pipeline, boolean migrate) {
        return postgres(url, pipeline, migrate, StoreSettings.defaults());
    }

    /** {@link #postgres(StoreUrl, Pipeline, boolean)} sized by {@code settings}. */
    public static SqlStore postgres(StoreUrl url, Pipeline pipeline, boolean migrate, StoreSettings settings) {
        return new SqlStore(
                url.redacted(),
                Dialect.POSTGRESQL,
                ConnectionSource.postgres(url, settings.readPool()),
                pipeline,
                migrate,
                () -> {},
                settings,
                store -> AuditTable.postgres(url.redacted(), store, settings.auditSync()));
    }

    /**
     * Drops every Fusion table in the database at {@code url} (the demo's {@code --reset}); other
     * tables are left alone.
     */
    public static void dropAll(StoreUrl url) {
        try (ConnectionSource s = ConnectionSource.postgres(url, 1);
                Connection c = s.open();
                Statement st = c.createStatement()) {
            // the views first: PostgreSQL refuses to drop a table a view reads
            st.execute("DROP VIEW IF EXISTS profile_seqs");
            st.execute("DROP VIEW IF EXISTS pair_seqs");
            for (String t : List.of(
                    "profile_index",
                    "profile_index_recent",
                    "pair_index",
                    "pair_index_recent",
                    "index_runs",
                    "index_marks",
                    "events",
                    "identities",
                    "profiles",
                    "merges",
                    "brands",
                    "relationships",
                    "ledger",
                    "unknown_events",
                    "consents",
                    "erasures",
                    "erased_messages",
                    "credentials",
                    "audit",
                    "brand_actions",
                    "decisions",
                    "deliveries",
                    "log_progress",
                    "log_cuts",
                    "audience_definitions",
                    "audience_members",
                    "audience_changes",
                    "audience_sizes",
                    "audience_destinations",
                    "activation_outbox",
                    "activation_exports",
                    "plan_violations",
                    "plan_violation_samples",
                    "schema_version")) {
                st.execute("DROP TABLE IF EXISTS " + t);
            }
        } catch (SQLException e) {
            throw new StoreFailure("cannot reset " + url.redacted(), e);
        }
    }

    /** Applies pending migrations to the database at {@code url}; returns the schema version. */
    public static int migrate(StoreUrl url) {
        try (ConnectionSource s = ConnectionSource.postgres(url, 1);
                Connection c = s.open()) {
            return Migrations.apply(c, Dialect.POSTGRESQL);
        } catch (SQLException e) {
            throw new StoreFailure("cannot migrate " + url.redacted(), e);
        }
    }

    public String name() {
        return name;
    }

    /** Its sizes; {@link StoreSettings#writerGroup()} batches at most share one transaction (and one fsync). */
    private final StoreSettings settings;
    /** Batches waiting for the writer thread; a full queue makes callers wait (Admission bounds them first). */
    private final java.util.concurrent.BlockingQueue<PendingBatch> queue =
            new java.util.concurrent.ArrayBlockingQueue<>(64);

    private Thread writerThread;
    private volatile boolean closed;

    /**
     * A request's batch waiting for the writer thread, and how its caller learns the outcome.
     * Whoever sets {@code claimed} first owns it: the writer thread, which then applies it, or
     * the caller, which withdraws it unapplied (while an erasure holds the writer).
     */
    private record PendingBatch(
            List<SegmentCall> calls,
            List<String> records,
            java.util.concurrent.CompletableFuture<IngestResult> done,
            java.util.concurrent.atomic.AtomicBoolean claimed) {}

    /** How often a waiting caller looks whether an erasure has started; bounds its wait when one has. */
    private static final long WAIT_SLICE_MILLIS = 250;
    /** The erasure in progress, if any: set before it takes the writer, cleared after. */
    private volatile ErasureProgress erasing;
    /** Erasures run one at a time. */
    private final Object erasures = new Object();

    /**
     * Group commit: the caller's batch joins a queue; the writer thread applies every batch
     * waiting there in one transaction (each inside a savepoint, so a batch that fails validation
     * is rolled back and rejected alone), commits once, and only then completes each caller.
     * While an erasure holds the writer, a batch is not kept waiting behind it: the caller gets
     * {@link fusion.store.StoreBusy} at once, or within {@value #WAIT_SLICE_MILLIS} ms if its
     * batch was already queued (and not yet taken) when the erasure began.
     */
    @Override
    public IngestResult ingest(List<SegmentCall> calls) {
        turnAwayDuringErasure();
        pipeline.check(calls); // a call that does not fit is refused here, before it can join a group
        List<String> records = calls.stream().map(LogCodec::encode).toList(); // on the caller's thread
        PendingBatch p = new PendingBatch(
                calls,
                records,
                new java.util.concurrent.CompletableFuture<>(),
                new java.util.concurrent.atomic.AtomicBoolean());
        startWriterThread();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (queue.offer(p, WAIT_SLICE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) break;
                    turnAwayDuringErasure();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (closed && queue.remove(p)) throw new StoreFailure(name + " is closed", null);
            while (true) {
                try {
                    // once the writer has claimed the batch it may commit, so wait for the answer
                    return p.done().get(WAIT_SLICE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    if (erasing != null && p.claimed().compareAndSet(false, true)) {
                        queue.remove(p);
                        turnAwayDuringErasure();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw new StoreFailure("committing a batch of " + calls.size() + " to " + name, e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Throws {@link fusion.store.StoreBusy} while an erasure holds the writer. */
    private void turnAwayDuringErasure() {
        ErasureProgress e = erasing;
        if (e == null) return;
        int after = e.retryAfterSeconds();
        throw new fusion.store.StoreBusy(
                e.describe() + "; nothing of this batch was stored, retry after " + after + " s", after);
    }

    /** Not the store's monitor: the writer thread holds that while it applies a group. */
    private final Object lifecycle = new Object();

    private void startWriterThread() {
        synchronized (lifecycle) {
            if (closed) throw new StoreFailure(name + " is closed", null);
            if (writerThread != null) return;
            writerThread = new Thread(this::drain, "fusion-writer " + name);
            writerThread.setDaemon(true);
            writerThread.start();
        }
    }

    /** The writer thread: takes whatever is queued, up to {@link StoreSettings#writerGroup()} batches, and commits it as one. */
    private void drain() {
        List<PendingBatch> group = new java.util.ArrayList<>(settings.writerGroup());
        while (!closed || !queue.isEmpty()) {
            try {
                PendingBatch first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) continue;
                group.add(first);
                queue.drainTo(group, settings.writerGroup() - 1);
                synchronized (this) {
                    commitGroup(group);
                }
            } catch (InterruptedException e) {
                // only close() interrupts; the loop condition decides
            } catch (RuntimeException | Error e) {
                for (PendingBatch p : group) p.done().completeExceptionally(e);
            } finally {
                group.clear();
            }
        }
        PendingBatch left;
        while ((left = queue.poll()) != null)
            left.done().completeExceptionally(new StoreFailure(name + " is closed", null));
    }

    private void commitGroup(List<PendingBatch> group) {
        Writer w;
        try {
            w = writer();
        } catch (StoreFailure e) {
            for (PendingBatch p : group) p.done().completeExceptionally(e);
            return;
        }
        boolean savepoints = group.size() > 1; // alone, a rejected batch rolls back the (its own) transaction
        List<PendingBatch> applied = new java.util.ArrayList<>(group.size());
        List<IngestResult> results = new java.util.ArrayList<>(group.size());
        List<List<fusion.core.model.Interaction>> scoredOf = new java.util.ArrayList<>(group.size());
        List<Boolean> mergedOf = new java.util.ArrayList<>(group.size());
        try {
            for (PendingBatch p : group) {
                if (!p.claimed().compareAndSet(false, true)) continue; // withdrawn: its caller was answered 503
                List<fusion.core.model.Interaction> scored = new java.util.ArrayList<>();
                boolean[] merged = {false};
                if (savepoints) w.savepoint();
                IngestResult r;
                try {
                    r = pipeline.apply(w, p.calls(), p.records(), new Pipeline.Sink() {
                        @Override
                        public void scored(fusion.core.model.Interaction interaction) {
                            scored.add(interaction);
                        }

                        @Override
                        public void merged(String survivor, String absorbed) {
                            merged[0] = true;
                        }
                    });
                    if (savepoints) w.releaseSavepoint();
                } catch (RuntimeException | SQLException e) {
                    // whatever went wrong inside one batch rejects that batch alone; only when the
                    // rollback to its savepoint fails too (the connection is gone) does the group fail
                    if (savepoints) w.rollbackToSavepoint();
                    else w.rollback();
                    if (!(e instanceof InvalidInput)) {
                        System.getLogger(SqlStore.class.getName())
                                .log(
                                        System.Logger.Level.ERROR,
                                        "a batch of " + p.calls().size() + " failed and was rejected alone",
                                        e);
                    }
                    p.done()
                            .completeExceptionally(
                                    e instanceof RuntimeException failed
                                            ? failed
                                            : new StoreFailure(
                                                    "writing a batch of "
                                                            + p.calls().size() + " to " + name,
                                                    e));
                    continue;
                }
                applied.add(p);
                results.add(r);
                scoredOf.add(scored);
                mergedOf.add(merged[0]);
            }
            if (applied.isEmpty()) return;
            w.commit();
        } catch (SQLException | StoreFailure e) {
            abandon(w);
            StoreFailure f = e instanceof StoreFailure sf
                    ? sf
                    : new StoreFailure("committing " + applied.size() + " batches to " + name, e);
            for (PendingBatch p : group) p.done().completeExceptionally(f);
            return;
        } catch (RuntimeException e) {
            abandon(w);
            for (PendingBatch p : group) p.done().completeExceptionally(e);
            return;
        }
        // committed: listeners hear of each batch in commit order, then its caller gets the 2xx
        for (int i = 0; i < applied.size(); i++) {
            try {
                if (!scoredOf.get(i).isEmpty() || mergedOf.get(i)) {
                    for (Listener l : listeners) l.committed(scoredOf.get(i), mergedOf.get(i));
                }
            } catch (RuntimeException e) {
                System.getLogger(SqlStore.class.getName())
                        .log(System.Logger.Level.ERROR, "a listener failed on a committed batch", e);
            }
            applied.get(i).done().complete(results.get(i));
        }
        keepIndexes(w);
        writeRelationships(w, false);
        if (checkpoints != null) checkpoints.afterCommit();
    }

    /** At most this long between two writes of the relationship states into their table (SQLite). */
    static final long RELATIONSHIP_SNAPSHOT_MILLIS = 5_000;

    /**
     * Between groups: the relationship states published since the table was last written go into
     * it when due ({@link Writer#snapshot}), or now with {@code now}. A failure changes nothing
     * (they stay published and are written next time) and is logged; a lost connection is
     * dropped as after a failed group.
     */
    private void writeRelationships(Writer w, boolean now) {
        betweenGroups(w, () -> w.snapshot(now), "writing the relationship states into their table");
    }

    /**
     * Runs a step of the writer's own between groups; a failure is logged ({@code what} failed;
     * retried after the next group) and a lost connection dropped as after a failed group.
     */
    private void betweenGroups(Writer w, Runnable step, String what) {
        try {
            step.run();
        } catch (StoreFailure e) {
            System.getLogger(SqlStore.class.getName())
                    .log(System.Logger.Level.ERROR, what + " failed; retried after the next group", e);
            if (!w.isValid()) {
                w.close();
                writer = null;
            }
        }
    }

    /** Writes the relationship states waiting in memory into their table now (digests, counts, tests). */
    synchronized void writeRelationshipsNow() {
        if (relationshipStates == null || (relationshipStates.isEmpty() && activityStates.isEmpty())) return;
        writer().snapshot(true);
    }

    /**
     * After a commit, with its callers answered: one bounded step of upkeep of the log's sorted
     * indexes ({@link SortedRuns}), in its own transaction. A failure changes nothing (the step
     * rolls back, the indexes stay correct) and is logged; a lost connection is dropped as after
     * a failed group.
     */
    private void keepIndexes(Writer w) {
        betweenGroups(w, w::keepIndexes, "keeping the log's sorted indexes");
    }

    /** Steps of upkeep of the sorted indexes until there is nothing left to do (tests and the bench). */
    public synchronized void settleIndexes() {
        Writer w = writer();
        while (w.keepIndexes()) {
            // each step is bounded; a merge takes several
        }
    }

    /** The ledger's newest rows the writer keeps (tests). */
    LedgerRing ledgerRows() {
        return ledgerRows;
    }

    /** How many times the writer read a party's relationships or an identity's links from the database. */
    synchronized long writerLoads() {
        return writer == null ? 0 : writer.loads();
    }

    /** The writer, reconnecting if the last one was lost. */
    private Writer writer() {
        if (writer == null) {
            // a lost writer's last transaction may have published rows it never committed
            ledgerRows.forgetAll();
            Connection c = null;
            try {
                c = source.open();
                writer = new Writer(
                        c,
                        dialect,
                        settings.cachedParties(),
                        settings.cachedIdentities(),
                        profileMemory,
                        pairMemory,
                        ledgerRows,
                        relationshipStates,
                        activityStates,
                        dialect == Dialect.SQLITE ? new MessageIdWindow(settings.dedupWindow()) : null);
                writer.runSize(settings.indexRun());
                writer.snapshotEvery(settings.relationshipSnapshot(), RELATIONSHIP_SNAPSHOT_MILLIS);
            } catch (SQLException e) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // the connection failed while being set up; it holds nothing
                    }
                }
                throw new StoreFailure(name + " is unreachable", e);
            }
        }
        return writer;
    }

    /** After a failure: roll back if the connection still works, else drop it and reconnect next time. */
    private void abandon(Writer w) {
        try {
            w.rollback();
            if (w.isValid()) return;
        } catch (StoreFailure e) {
            // the connection is gone: fall through and drop it
        }
        w.close();
        writer = null;
    }

    @Override
    public Optional<ProfileView> profile(String id) {
        return read(q -> q.profile(id));
    }

    @Override
    public List<RelationshipView> relationships(String profile, Instant at, int ledgerEntries) {
        return read(q -> q.relationships(profile, at, ledgerEntries));
    }

    @Override
    public List<LedgerView> ledger(String profile, String brand, int limit) {
        return read(q -> q.ledger(profile, brand, limit));
    }

    @Override
    public List<TimelineItem> timeline(String profile, int limit) {
        return read(q -> q.timeline(profile, limit));
    }

    @Override
    public List<ProfileSummary> searchProfiles(String query, int limit) {
        return read(q -> q.search(query, limit));
    }

    @Override
    public List<BrandSummary> brands(Instant at) {
        return read(q -> q.brands(at));
    }

    @Override
    public Optional<BrandView> brand(String id, Instant at, int days) {
        return read(q -> q.brand(id, at, days, party -> true));
    }

    @Override
    public Optional<BrandView> brand(String id, Instant at, int days, java.util.Set<String> parties) {
        return read(q -> q.brand(id, at, days, parties::contains));
    }

    @Override
    public StoreStats stats() {
        writeRelationshipsNow(); // the count of relationships is the table's
        return read(q -> {
            Map<String, Long> unknown = new TreeMap<>();
            try (PreparedStatement ps = q.connection()
                            .prepareStatement(
                                    "SELECT name, count FROM unknown_events ORDER BY count DESC, name LIMIT 100");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) unknown.put(rs.getString(1), rs.getLong(2));
            }
            Connection c = q.connection();
            return new StoreStats(
                    last(c, "events"),
                    count(c, "profiles"),
                    count(c, "relationships"),
                    last(c, "ledger"),
                    count(c, "brands"),
                    unknown);
        });
    }

    @Override
    public List<fusion.core.consent.ConsentRecord> consents(String profile) {
        return read(q -> q.consents(profile));
    }

    @Override
    public void forEachConsentLedger(
            java.util.function.BiConsumer<String, List<fusion.core.consent.ConsentRecord>> consumer) {
        read(q -> {
            q.consentLedgers(consumer);
            return null;
        });
    }

    @Override
    public void forEachProfile(java.util.function.Consumer<ProfileSummary> consumer) {
        read(q -> {
            q.profiles(consumer);
            return null;
        });
    }

    @Override
    public void forEachEventOf(String profile, EventConsumer consumer) {
        read(q -> {
            q.eventsOf(profile, consumer);
            return null;
        });
    }

    /**
     * Erases in the writer's transaction. Ingest is turned away meanwhile ({@link #ingest}) rather
     * than left hanging; {@code out} hears the rebuild's progress as it goes.
     */
    @Override
    public Erasure erase(String profile, String actor, java.io.PrintStream out) {
        synchronized (erasures) {
            ErasureProgress progress = new ErasureProgress(out);
            erasing = progress;
            try {
                synchronized (this) {
                    return eraseHoldingWriter(profile, actor, progress);
                }
            } finally {
                erasing = null;
            }
        }
    }

    private Erasure eraseHoldingWriter(String profile, String actor, ErasureProgress progress) {
        Writer w = writer();
        try {
            // the erasure deletes and renumbers rows the waiting states would write back: they go first
            w.snapshot(true);
            w.synchronousUntilCommit();
            List<String> names = Eraser.namesOf(w.connection(), profile);
            Erasure e = Eraser.erase(w, pipeline, profile, actor, Instant.now(), progress);
            w.commit();
            scrubLog(progress);
            audit.redactErased(e.id(), names);
            for (Listener l : listeners) l.rebuilt();
            return e;
        } catch (SQLException | StoreFailure e) {
            abandon(w);
            throw e instanceof StoreFailure f ? f : new StoreFailure("erasing a profile in " + name, e);
        } catch (RuntimeException e) {
            abandon(w);
            throw e;
        }
    }

    /**
     * After an erasure: empties the write-ahead log into the database (SQLite), on a connection
     * of its own, while this thread still holds the writer, so no later write lands before it. A
     * reader in the middle of a query keeps the log busy for a moment, hence a few tries.
     */
    private void scrubLog(ErasureProgress progress) {
        try (Connection c = source.open()) {
            for (int attempt = 1; attempt <= 5; attempt++) {
                if (dialect.scrubLog(c)) return;
                Thread.sleep(100L * attempt);
            }
            progress.note("erase: the write-ahead log was busy; the next checkpoint empties it");
        } catch (SQLException e) {
            progress.note(
                    "erase: could not empty the write-ahead log (" + e.getMessage() + "); the next checkpoint does");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code work} in the writer's transaction, between batches, and commits it. */
    synchronized <T> T writeWith(String what, SqlAccess.Work<T> work) {
        Writer w = writer();
        try {
            T result = work.run(w.connection());
            w.commit();
            keepIndexes(w);
            if (checkpoints != null) checkpoints.afterCommit();
            return result;
        } catch (SQLException | StoreFailure e) {
            abandon(w);
            throw e instanceof StoreFailure f ? f : new StoreFailure(what + " in " + name, e);
        } catch (RuntimeException e) {
            abandon(w);
            throw e;
        }
    }

    <T> T readWith(String what, SqlAccess.Work<T> work) {
        return read(q -> work.run(q.connection()));
    }

    @Override
    public List<Erasure> erasures() {
        return read(q -> Eraser.list(q.connection()));
    }

    @Override
    public void forEachInteraction(java.util.function.Consumer<fusion.core.model.Interaction> consumer) {
        walkLog(
                "SELECT seq, profile, body FROM events WHERE scored = 1 AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                0,
                row -> pipeline.interaction(LogCodec.decode(row.body()), row.profile())
                        .ifPresent(consumer));
    }

    @Override
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public fusion.store.BrandAction declareAction(fusion.store.BrandAction action) {
        return actions.declare(action);
    }

    @Override
    public List<fusion.store.BrandAction> actions(String brand) {
        return actions.of(brand);
    }

    @Override
    public Optional<fusion.store.BrandAction> action(String brand, long id) {
        return actions.one(brand, id);
    }

    @Override
    public Access access() {
        return access;
    }

    @Override
    public fusion.store.DecisionRecords decisions() {
        return decisions;
    }

    @Override
    public fusion.store.AudienceRecords audiences() {
        return audiences;
    }

    @Override
    public fusion.store.PlanViolationRecords planViolations() {
        return planViolations;
    }

    @Override
    public void forEachEvent(long after, EventConsumer consumer) {
        walkLog(
                "SELECT seq, NULL, body FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                after,
                row -> consumer.accept(row.seq(), LogCodec.decode(row.body())));
    }

    /** Rows of the log a walk reads per statement ({@link #walkLog}). */
    static final int WALK_PAGE = 1_000;

    /** A row of the log as a walk read it: its profile only where the walk asked for it. */
    private record LogRow(long seq, String profile, String body) {}

    /**
     * Walks the log after {@code after} up to its end when the walk starts, in pages of
     * {@link #WALK_PAGE} rows, each read by a statement of its own on a read connection that goes
     * back to the pool before the page is handed on. So no walk holds a read snapshot for longer
     * than one page takes to read, whatever the consumer does: on SQLite, a snapshot held through
     * a whole walk (seconds, with a large log) kept every checkpoint from reaching the end of the
     * WAL, and a reader that walks again and again (the audiences after every merge) let it grow
     * without bound (docs/STORAGE.md, "Checkpoints"). Each page sees the store as of its own
     * read: an event is given once, with its profile as of its page (a merge committed during
     * the walk reaches its listeners as {@code merged}, who walk again). An erasure renumbers the
     * log, so a walk it lands in may give events twice or miss some; its listeners hear
     * {@code rebuilt} and walk again.
     *
     * @param sql selects {@code seq, profile, body} with {@code seq > ?}, {@code seq <= ?} and a
     *     {@code LIMIT ?}, in seq order
     */
    private void walkLog(String sql, long after, java.util.function.Consumer<LogRow> consumer) {
        long end = read(q -> last(q.connection(), "events"));
        long from = after;
        while (from < end) {
            long start = from;
            List<LogRow> page = read(q -> {
                List<LogRow> rows = new java.util.ArrayList<>(WALK_PAGE);
                try (PreparedStatement ps = q.connection().prepareStatement(sql)) {
                    ps.setLong(1, start);
                    ps.setLong(2, end);
                    ps.setInt(3, WALK_PAGE);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) rows.add(new LogRow(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
                return rows;
            });
            for (LogRow row : page) consumer.accept(row);
            if (page.size() < WALK_PAGE) return;
            from = page.get(page.size() - 1).seq();
        }
    }

    @Override
    public Pipeline pipeline() {
        return pipeline;
    }

    @Override
    public StateDigest digest() {
        writeRelationshipsNow();
        return read(q -> Digests.of(q.connection()));
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lifecycle) {
            closed = true;
            t = writerThread;
        }
        if (t != null) {
            try {
                t.join(); // it commits what is queued, then stops
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (writer != null) {
                try {
                    writer.snapshot(true);
                } catch (StoreFailure e) {
                    // a start replays the ledger's states after the table's mark instead
                    System.getLogger(SqlStore.class.getName())
                            .log(System.Logger.Level.WARNING, "closing without writing the relationship states", e);
                }
                writer.close();
            }
            writer = null;
            if (checkpoints != null) checkpoints.close();
            audit.close();
            source.close(); // closing a connection finalizes its kept statements
            kept.clear();
        }
        release(directoryLock);
    }

    /** Rows of the log or the ledger: their sequence has no gaps, so the last number is the count. */
    private static long last(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T apply(Queries q) throws SQLException;
    }

    /**
     * Each SQLite read connection's kept statements ({@link Queries}): the connections live as long
     * as the store, and closing one finalizes its statements. PostgreSQL's pool hands out a new
     * proxy at every borrow, so there a read's statements are closed when it ends (the driver
     * keeps its server-side plans per physical connection itself).
     */
    private final Map<Connection, Map<String, PreparedStatement>> kept = new ConcurrentHashMap<>();

    private <T> T read(Read<T> f) {
        Connection c;
        try {
            c = source.borrow();
        } catch (SQLException e) {
            throw new StoreFailure(name + " is unreachable", e);
        }
        boolean keep = dialect == Dialect.SQLITE;
        Map<String, PreparedStatement> statements =
                keep ? kept.computeIfAbsent(c, k -> new HashMap<>()) : new HashMap<>();
        try {
            return f.apply(new Queries(
                    c,
                    pipeline.engine(),
                    statements,
                    profileMemory,
                    pairMemory,
                    ledgerRows,
                    relationshipStates,
                    activityStates,
                    dialect));
        } catch (SQLException e) {
            // a statement whose step failed may be left finalized though not closed (xerial: "statement
            // is not executing" ever after), so a failed read lets go of the connection's kept ones
            if (keep) {
                closeAll(statements.values());
                statements.clear();
            }
            throw new StoreFailure("reading " + name, e);
        } finally {
            if (!keep) closeAll(statements.values());
            source.giveBack(c);
        }
    }

    private static void closeAll(java.util.Collection<PreparedStatement> statements) {
        for (PreparedStatement ps : statements) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection goes back to its pool, which discards one that fails
            }
        }
    }
}
