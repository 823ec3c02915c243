package fusion.store.sql;

import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import fusion.store.BrandSummary;
import fusion.store.BrandView;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The embedded store: one SQLite file ({@code fusion.db}) in the data directory, in WAL mode with
 * {@code synchronous=FULL}, so a batch is on disk when {@link #ingest} returns. One writer
 * connection applies batches one at a time; a small pool of read connections serves queries
 * concurrently with writes.
 */
public final class SqliteStore implements Store {
    private static final int READERS = 4;

    private final Path file;
    private final Pipeline pipeline;
    private final Writer writer;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);

    private SqliteStore(Path file, Pipeline pipeline) throws SQLException {
        this.file = file;
        this.pipeline = pipeline;
        Connection w = open(file);
        try {
            Migrations.apply(w);
        } catch (RuntimeException | SQLException e) {
            w.close();
            throw e;
        }
        this.writer = new Writer(w);
        for (int i = 0; i < READERS; i++) {
            Connection r = open(file);
            try (Statement s = r.createStatement()) {
                s.execute("PRAGMA query_only=1");
            }
            readers.add(r);
        }
    }

    /** Opens (creating if needed) the store in {@code dataDir}. */
    public static SqliteStore open(Path dataDir, Pipeline pipeline) {
        try {
            Files.createDirectories(dataDir);
            return new SqliteStore(dataDir.resolve("fusion.db"), pipeline);
        } catch (IOException | SQLException e) {
            throw new StoreFailure("cannot open the store in " + dataDir.toAbsolutePath(), e);
        }
    }

    public Path file() {
        return file;
    }

    private static Connection open(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA foreign_keys=OFF");
        }
        return c;
    }

    @Override
    public synchronized IngestResult ingest(List<SegmentCall> calls) {
        try {
            IngestResult r = pipeline.apply(writer, calls);
            writer.commit();
            return r;
        } catch (InvalidInput | StoreFailure e) {
            writer.rollback();
            throw e;
        } catch (SQLException e) {
            writer.rollback();
            throw new StoreFailure("committing a batch of " + calls.size(), e);
        } catch (RuntimeException e) {
            writer.rollback();
            throw e;
        }
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
        return read(q -> q.brand(id, at, days));
    }

    @Override
    public StoreStats stats() {
        return read(q -> {
            Map<String, Long> unknown = new TreeMap<>();
            try (PreparedStatement ps = q.connection().prepareStatement(
                    "SELECT name, count FROM unknown_events ORDER BY count DESC, name LIMIT 100");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) unknown.put(rs.getString(1), rs.getLong(2));
            }
            Connection c = q.connection();
            return new StoreStats(count(c, "events"), count(c, "profiles"), count(c, "relationships"),
                    count(c, "ledger"), count(c, "brands"), unknown);
        });
    }

    @Override
    public void forEachEvent(EventConsumer consumer) {
        read(q -> {
            try (PreparedStatement ps = q.connection().prepareStatement("SELECT seq, body FROM events ORDER BY seq")) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) consumer.accept(rs.getLong(1), LogCodec.decode(rs.getString(2)));
                }
            }
            return null;
        });
    }

    @Override
    public StateDigest digest() {
        return read(q -> Digests.of(q.connection()));
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
            for (Connection c : readers) c.close();
        } catch (SQLException e) {
            throw new StoreFailure("closing " + file, e);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T apply(Queries q) throws SQLException;
    }

    private <T> T read(Read<T> f) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreFailure("interrupted waiting for a read connection", e);
        }
        Queries q = new Queries(c, pipeline.engine());
        try {
            return f.apply(q);
        } catch (SQLException e) {
            throw new StoreFailure("reading " + file, e);
        } finally {
            readers.add(c);
        }
    }
}
