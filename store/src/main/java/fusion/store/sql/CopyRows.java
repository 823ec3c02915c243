package fusion.store.sql;

import fusion.store.StoreFailure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Rows of one append-only table, encoded in PostgreSQL's binary COPY format and sent as one
 * {@code COPY table (columns) FROM STDIN (FORMAT binary)} on the writer's connection, inside its
 * transaction (so a savepoint, a rollback and the group commit cover them as they cover an
 * INSERT). The writer's batched plain INSERTs ({@link #target}) bind their parameters here instead
 * of to a prepared statement: pgjdbc's batched INSERT encodes every parameter as text or binary
 * with its type, rewrites the batch into multi-row INSERTs and has the server parse and plan
 * them; COPY sends the rows' bytes and the server stores them.
 *
 * <p>Binary COPY takes each field in exactly its column's type, so the columns' types are read
 * from the catalog when the table is first copied to, and each value is converted to its column's
 * type here: a Java {@code long} or {@code int} into {@code bigint}, {@code integer} or
 * {@code smallint} (refused when out of range), a {@code double} into {@code double precision}
 * bit for bit, a string into {@code text} or {@code varchar} as UTF-8, bytes into {@code bytea}.
 * Any other pairing, a column not set, or a failed COPY is a failure naming the table and column.
 */
final class CopyRows implements Params, Writer.Pending {
    /** A plain INSERT of placeholders only: {@code INSERT INTO t (a, b) VALUES (?, ?)}, nothing after it. */
    private static final Pattern PLAIN_INSERT = Pattern.compile(
            "\\s*INSERT\\s+INTO\\s+(\\w+)\\s*\\(\\s*(\\w+(?:\\s*,\\s*\\w+)*)\\s*\\)\\s*"
                    + "VALUES\\s*\\(\\s*\\?(?:\\s*,\\s*\\?)*\\s*\\)\\s*",
            Pattern.CASE_INSENSITIVE);

    private static final byte[] HEADER = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
    };

    /** Rows buffered past this many bytes are sent at once rather than at the next flush. */
    static final int SEND_AT_BYTES = 4 << 20;

    // PostgreSQL type oids (pg_type.dat)
    private static final int BOOL = 16, BYTEA = 17, INT8 = 20, INT2 = 21, INT4 = 23, TEXT = 25, FLOAT8 = 701;
    private static final int BPCHAR = 1042, VARCHAR = 1043;
    private static final Map<Integer, String> TYPE_NAMES = Map.of(
            BOOL,
            "boolean",
            BYTEA,
            "bytea",
            INT8,
            "bigint",
            INT2,
            "smallint",
            INT4,
            "integer",
            TEXT,
            "text",
            FLOAT8,
            "double precision",
            BPCHAR,
            "character",
            VARCHAR,
            "character varying");

    // what a row's slot holds
    private static final byte UNSET = 0, LONG = 1, DOUBLE = 2, STRING = 3, BYTES = 4, NULL = 5;

    /** The table and columns of an INSERT that may go by COPY. */
    record Target(String table, List<String> columns) {}

    private final CopyManager copier;
    private final String table;
    private final List<String> columns;
    private final int[] types;
    private final String copy;

    private final byte[] kinds;
    private final long[] longs;
    private final double[] doubles;
    private final Object[] refs;

    private byte[] buf = new byte[64 << 10];
    private int len;
    private int rows;

    private CopyRows(CopyManager copier, String table, List<String> columns, int[] types) {
        this.copier = copier;
        this.table = table;
        this.columns = columns;
        this.types = types;
        this.copy = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT binary)";
        this.kinds = new byte[columns.size()];
        this.longs = new long[columns.size()];
        this.doubles = new double[columns.size()];
        this.refs = new Object[columns.size()];
        reset();
    }

    /** The table and columns of {@code sql} if it is a plain INSERT of placeholders (nothing else may go by COPY). */
    static Optional<Target> target(String sql) {
        Matcher m = PLAIN_INSERT.matcher(sql);
        if (!m.matches()) return Optional.empty();
        List<String> columns = new ArrayList<>();
        for (String c : m.group(2).split(",")) columns.add(c.trim().toLowerCase(java.util.Locale.ROOT));
        long placeholders = sql.chars().filter(ch -> ch == '?').count();
        if (placeholders != columns.size()) return Optional.empty();
        return Optional.of(new Target(m.group(1).toLowerCase(java.util.Locale.ROOT), List.copyOf(columns)));
    }

    /** Rows for {@code target} on the PostgreSQL connection {@code c}; its columns' types are read from the catalog. */
    static CopyRows open(Connection c, Target target) throws SQLException {
        Map<String, Integer> typeOf = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname, atttypid FROM pg_attribute "
                + "WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped")) {
            ps.setString(1, target.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) typeOf.put(rs.getString(1), (int) rs.getLong(2));
            }
        }
        if (typeOf.isEmpty()) throw new SQLException("cannot copy rows into " + target.table() + ": no such table");
        int[] types = new int[target.columns().size()];
        for (int i = 0; i < types.length; i++) {
            String column = target.columns().get(i);
            Integer type = typeOf.get(column);
            if (type == null)
                throw new SQLException("cannot copy rows into " + target.table() + ": no column " + column);
            types[i] = type;
        }
        return new CopyRows(c.unwrap(PGConnection.class).getCopyAPI(), target.table(), target.columns(), types);
    }

    String table() {
        return table;
    }

    /** Rows added and not yet sent. */
    int rows() {
        return rows;
    }

    /** Bytes of the rows added and not yet sent. */
    int bytes() {
        return len - HEADER.length;
    }

    // ---- one row's values

    private int slot(int index) throws SQLException {
        if (index < 1 || index > kinds.length) {
            throw new SQLException(
                    "copying rows into " + table + ": parameter " + index + " of " + kinds.length + " columns");
        }
        return index - 1;
    }

    @Override
    public void setString(int index, String value) throws SQLException {
        int i = slot(index);
        kinds[i] = value == null ? NULL : STRING;
        refs[i] = value;
    }

    @Override
    public void setLong(int index, long value) throws SQLException {
        int i = slot(index);
        kinds[i] = LONG;
        longs[i] = value;
    }

    @Override
    public void setInt(int index, int value) throws SQLException {
        setLong(index, value);
    }

    @Override
    public void setDouble(int index, double value) throws SQLException {
        int i = slot(index);
        kinds[i] = DOUBLE;
        doubles[i] = value;
    }

    @Override
    public void setBytes(int index, byte[] value) throws SQLException {
        int i = slot(index);
        kinds[i] = value == null ? NULL : BYTES;
        refs[i] = value;
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        int i = slot(index);
        kinds[i] = NULL;
        refs[i] = null;
    }

    /**
     * Ends the row whose values were set, encoding it after the rows before it. Every column must
     * have been set; the row's values are forgotten either way.
     */
    void endRow() throws SQLException {
        int start = len;
        try {
            ensure(2);
            putShort(kinds.length);
            for (int i = 0; i < kinds.length; i++) field(i);
            rows++;
        } catch (SQLException | RuntimeException e) {
            len = start; // the rows before it stay as they were
            throw e;
        } finally {
            Arrays.fill(kinds, UNSET);
            Arrays.fill(refs, null);
        }
    }

    private void field(int i) throws SQLException {
        int type = types[i];
        switch (kinds[i]) {
            case NULL -> {
                ensure(4);
                putInt(-1);
            }
            case LONG -> {
                long v = longs[i];
                switch (type) {
                    case INT8 -> {
                        ensure(12);
                        putInt(8);
                        putLong(v);
                    }
                    case INT4 -> {
                        if (v != (int) v) throw mismatch(i, v + " is out of range for");
                        ensure(8);
                        putInt(4);
                        putInt((int) v);
                    }
                    case INT2 -> {
                        if (v != (short) v) throw mismatch(i, v + " is out of range for");
                        ensure(6);
                        putInt(2);
                        putShort((int) v);
                    }
                    default -> throw mismatch(i, "an integer does not go into");
                }
            }
            case DOUBLE -> {
                if (type != FLOAT8) throw mismatch(i, "a double does not go into");
                ensure(12);
                putInt(8);
                putLong(Double.doubleToRawLongBits(doubles[i]));
            }
            case STRING -> {
                if (type != TEXT && type != VARCHAR && type != BPCHAR) throw mismatch(i, "a string does not go into");
                byte[] b = ((String) refs[i]).getBytes(StandardCharsets.UTF_8);
                ensure(4 + b.length);
                putInt(b.length);
                System.arraycopy(b, 0, buf, len, b.length);
                len += b.length;
            }
            case BYTES -> {
                if (type != BYTEA) throw mismatch(i, "bytes do not go into");
                byte[] b = (byte[]) refs[i];
                ensure(4 + b.length);
                putInt(b.length);
                System.arraycopy(b, 0, buf, len, b.length);
                len += b.length;
            }
            default ->
                throw new SQLException(
                        "copying rows into " + table + ": no value was set for column " + columns.get(i));
        }
    }

    private SQLException mismatch(int i, String what) {
        return new SQLException("copying rows into " + table + ": " + what + " column " + columns.get(i) + " ("
                + TYPE_NAMES.getOrDefault(types[i], "type oid " + types[i]) + ")");
    }

    // ---- sending

    /**
     * Sends the rows added so far as one COPY in the connection's open transaction and forgets
     * them, sent or not. A failure (a constraint, a lost connection) names the table; the
     * transaction is then aborted and the caller rolls back, as after a failed INSERT.
     */
    @Override
    public void send() {
        if (rows == 0) return;
        int n = rows;
        try {
            ensure(2);
            putShort(-1); // the trailer
            CopyIn in = copier.copyIn(copy);
            try {
                in.writeToCopy(buf, 0, len);
                in.endCopy();
            } finally {
                if (in.isActive()) in.cancelCopy();
            }
        } catch (SQLException e) {
            throw new StoreFailure("copying " + n + " rows into " + table, e);
        } finally {
            reset();
        }
    }

    @Override
    public void drop() {
        reset();
    }

    private void reset() {
        if (buf.length > 2 * SEND_AT_BYTES) buf = new byte[64 << 10]; // a large batch's buffer is not kept
        System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
        len = HEADER.length;
        rows = 0;
        Arrays.fill(kinds, UNSET);
        Arrays.fill(refs, null);
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }

    private void putShort(int v) {
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putInt(int v) {
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }
}
