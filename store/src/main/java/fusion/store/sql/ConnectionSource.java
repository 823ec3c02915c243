package fusion.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Where a store's connections come from: {@link #open()} a dedicated one (the writer, migrations),
 * {@link #borrow()} and {@link #giveBack} a reader. SQLite keeps a few open read connections;
 * PostgreSQL reads through a HikariCP pool, which replaces broken connections by itself.
 */
abstract class ConnectionSource implements AutoCloseable {
    abstract Connection open() throws SQLException;

    abstract Connection borrow() throws SQLException;

    abstract void giveBack(Connection c);

    /** Whether the store may be written through these connections (not a read-only SQLite open). */
    boolean writable() {
        return true;
    }

    @Override
    public abstract void close();

    /** With {@code readOnly}, every connection (the writer's too) is {@code query_only}. */
    static ConnectionSource sqlite(Path file, boolean readOnly, int readers) {
        return new Sqlite(file, readOnly, readers);
    }

    /** {@code readers}: the most read connections the pool keeps. */
    static ConnectionSource postgres(StoreUrl url, int readers) {
        return new Postgres(url, readers);
    }

    /**
     * SQLite's read connections copy pages with read() instead of mapping the file. In WAL mode
     * SQLite unmaps a connection's whole mapping at every read transaction that finds the database
     * changed since the connection's last one, and under ingest that is every profile read: each
     * read paid an munmap (a TLB shootdown across the process's threads) and a page fault for
     * every page it touched again (bench/results/read-tail-2026-12-06c.txt). A brand's series,
     * which reads much of the ledger in one transaction, maps it for its read ({@link
     * BrandSeriesReads#MAPPED}).
     */
    static final String READER_MMAP = "PRAGMA mmap_size=0";

    /**
     * SQLite's connections are opened without SQLite's own per-connection mutex
     * ({@code SQLITE_OPEN_NOMUTEX}, "multi-thread" mode). The serialized mode locked and unlocked a
     * pthread mutex around every API call, each parameter bind included: 2.2% of the writer
     * thread's samples under the load driver (perf, 2026-12-08). It only matters when two threads
     * use one connection at once, which never happens here: the writer's connection is the writer
     * thread's, a read connection is borrowed by one thread at a time, and the driver's own calls
     * on a connection are synchronized in Java besides. A fresh set of properties for each open: the
     * driver is handed nothing shared that it could change.
     */
    private static Properties openFlags() {
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setOpenMode(org.sqlite.SQLiteOpenMode.NOMUTEX);
        return config.toProperties();
    }

    private static final class Sqlite extends ConnectionSource {

        private final int maxReaders;
        private final String url;
        private final BlockingQueue<Connection> readers;
        private final boolean readOnly;
        private int created;

        Sqlite(Path file, boolean readOnly, int maxReaders) {
            this.url = "jdbc:sqlite:" + file.toAbsolutePath();
            this.readOnly = readOnly;
            this.maxReaders = maxReaders;
            this.readers = new ArrayBlockingQueue<>(maxReaders);
        }

        @Override
        Connection open() throws SQLException {
            Connection c = DriverManager.getConnection(url, openFlags());
            Dialect.SQLITE.prepare(c);
            if (readOnly) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA query_only=1");
                }
            }
            return c;
        }

        @Override
        boolean writable() {
            return !readOnly;
        }

        @Override
        Connection borrow() throws SQLException {
            synchronized (this) {
                if (readers.isEmpty() && created < maxReaders) {
                    Connection c = open();
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA query_only=1");
                        s.execute(READER_MMAP);
                    }
                    created++;
                    return c;
                }
            }
            try {
                return readers.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted waiting for a read connection", e);
            }
        }

        @Override
        void giveBack(Connection c) {
            readers.add(c);
        }

        @Override
        public synchronized void close() {
            for (Connection c : readers) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing: nothing to do about a connection that will not close
                }
            }
            readers.clear();
        }
    }

    private static final class Postgres extends ConnectionSource {
        private final StoreUrl url;
        private final int readers;
        private HikariDataSource pool;

        Postgres(StoreUrl url, int readers) {
            this.url = url;
            this.readers = readers;
        }

        @Override
        Connection open() throws SQLException {
            Properties p = url.properties();
            p.setProperty("reWriteBatchedInserts", "true");
            p.setProperty("connectTimeout", "5");
            p.setProperty("socketTimeout", "60");
            Connection c = DriverManager.getConnection(url.jdbc(), p);
            Dialect.POSTGRESQL.prepare(c);
            return c;
        }

        @Override
        synchronized Connection borrow() throws SQLException {
            if (pool == null) {
                HikariConfig config = new HikariConfig();
                config.setPoolName("fusion-readers " + url.redacted());
                config.setJdbcUrl(url.jdbc());
                config.setDataSourceProperties(url.properties());
                config.setMaximumPoolSize(readers);
                config.setMinimumIdle(0);
                config.setConnectionTimeout(5_000);
                config.setReadOnly(true);
                config.setInitializationFailTimeout(-1);
                pool = new HikariDataSource(config);
            }
            return pool.getConnection();
        }

        @Override
        void giveBack(Connection c) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the pool discards a connection that fails to close
            }
        }

        @Override
        public synchronized void close() {
            if (pool != null) pool.close();
            pool = null;
        }
    }
}
