package fusion.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.Relationship;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** Conversions between domain values and table rows. */
final class Rows {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private Rows() {}

    static final String RELATIONSHIP_COLUMNS = "party, brand, as_of, needs_met, needs_failed, ease_good, ease_bad, "
            + "delight, brand_gives, consumer_gives, association, events, money, first_seen";

    static Relationship relationship(ResultSet rs) throws SQLException {
        return new Relationship(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getDouble(4),
                rs.getDouble(5),
                rs.getDouble(6),
                rs.getDouble(7),
                rs.getDouble(8),
                rs.getDouble(9),
                rs.getDouble(10),
                rs.getDouble(11),
                rs.getLong(12),
                rs.getDouble(13),
                rs.getLong(14));
    }

    static void bind(PreparedStatement ps, Relationship r) throws SQLException {
        ps.setString(1, r.party());
        ps.setString(2, r.brand());
        ps.setLong(3, r.asOfMillis());
        ps.setDouble(4, r.needsMet());
        ps.setDouble(5, r.needsFailed());
        ps.setDouble(6, r.easeGood());
        ps.setDouble(7, r.easeBad());
        ps.setDouble(8, r.delight());
        ps.setDouble(9, r.brandGives());
        ps.setDouble(10, r.consumerGives());
        ps.setDouble(11, r.association());
        ps.setLong(12, r.events());
        ps.setDouble(13, r.money());
        ps.setLong(14, r.firstSeenMillis());
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + o.getClass().getSimpleName(), e);
        }
    }

    static Map<String, Object> map(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }
}
