package fusion.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.Contribution;
import fusion.core.engine.Relationship;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
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

    /**
     * A relationship state as text, exact to the bit (ledger rows keep the state after them):
     * times in decimal, doubles as the hex of their bits, which is several times cheaper to write
     * and read than their decimal form.
     */
    static String state(Relationship r) {
        StringBuilder b = new StringBuilder(200).append(r.asOfMillis());
        for (double d : new double[] {
            r.needsMet(),
            r.needsFailed(),
            r.easeGood(),
            r.easeBad(),
            r.delight(),
            r.brandGives(),
            r.consumerGives(),
            r.association()
        }) {
            b.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(d)));
        }
        b.append(' ').append(r.events()).append(' ').append(Long.toHexString(Double.doubleToRawLongBits(r.money())));
        return b.append(' ').append(r.firstSeenMillis()).toString();
    }

    static Relationship state(String party, String brand, String text) {
        String[] f = text.split(" ");
        return new Relationship(
                party,
                brand,
                Long.parseLong(f[0]),
                bits(f[1]),
                bits(f[2]),
                bits(f[3]),
                bits(f[4]),
                bits(f[5]),
                bits(f[6]),
                bits(f[7]),
                bits(f[8]),
                Long.parseLong(f[9]),
                bits(f[10]),
                Long.parseLong(f[11]));
    }

    private static double bits(String hex) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    }

    /**
     * Contributions as JSON with a fixed field order: the text is part of the state that replay
     * must reproduce byte for byte, and {@code Map.of} iterates in an order that changes between
     * JVM runs.
     */
    static String contributions(List<Contribution> cs) {
        // streamed rather than built as a tree and then written: the same text, one per ledger row
        java.io.StringWriter out = new java.io.StringWriter(64 + 80 * cs.size());
        try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (Contribution c : cs) {
                g.writeStartObject();
                g.writeStringField("rule", c.rule());
                g.writeStringField("target", c.target().label());
                g.writeNumberField("points", c.points());
                g.writeStringField("detail", c.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode contributions", e);
        }
        return out.toString();
    }

    static List<Contribution> contributions(String json) {
        try {
            List<Contribution> out = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode n : JSON.readTree(json)) {
                out.add(new Contribution(
                        n.get("rule").asText(),
                        fusion.core.engine.Target.valueOf(
                                n.get("target").asText().toUpperCase(java.util.Locale.ROOT)),
                        n.get("points").asDouble(),
                        n.get("detail").asText()));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt contributions column: " + e.getOriginalMessage(), e);
        }
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
