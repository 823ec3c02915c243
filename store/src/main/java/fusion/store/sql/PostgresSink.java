package fusion.store.sql;

import fusion.store.StoreFailure;
import fusion.store.Tx;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The write side of a PostgreSQL store for a stream processor's sink: the same {@link Tx}
 * writes the single node's writer makes (so the serving tables hold exactly the rows a
 * single node would), on one connection, committed when the sink says so together with
 * whatever else it wrote on {@link #connection()} (its progress through the log). The sink
 * decides what to write; nothing here is read to make a decision.
 */
public final class PostgresSink implements AutoCloseable {
    private final ConnectionSource source;
    private final Writer writer;

    private PostgresSink(ConnectionSource source, Writer writer) {
        this.source = source;
        this.writer = writer;
    }

    /** Migrates the database at {@code url} to the current schema and opens a writer on it. */
    public static PostgresSink open(StoreUrl url) {
        SqlStore.migrate(url);
        ConnectionSource source = ConnectionSource.postgres(url, 1);
        try {
            return new PostgresSink(
                    source,
                    new Writer(
                            source.open(),
                            Dialect.POSTGRESQL,
                            StoreSettings.defaults().cachedParties(),
                            StoreSettings.defaults().cachedIdentities()));
        } catch (SQLException e) {
            source.close();
            throw new StoreFailure("cannot open a sink on " + url.redacted(), e);
        }
    }

    /** The writes, inside the open transaction. */
    public Tx tx() {
        return writer;
    }

    /** The open transaction's connection, with every write so far sent. */
    public Connection connection() {
        try {
            return writer.connection();
        } catch (SQLException e) {
            throw new StoreFailure("sending the sink's writes", e);
        }
    }

    /**
     * Numbers the next appended event {@code seq}: the job's number for it. The tables' own
     * count may be behind after an erasure removed the newest events.
     */
    public void continueAt(long seq) {
        writer.continueAt(seq);
    }

    /**
     * A person's erasure inside the open transaction: their own rows leave the serving tables, their
     * messageIds and {@code names} stay only as digests, and their decisions, deliveries, audience
     * rows and audit subjects go as on the single node. Returns the erasure's record.
     */
    public fusion.store.Erasure erase(
            String profile, java.util.Collection<String> names, String actor, java.time.Instant at) {
        try {
            return Eraser.eraseOwnRows(writer, profile, names, actor, at);
        } catch (SQLException e) {
            throw new StoreFailure("erasing profile " + profile + " in the serving tables", e);
        }
    }

    public void commit() {
        try {
            writer.commit();
        } catch (SQLException e) {
            writer.rollback();
            throw new StoreFailure("committing the sink's transaction", e);
        }
    }

    public void rollback() {
        writer.rollback();
    }

    @Override
    public void close() {
        writer.close();
        source.close();
    }
}
