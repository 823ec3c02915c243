package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.store.StoreFailure;
import fusion.store.Tx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer's append-only rows by binary COPY on PostgreSQL ({@link CopyRows}). Witnesses: the
 * values written, as literals in the test, read back with plain JDBC; and the rows a group's
 * batches leave, worked out by hand.
 */
class CopyRowsTest {
    private StoreUrl url;
    private ConnectionSource source;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void database() {
        url = TestDatabases.fresh();
        SqlStore.migrate(url);
        source = ConnectionSource.postgres(url, 1);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) c.close();
        if (source != null) source.close();
    }

    private Connection connection() throws SQLException {
        Connection c = source.open();
        open.add(c);
        return c;
    }

    private static final String KINDS = "INSERT INTO kinds (b, i, s, d, t, v, x, nb) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private static CopyRows kinds(Connection c, int copyAtRows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kinds (b BIGINT, i INTEGER, s SMALLINT, d DOUBLE PRECISION, t TEXT, "
                    + "v VARCHAR(40), x BYTEA, nb BIGINT)");
        }
        return CopyRows.open(c, KINDS, copyAtRows);
    }

    private record Kinds(long b, int i, short s, double d, String t, String v, byte[] x, Long nb) {}

    @ParameterizedTest(name = "COPY from {0} rows at a flush")
    @ValueSource(ints = {1, Integer.MAX_VALUE})
    @DisplayName("issue 18: every column type goes by binary COPY (and by the INSERT a small flush takes) and reads"
            + " back the same: longs, ints, shorts, doubles bit for bit, text in any script, bytes, and nulls")
    void everyColumnTypeRoundTrips(int copyAtRows) throws Exception {
        Connection c = connection();
        c.setAutoCommit(false);
        CopyRows rows = kinds(c, copyAtRows);
        List<Kinds> written = List.of(
                new Kinds(Long.MIN_VALUE, Integer.MIN_VALUE, Short.MIN_VALUE, -0.0, "", "a", new byte[0], 0L),
                new Kinds(
                        Long.MAX_VALUE,
                        Integer.MAX_VALUE,
                        Short.MAX_VALUE,
                        Double.MIN_VALUE,
                        "Zoë 日本 😀 \t\n\\ ' \"",
                        "ünï",
                        new byte[] {0, -1, 127, -128, '\n', '\\'},
                        -1L),
                new Kinds(0L, -1, (short) 1, 0.1, null, null, null, null),
                new Kinds(1L << 40, 1 << 30, (short) -300, 1.0 / 3, "x".repeat(70_000), "b", new byte[70_000], null),
                new Kinds(-7L, 7, (short) 0, Double.MAX_VALUE, "NaN", "c", new byte[] {1}, 42L),
                new Kinds(3L, 3, (short) 3, Double.NaN, "∞", "d", new byte[] {2}, 3L),
                new Kinds(4L, 4, (short) 4, Double.NEGATIVE_INFINITY, "e", "e", new byte[] {3}, 4L),
                new Kinds(5L, 5, (short) 5, -123456.789e-300, "f", "f", new byte[] {4}, 5L));
        for (Kinds k : written) {
            rows.setLong(1, k.b());
            rows.setInt(2, k.i());
            rows.setInt(3, k.s());
            rows.setDouble(4, k.d());
            rows.setString(5, k.t());
            if (k.v() == null) rows.setNull(6, Types.VARCHAR);
            else rows.setString(6, k.v());
            rows.setBytes(7, k.x());
            if (k.nb() == null) rows.setNull(8, Types.BIGINT);
            else rows.setLong(8, k.nb());
            rows.endRow();
        }
        assertThat(rows.rows()).isEqualTo(written.size());
        rows.send();
        assertThat(rows.rows()).as("sent rows are forgotten").isZero();
        c.commit();

        List<Kinds> read = new ArrayList<>();
        try (Connection other = connection();
                Statement s = other.createStatement();
                ResultSet rs = s.executeQuery("SELECT b, i, s, d, t, v, x, nb FROM kinds ORDER BY ctid")) {
            while (rs.next()) {
                long nb = rs.getLong(8);
                Long nullable = rs.wasNull() ? null : nb;
                read.add(new Kinds(
                        rs.getLong(1),
                        rs.getInt(2),
                        rs.getShort(3),
                        rs.getDouble(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getBytes(7),
                        nullable));
            }
        }
        assertThat(read).hasSameSizeAs(written);
        for (int r = 0; r < written.size(); r++) {
            Kinds w = written.get(r), g = read.get(r);
            String row = "row " + r;
            assertThat(g.b()).as(row).isEqualTo(w.b());
            assertThat(g.i()).as(row).isEqualTo(w.i());
            assertThat(g.s()).as(row).isEqualTo(w.s());
            assertThat(Double.doubleToLongBits(g.d()))
                    .as(row + ": " + w.d() + " bit for bit")
                    .isEqualTo(Double.doubleToLongBits(w.d()));
            assertThat(g.t()).as(row).isEqualTo(w.t());
            assertThat(g.v()).as(row).isEqualTo(w.v());
            assertThat(g.x()).as(row).isEqualTo(w.x());
            assertThat(g.nb()).as(row).isEqualTo(w.nb());
        }
    }

    @Test
    @DisplayName("issue 18: a value that does not fit its column is refused naming the table and the column, and"
            + " the rows before it stay")
    void aValueThatDoesNotFitIsRefusedNamingTheTableAndColumn() throws Exception {
        Connection c = connection();
        c.setAutoCommit(false);
        CopyRows rows = kinds(c, 1);
        setAll(rows, 1);
        rows.endRow();
        long bytes = rows.bytes();

        setAll(rows, 2);
        rows.setDouble(1, 2.5);
        assertThatThrownBy(rows::endRow)
                .isInstanceOf(SQLException.class)
                .hasMessage("copying rows into kinds: a double does not go into column b (bigint)");
        setAll(rows, 2);
        rows.setLong(3, 40_000);
        assertThatThrownBy(rows::endRow)
                .hasMessage("copying rows into kinds: 40000 is out of range for column s (smallint)");
        setAll(rows, 2);
        rows.setLong(2, 1L << 31);
        assertThatThrownBy(rows::endRow)
                .hasMessage("copying rows into kinds: 2147483648 is out of range for column i (integer)");
        setAll(rows, 2);
        rows.setBytes(5, new byte[] {1});
        assertThatThrownBy(rows::endRow).hasMessage("copying rows into kinds: bytes do not go into column t (text)");
        rows.setLong(1, 1);
        assertThatThrownBy(rows::endRow).hasMessage("copying rows into kinds: no value was set for column i");
        assertThatThrownBy(() -> rows.setLong(9, 1)).hasMessage("copying rows into kinds: parameter 9 of 8 columns");

        assertThat(rows.rows()).isEqualTo(1);
        assertThat(rows.bytes()).as("a refused row leaves no bytes").isEqualTo(bytes);
        rows.send();
        c.commit();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), min(b) FROM kinds")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
            assertThat(rs.getLong(2)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("issue 18: only a plain INSERT of placeholders goes by COPY; an upsert or a computed value does not")
    void onlyPlainInsertsGoByCopy() {
        assertThat(CopyRows.target("INSERT INTO events (seq, message_id) VALUES (?,?)"))
                .contains(new CopyRows.Target("events", List.of("seq", "message_id")));
        assertThat(CopyRows.target("INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO NOTHING"))
                .isEmpty();
        assertThat(CopyRows.target("INSERT INTO t (a, b) VALUES (?, 1)")).isEmpty();
        assertThat(CopyRows.target("INSERT INTO t (a, b) VALUES (?, ?, ?)")).isEmpty();
        assertThat(CopyRows.target("INSERT INTO profiles (id, traits) VALUES (?, '{}')"))
                .isEmpty();
        assertThat(CopyRows.target("UPDATE t SET a = ? WHERE b = ?")).isEmpty();
    }

    @ParameterizedTest(name = "COPY from {0} rows at a flush")
    @ValueSource(ints = {1, Integer.MAX_VALUE})
    @DisplayName("issue 18: in a group, a batch whose COPY fails is rolled back to its savepoint alone, naming"
            + " the table; a batch rejected before its rows were sent leaves none of them; the others stay")
    void aBatchWhoseCopyFailsIsRolledBackAlone(int copyAtRows) throws Exception {
        Writer w = new Writer(connection(), Dialect.POSTGRESQL, 1000, 1000);
        w.copyAt(copyAtRows);
        // batch 1: two events
        w.savepoint();
        w.append(event("m1"));
        w.append(event("m2"));
        w.releaseSavepoint();
        // batch 2: an event whose messageId is already in the log: the COPY fails at the end of the batch
        w.savepoint();
        w.append(event("m3"));
        w.append(event("m1"));
        assertThatThrownBy(w::releaseSavepoint)
                .isInstanceOf(StoreFailure.class)
                .hasMessageStartingWith("writing 2 rows into events: ")
                .hasMessageContaining("events_message_id_key")
                .hasMessageNotContaining("(m1)"); // the constraint, not the row's values (ServerErrorDetailTest)
        w.rollbackToSavepoint();
        // batch 3: rejected before its rows were sent (as when a scoring rule throws)
        w.savepoint();
        w.append(event("m4"));
        w.rollbackToSavepoint();
        // batch 4: numbered after batch 1, as batches 2 and 3 never were
        w.savepoint();
        w.append(event("m5"));
        w.releaseSavepoint();
        w.commit();

        assertThat(log()).containsExactly("1 m1", "2 m2", "3 m5");
        w.close();
    }

    @ParameterizedTest(name = "COPY from {0} rows at a flush")
    @ValueSource(ints = {1, Integer.MAX_VALUE})
    @DisplayName("issue 18: a batch alone whose COPY fails at commit rolls back whole and the writer goes on")
    void aBatchAloneWhoseCopyFailsRollsBackWhole(int copyAtRows) throws Exception {
        Writer w = new Writer(connection(), Dialect.POSTGRESQL, 1000, 1000);
        w.copyAt(copyAtRows);
        w.append(event("m1"));
        w.commit();
        w.append(event("m2"));
        w.append(event("m1"));
        assertThatThrownBy(w::commit)
                .hasMessageStartingWith("writing 2 rows into events: ")
                .hasMessageContaining("events_message_id_key")
                .hasMessageNotContaining("(m1)"); // the constraint, not the row's values (ServerErrorDetailTest)
        w.rollback();
        w.append(event("m3"));
        w.commit();
        assertThat(log()).containsExactly("1 m1", "2 m3");
        w.close();
    }

    private List<String> log() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq, message_id FROM events ORDER BY seq")) {
            while (rs.next()) out.add(rs.getLong(1) + " " + rs.getString(2));
        }
        return out;
    }

    private static Tx.LoggedEvent event(String messageId) {
        Instant t = Instant.parse("2026-12-06T12:00:00Z");
        return new Tx.LoggedEvent(messageId, "track", "Order Completed", "u1", t, t, "own", null, null, true, "{}");
    }

    private static void setAll(CopyRows rows, long n) throws SQLException {
        rows.setLong(1, n);
        rows.setInt(2, (int) n);
        rows.setInt(3, (int) n);
        rows.setDouble(4, n);
        rows.setString(5, "t" + n);
        rows.setString(6, "v" + n);
        rows.setBytes(7, new byte[] {(byte) n});
        rows.setNull(8, Types.BIGINT);
    }
}
