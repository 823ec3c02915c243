package fusion.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What differs between the SQL databases Fusion stores in. Everything else (the schema, the
 * statements, the upserts) is shared text.
 */
enum Dialect {
    SQLITE("INTEGER PRIMARY KEY", "INTEGER PRIMARY KEY", "BLOB", "MAX", "MIN", " WITHOUT ROWID") {
        @Override
        void prepare(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=10000");
                // the default 2 MB page cache makes every batch re-read index pages it just wrote
                s.execute("PRAGMA cache_size=-65536");
                // checkpoint every ~40 MB of WAL rather than 4 MB: the index pages a commit dirties
                // are mostly the same ones, so fewer checkpoints write (and fsync) them back fewer
                // times; every commit still fsyncs the WAL (synchronous=FULL)
                s.execute("PRAGMA wal_autocheckpoint=10000");
                s.execute("PRAGMA journal_size_limit=67108864");
                s.execute("PRAGMA temp_store=MEMORY");
                // deleted rows are overwritten with zeros, not left in free pages and cells: an
                // erased person's events, traits and decisions leave no bytes in fusion.db
                s.execute("PRAGMA secure_delete=ON");
                // the writer maps the database file instead of copying pages through read() calls;
                // read connections turn this off again (ConnectionSource.Sqlite: a change unmaps it)
                s.execute("PRAGMA mmap_size=268435456");
            }
        }

        @Override
        boolean scrubLog(Connection c) throws SQLException {
            try (Statement s = c.createStatement();
                    java.sql.ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                return rs.next() && rs.getInt(1) == 0; // columns: busy, log frames, checkpointed frames
            }
        }
    },
    POSTGRESQL("BIGINT PRIMARY KEY", "BIGSERIAL PRIMARY KEY", "BYTEA", "GREATEST", "LEAST", "") {
        @Override
        void prepare(Connection c) {
            // durability is the server's default (synchronous_commit=on); nothing to set per connection
        }
    };

    private final String key;
    private final String serial;
    private final String bytes;
    private final String greatest;
    private final String least;
    private final String clustered;

    Dialect(String key, String serial, String bytes, String greatest, String least, String clustered) {
        this.key = key;
        this.serial = serial;
        this.bytes = bytes;
        this.greatest = greatest;
        this.least = least;
        this.clustered = clustered;
    }

    /**
     * Whether the log's per-profile index and the ledger's pair index are sorted runs (SQLite,
     * whose WAL writes every page a commit dirtied whole) or plain indexes (PostgreSQL, whose WAL
     * logs an index insert as a small record): docs/STORAGE.md, "Sorted runs".
     */
    boolean sortedRuns() {
        return this == SQLITE;
    }

    /** Settings every new connection needs. */
    abstract void prepare(Connection c) throws SQLException;

    /**
     * After an erasure has committed: moves every page of the write-ahead log into the database
     * and empties the log, so older copies of the erased rows' pages do not outlive it there.
     * True when done; false when a reader kept the log busy (the next checkpoint finishes it).
     */
    boolean scrubLog(Connection c) throws SQLException {
        return true; // PostgreSQL: no such step can reach its WAL or dead tuples (docs/SECURITY.md)
    }

    /**
     * A schema script with the dialect's types filled in: {@code {{KEY}}} is a 64-bit key the
     * writer assigns, {@code {{SERIAL}}} one the database assigns, {@code {{BYTES}}} a byte string,
     * {@code {{CLUSTERED}}} after a table's definition stores its rows in its primary key's order
     * (SQLite's {@code WITHOUT ROWID}; PostgreSQL has no such table, its primary key is an index).
     */
    String script(String sql) {
        return sql.replace("{{KEY}}", key)
                .replace("{{SERIAL}}", serial)
                .replace("{{BYTES}}", bytes)
                .replace("{{CLUSTERED}}", clustered);
    }

    /** The larger of two values in one row (SQLite's scalar MAX, PostgreSQL's GREATEST). */
    String greatest(String a, String b) {
        return greatest + "(" + a + ", " + b + ")";
    }

    String least(String a, String b) {
        return least + "(" + a + ", " + b + ")";
    }
}
