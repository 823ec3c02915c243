package fusion.store.sql;

import fusion.store.StoreFailure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
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
 * A flush of fewer than {@link #COPY_AT_ROWS} rows sends them as the INSERT's batch instead (the
 * same values, bound to a prepared statement): COPY pays from a few dozen rows on.
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

    /**
     * Fewer rows than this at a flush go as the batched INSERT instead: a COPY costs two round
     * trips (its start, then its end) where a batch costs one, which outweighs its cheaper rows
     * when a flush holds only a few: COPY cost more at 16 events a flush and less at 64
     * (AppendCopyBench; bench/results/pg-copy-2026-12-06.txt).
     */
    static final int COPY_AT_ROWS = 32;

    private final CopyManager copier;
    private final Connection connection;
    private final String insert;
    private final String table;
    private final List<String> columns;
    private final int[] types;
    private final String copy;
    private final int copyAtRows;
    private final int width;

    // the rows added and not yet sent, row-major: row r's column i at r * width + i
    private byte[] kinds;
    private long[] longs;
    private double[] doubles;
    private Object[] refs;
    private int rows;
    /** About how many bytes the rows take in the COPY format (strings counted a byte a char). */
    private long bytes;

    private PreparedStatement batch;
    private byte[] buf = new byte[64 << 10];
    private int len;

    private CopyRows(Connection c, String insert, Target target, int[] types, int copyAtRows) throws SQLException {
        this.copier = c.unwrap(PGConnection.class).getCopyAPI();
        this.connection = c;
        this.insert = insert;
        this.table = target.table();
        this.columns = target.columns();
        this.types = types;
        this.copyAtRows = copyAtRows;
        this.copy = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT binary)";
        this.width = columns.size();
        int cells = 64 * width;
        this.kinds = new byte[cells];
        this.longs = new long[cells];
        this.doubles = new double[cells];
        this.refs = new Object[cells];
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

    /**
     * Rows for the plain INSERT {@code sql} on the PostgreSQL connection {@code c}, its columns'
     * types read from the catalog: a flush of {@code copyAtRows} rows or more sends them by COPY,
     * fewer as the INSERT's batch.
     */
    static CopyRows open(Connection c, String sql, int copyAtRows) throws SQLException {
        Target target = target(sql).orElseThrow(() -> new IllegalArgumentException("not a plain INSERT: " + sql));
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
        return new CopyRows(c, sql, target, types, copyAtRows);
    }

    String table() {
        return table;
    }

    /** Rows added and not yet sent. */
    int rows() {
        return rows;
    }

    /** About how many bytes the rows added and not yet sent take (strings counted a byte a char). */
    long bytes() {
        return bytes;
    }

    // ---- one row's values

    private int slot(int index) throws SQLException {
        if (index < 1 || index > width) {
            throw new SQLException("copying rows into " + table + ": parameter " + index + " of " + width + " columns");
        }
        return rows * width + index - 1;
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
     * Ends the row whose values were set, after the rows before it. Every column must have been
     * set, with a value its column's type takes, or the row is refused naming the column; the
     * rows before it stay either way.
     */
    void endRow() throws SQLException {
        int base = rows * width;
        long size = 2;
        try {
            for (int c = 0; c < width; c++) size += check(base + c, c);
        } catch (SQLException e) {
            Arrays.fill(kinds, base, base + width, UNSET);
            Arrays.fill(refs, base, base + width, null);
            throw e;
        }
        rows++;
        bytes += size;
        int need = (rows + 1) * width;
        if (need > kinds.length) {
            int cells = Math.max(need, kinds.length * 2);
            kinds = Arrays.copyOf(kinds, cells);
            longs = Arrays.copyOf(longs, cells);
            doubles = Arrays.copyOf(doubles, cells);
            refs = Arrays.copyOf(refs, cells);
        }
    }

    /** The field's size in the COPY format, if its value goes into its column; else the refusal. */
    private long check(int i, int c) throws SQLException {
        int type = types[c];
        switch (kinds[i]) {
            case NULL -> {
                return 4;
            }
            case LONG -> {
                long v = longs[i];
                switch (type) {
                    case INT8 -> {
                        return 12;
                    }
                    case INT4 -> {
                        if (v != (int) v) throw mismatch(c, v + " is out of range for");
                        return 8;
                    }
                    case INT2 -> {
                        if (v != (short) v) throw mismatch(c, v + " is out of range for");
                        return 6;
                    }
                    default -> throw mismatch(c, "an integer does not go into");
                }
            }
            case DOUBLE -> {
                if (type != FLOAT8) throw mismatch(c, "a double does not go into");
                return 12;
            }
            case STRING -> {
                if (type != TEXT && type != VARCHAR && type != BPCHAR) throw mismatch(c, "a string does not go into");
                return 4 + ((String) refs[i]).length();
            }
            case BYTES -> {
                if (type != BYTEA) throw mismatch(c, "bytes do not go into");
                return 4 + ((byte[]) refs[i]).length;
            }
            default ->
                throw new SQLException(
                        "copying rows into " + table + ": no value was set for column " + columns.get(c));
        }
    }

    private SQLException mismatch(int c, String what) {
        return new SQLException("copying rows into " + table + ": " + what + " column " + columns.get(c) + " ("
                + TYPE_NAMES.getOrDefault(types[c], "type oid " + types[c]) + ")");
    }

    // ---- sending

    /**
     * Sends the rows added so far in the connection's open transaction, as one COPY or (fewer
     * than the threshold) as the INSERT's batch, and forgets them, sent or not. A failure (a
     * constraint, a lost connection) names the table; the transaction is then aborted and the
     * caller rolls back, as after a failed INSERT.
     */
    @Override
    public void send() {
        if (rows == 0) return;
        int n = rows;
        try {
            if (n >= copyAtRows) sendCopy();
            else sendBatch();
        } catch (SQLException e) {
            throw new StoreFailure("writing " + n + " rows into " + table, e);
        } finally {
            reset();
        }
    }

    private void sendCopy() throws SQLException {
        len = 0;
        ensure(HEADER.length);
        System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
        len = HEADER.length;
        for (int r = 0; r < rows; r++) {
            ensure(2);
            putShort(width);
            for (int c = 0; c < width; c++) field(r * width + c, types[c]);
        }
        ensure(2);
        putShort(-1); // the trailer
        CopyIn in = copier.copyIn(copy);
        try {
            in.writeToCopy(buf, 0, len);
            in.endCopy();
        } finally {
            if (in.isActive()) in.cancelCopy();
        }
    }

    private void field(int i, int type) {
        switch (kinds[i]) {
            case LONG -> {
                long v = longs[i];
                switch (type) {
                    case INT8 -> {
                        ensure(12);
                        putInt(8);
                        putLong(v);
                    }
                    case INT4 -> {
                        ensure(8);
                        putInt(4);
                        putInt((int) v);
                    }
                    default -> { // INT2, as endRow checked
                        ensure(6);
                        putInt(2);
                        putShort((int) v);
                    }
                }
            }
            case DOUBLE -> {
                ensure(12);
                putInt(8);
                putLong(Double.doubleToRawLongBits(doubles[i]));
            }
            case STRING -> {
                byte[] b = ((String) refs[i]).getBytes(StandardCharsets.UTF_8);
                ensure(4 + b.length);
                putInt(b.length);
                System.arraycopy(b, 0, buf, len, b.length);
                len += b.length;
            }
            case BYTES -> {
                byte[] b = (byte[]) refs[i];
                ensure(4 + b.length);
                putInt(b.length);
                System.arraycopy(b, 0, buf, len, b.length);
                len += b.length;
            }
            default -> { // NULL
                ensure(4);
                putInt(-1);
            }
        }
    }

    private void sendBatch() throws SQLException {
        if (batch == null) batch = connection.prepareStatement(insert);
        try {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < width; c++) {
                    int i = r * width + c;
                    switch (kinds[i]) {
                        case LONG -> batch.setLong(c + 1, longs[i]);
                        case DOUBLE -> batch.setDouble(c + 1, doubles[i]);
                        case STRING -> batch.setString(c + 1, (String) refs[i]);
                        case BYTES -> batch.setBytes(c + 1, (byte[]) refs[i]);
                        default -> batch.setNull(c + 1, sqlType(types[c]));
                    }
                }
                batch.addBatch();
            }
            batch.executeBatch();
        } finally {
            batch.clearBatch();
        }
    }

    private static int sqlType(int type) {
        return switch (type) {
            case INT8 -> Types.BIGINT;
            case INT4 -> Types.INTEGER;
            case INT2 -> Types.SMALLINT;
            case FLOAT8 -> Types.DOUBLE;
            case BYTEA -> Types.BINARY;
            default -> Types.VARCHAR;
        };
    }

    @Override
    public void drop() {
        reset();
    }

    private void reset() {
        Arrays.fill(kinds, 0, Math.min(kinds.length, (rows + 1) * width), UNSET);
        Arrays.fill(refs, 0, Math.min(refs.length, (rows + 1) * width), null);
        rows = 0;
        bytes = 0;
        if (buf.length > 2 * SEND_AT_BYTES) buf = new byte[64 << 10]; // a large batch's buffer is not kept
        if (kinds.length > 2 * SEND_AT_BYTES / 8) { // nor its rows' arrays
            int cells = 64 * width;
            kinds = new byte[cells];
            longs = new long[cells];
            doubles = new double[cells];
            refs = new Object[cells];
        }
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
