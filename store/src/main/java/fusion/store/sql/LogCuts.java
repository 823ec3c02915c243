package fusion.store.sql;

import fusion.store.StoreFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The {@code log_cuts} table (migration V9): the Kafka log cuts that erasures in cluster mode still
 * owe, shared by every ingest server on the store so that any of them can finish a cut another one
 * asked for. A row holds no personal data, only positions in the log and times; see
 * docs/SCALE-OUT.md, "Erasure in a cluster". A server claims a row with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} for the time it works on it ({@link #claim}), so two
 * servers never work on one erasure at once, and a server that dies mid-way releases it with its
 * connection.
 *
 * <p>Two connections of its own, opened on first use and again after a failure: one for the
 * claims (held while a claimed row is worked on, which may read the whole topic) and one for
 * everything else, so that {@code /health} never waits for a claim.
 */
public final class LogCuts implements AutoCloseable {
    private static final String COLUMNS = "erasure, topic, partition, command_offset, requested, actor, last_offsets, "
            + "cut, next_try, error, done";

    private final StoreUrl url;
    private final Object readLock = new Object();
    private final Object claimLock = new Object();
    private Connection reads;
    private Connection claims;

    public LogCuts(StoreUrl url) {
        this.url = Objects.requireNonNull(url, "url");
    }

    /**
     * One erasure's cut.
     *
     * @param erasure       the erasure command's id ({@code erase-<uuid>})
     * @param topic         the Kafka topic of the log
     * @param partition     the partition the command is in
     * @param commandOffset the command's offset there
     * @param requested     when it was asked
     * @param actor         who asked (an operator's name, not the person's)
     * @param lastOffsets   per partition, the offset of the person's last record, once found after
     *                      the job applied the command; {@code null} until then
     * @param cut           per partition cut so far, the new log start offset
     * @param nextTry       not looked at again before this (after a failure)
     * @param error         the last failure, if any
     * @param done          when every partition was cut; {@code null} while pending
     */
    public record Row(
            String erasure,
            String topic,
            int partition,
            long commandOffset,
            Instant requested,
            String actor,
            Map<Integer, Long> lastOffsets,
            Map<Integer, Long> cut,
            Instant nextTry,
            String error,
            Instant done) {
        public Row {
            Objects.requireNonNull(erasure, "erasure");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(requested, "requested");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(nextTry, "nextTry");
            lastOffsets = lastOffsets == null ? null : Map.copyOf(new TreeMap<>(lastOffsets));
            cut = Map.copyOf(cut);
        }

        /** A new erasure whose command is at {@code partition}/{@code commandOffset}. */
        public static Row asked(
                String erasure, String topic, int partition, long commandOffset, Instant requested, String actor) {
            return new Row(
                    erasure, topic, partition, commandOffset, requested, actor, null, Map.of(), requested, null, null);
        }

        public Row withLastOffsets(Map<Integer, Long> last) {
            return new Row(erasure, topic, partition, commandOffset, requested, actor, last, cut, nextTry, null, done);
        }

        public Row withCut(Map<Integer, Long> more, Instant doneAt) {
            Map<Integer, Long> all = new TreeMap<>(cut);
            more.forEach((p, o) -> all.merge(p, o, Math::max));
            return new Row(
                    erasure,
                    topic,
                    partition,
                    commandOffset,
                    requested,
                    actor,
                    lastOffsets,
                    all,
                    nextTry,
                    null,
                    doneAt);
        }

        public Row failed(String message, Instant retryAt) {
            return new Row(
                    erasure,
                    topic,
                    partition,
                    commandOffset,
                    requested,
                    actor,
                    lastOffsets,
                    cut,
                    retryAt,
                    message,
                    done);
        }

        /** Given up on: done, with the reason kept as its error. */
        public Row abandoned(String message, Instant at) {
            return new Row(
                    erasure, topic, partition, commandOffset, requested, actor, lastOffsets, cut, nextTry, message, at);
        }
    }

    /** Records a new erasure's cut. */
    public void add(Row row) {
        synchronized (readLock) {
            try (PreparedStatement s = reads().prepareStatement(
                            "INSERT INTO log_cuts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(s, row);
                s.executeUpdate();
            } catch (SQLException e) {
                closeReads();
                throw new StoreFailure("cannot record the log cut of " + row.erasure() + " in " + url.redacted(), e);
            }
        }
    }

    /** How many cuts of {@code topic} are not done. */
    public int pending(String topic) {
        return (int) pendingSummary(topic)[0];
    }

    /** When the oldest cut of {@code topic} not done was asked; empty when none is pending. */
    public java.util.Optional<Instant> oldestPending(String topic) {
        long[] s = pendingSummary(topic);
        return s[0] == 0 ? java.util.Optional.empty() : java.util.Optional.of(Instant.ofEpochMilli(s[1]));
    }

    private long[] pendingSummary(String topic) {
        synchronized (readLock) {
            try (PreparedStatement s = reads().prepareStatement(
                            "SELECT COUNT(*), MIN(requested) FROM log_cuts WHERE topic = ? AND done IS NULL")) {
                s.setString(1, topic);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2)};
                }
            } catch (SQLException e) {
                closeReads();
                throw new StoreFailure("cannot count the pending log cuts in " + url.redacted(), e);
            }
        }
    }

    /** The cuts of {@code topic} not done, oldest first. */
    public List<Row> pendingRows(String topic) {
        return select(
                "SELECT " + COLUMNS + " FROM log_cuts WHERE topic = ? AND done IS NULL ORDER BY requested, erasure",
                topic);
    }

    /**
     * The {@code limit} cuts of {@code topic} done last, then those pending, each group oldest
     * first. One statement, so one snapshot: a cut that finishes while the list is read is listed
     * once, done or pending (two statements could miss it, or list it twice).
     */
    public List<Row> list(String topic, int limit) {
        return select(
                "SELECT " + COLUMNS
                        + " FROM (SELECT * FROM (SELECT * FROM log_cuts WHERE topic = ? AND done IS NOT NULL "
                        + "ORDER BY done DESC, erasure LIMIT " + limit + ") d "
                        + "UNION ALL SELECT * FROM log_cuts WHERE topic = ? AND done IS NULL) l "
                        + "ORDER BY done IS NULL, done, requested, erasure",
                topic,
                topic);
    }

    private List<Row> select(String sql, String... topics) {
        synchronized (readLock) {
            try (PreparedStatement s = reads().prepareStatement(sql)) {
                for (int i = 0; i < topics.length; i++) s.setString(i + 1, topics[i]);
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) out.add(row(rs));
                }
                return out;
            } catch (SQLException e) {
                closeReads();
                throw new StoreFailure("cannot read the log cuts from " + url.redacted(), e);
            }
        }
    }

    /**
     * Claims the pending row {@code erasure} unless another server holds it, gives it to
     * {@code work} and writes back what that returns, in one transaction. Returns the row written,
     * or {@code null} when the row is done or claimed elsewhere (nothing was called). If
     * {@code work} throws, nothing is written and the claim ends.
     */
    public Row claim(String erasure, UnaryOperator<Row> work) {
        synchronized (claimLock) {
            try {
                Connection c = claims();
                c.setAutoCommit(false);
                try {
                    Row row;
                    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                            + " FROM log_cuts WHERE erasure = ? AND done IS NULL FOR UPDATE SKIP LOCKED")) {
                        s.setString(1, erasure);
                        try (ResultSet rs = s.executeQuery()) {
                            row = rs.next() ? row(rs) : null;
                        }
                    }
                    if (row == null) {
                        c.rollback();
                        return null;
                    }
                    Row after = work.apply(row);
                    if (!after.erasure().equals(erasure)) throw new IllegalArgumentException("erasure changed");
                    try (PreparedStatement s = c.prepareStatement("UPDATE log_cuts SET last_offsets = ?, cut = ?, "
                            + "next_try = ?, error = ?, done = ? WHERE erasure = ?")) {
                        s.setString(1, after.lastOffsets() == null ? null : encode(after.lastOffsets()));
                        s.setString(2, encode(after.cut()));
                        s.setLong(3, after.nextTry().toEpochMilli());
                        s.setString(4, after.error());
                        if (after.done() == null) s.setNull(5, Types.BIGINT);
                        else s.setLong(5, after.done().toEpochMilli());
                        s.setString(6, erasure);
                        s.executeUpdate();
                    }
                    c.commit();
                    return after;
                } catch (SQLException | RuntimeException e) {
                    try {
                        c.rollback();
                    } catch (SQLException ignored) {
                        // the connection is closed below when it failed
                    }
                    throw e;
                }
            } catch (SQLException e) {
                closeClaims();
                throw new StoreFailure("cannot claim the log cut of " + erasure + " in " + url.redacted(), e);
            }
        }
    }

    private static void bind(PreparedStatement s, Row r) throws SQLException {
        s.setString(1, r.erasure());
        s.setString(2, r.topic());
        s.setInt(3, r.partition());
        s.setLong(4, r.commandOffset());
        s.setLong(5, r.requested().toEpochMilli());
        s.setString(6, r.actor());
        s.setString(7, r.lastOffsets() == null ? null : encode(r.lastOffsets()));
        s.setString(8, encode(r.cut()));
        s.setLong(9, r.nextTry().toEpochMilli());
        s.setString(10, r.error());
        if (r.done() == null) s.setNull(11, Types.BIGINT);
        else s.setLong(11, r.done().toEpochMilli());
    }

    private static Row row(ResultSet rs) throws SQLException {
        long done = rs.getLong(11);
        boolean notDone = rs.wasNull();
        String last = rs.getString(7);
        return new Row(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getLong(4),
                Instant.ofEpochMilli(rs.getLong(5)),
                rs.getString(6),
                last == null ? null : decode(last),
                decode(rs.getString(8)),
                Instant.ofEpochMilli(rs.getLong(9)),
                rs.getString(10),
                notDone ? null : Instant.ofEpochMilli(done));
    }

    /** {@code {0=12, 2=40}} as {@code "0=12,2=40"}. */
    static String encode(Map<Integer, Long> positions) {
        StringJoiner j = new StringJoiner(",");
        new TreeMap<>(positions).forEach((p, o) -> j.add(p + "=" + o));
        return j.toString();
    }

    static Map<Integer, Long> decode(String text) {
        Map<Integer, Long> out = new TreeMap<>();
        if (text.isEmpty()) return out;
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            out.put(Integer.parseInt(pair.substring(0, eq)), Long.parseLong(pair.substring(eq + 1)));
        }
        return out;
    }

    private Connection reads() throws SQLException {
        if (reads == null || reads.isClosed()) reads = DriverManager.getConnection(url.jdbc(), url.properties());
        return reads;
    }

    private Connection claims() throws SQLException {
        if (claims == null || claims.isClosed()) claims = DriverManager.getConnection(url.jdbc(), url.properties());
        return claims;
    }

    private void closeReads() {
        reads = quietlyClosed(reads);
    }

    private void closeClaims() {
        claims = quietlyClosed(claims);
    }

    private static Connection quietlyClosed(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
        }
        return null;
    }

    @Override
    public void close() {
        synchronized (readLock) {
            closeReads();
        }
        synchronized (claimLock) {
            closeClaims();
        }
    }
}
