package fusion.store.sql;

import fusion.store.BrandAction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Declared brand actions in table {@code brand_actions} (migration V3). Writes go through the
 * store's single writer, between batches, as {@link SqlAccess} does; reads use read connections.
 */
final class SqlBrandActions {
    private static final String COLUMNS = "id, brand, name, kind, starts, ends, declared, actor, description";

    private final SqlStore store;

    SqlBrandActions(SqlStore store) {
        this.store = store;
    }

    BrandAction declare(BrandAction a) {
        long id = store.writeWith("declaring a brand action", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO brand_actions (brand, name, kind, starts, "
                            + "ends, declared, actor, description) VALUES (?,?,?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, a.brand());
                ps.setString(2, a.name());
                ps.setString(3, a.kind().label());
                ps.setLong(4, a.starts().toEpochMilli());
                if (a.ends() == null) ps.setNull(5, Types.BIGINT);
                else ps.setLong(5, a.ends().toEpochMilli());
                ps.setLong(6, a.declared().toEpochMilli());
                ps.setString(7, a.actor());
                ps.setString(8, a.description());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) throw new SQLException("no id was generated for the brand action");
                    return keys.getLong(1);
                }
            }
        });
        return a.withId(id);
    }

    List<BrandAction> of(String brand) {
        return store.readWith("listing brand actions", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM brand_actions WHERE brand = ? ORDER BY starts, id")) {
                ps.setString(1, brand);
                return list(ps);
            }
        });
    }

    Optional<BrandAction> one(String brand, long id) {
        return store.readWith("reading a brand action", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM brand_actions WHERE brand = ? AND id = ?")) {
                ps.setString(1, brand);
                ps.setLong(2, id);
                return list(ps).stream().findFirst();
            }
        });
    }

    private static List<BrandAction> list(PreparedStatement ps) throws SQLException {
        List<BrandAction> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long ends = rs.getLong(6);
                Instant endsAt = rs.wasNull() ? null : Instant.ofEpochMilli(ends);
                out.add(new BrandAction(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        BrandAction.Kind.parse("kind", rs.getString(4)),
                        Instant.ofEpochMilli(rs.getLong(5)),
                        endsAt,
                        Instant.ofEpochMilli(rs.getLong(7)),
                        rs.getString(8),
                        rs.getString(9)));
            }
        }
        return out;
    }
}
