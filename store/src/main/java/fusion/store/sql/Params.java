package fusion.store.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Where a write's parameters go: a prepared statement's placeholders, or a row of a binary COPY
 * ({@link CopyRows}). The writer's statements bind through this, so an append-only table's
 * batched rows can travel by COPY on PostgreSQL without the code that makes them knowing.
 * Indices are 1-based, as in JDBC.
 */
interface Params {
    void setString(int index, String value) throws SQLException;

    void setLong(int index, long value) throws SQLException;

    void setInt(int index, int value) throws SQLException;

    void setDouble(int index, double value) throws SQLException;

    void setBytes(int index, byte[] value) throws SQLException;

    /** A SQL NULL; {@code sqlType} is one of {@link java.sql.Types}. */
    void setNull(int index, int sqlType) throws SQLException;

    /** The placeholders of a prepared statement. */
    static Params of(PreparedStatement ps) {
        return new Params() {
            @Override
            public void setString(int index, String value) throws SQLException {
                ps.setString(index, value);
            }

            @Override
            public void setLong(int index, long value) throws SQLException {
                ps.setLong(index, value);
            }

            @Override
            public void setInt(int index, int value) throws SQLException {
                ps.setInt(index, value);
            }

            @Override
            public void setDouble(int index, double value) throws SQLException {
                ps.setDouble(index, value);
            }

            @Override
            public void setBytes(int index, byte[] value) throws SQLException {
                ps.setBytes(index, value);
            }

            @Override
            public void setNull(int index, int sqlType) throws SQLException {
                ps.setNull(index, sqlType);
            }
        };
    }
}
