package fusion.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.Contribution;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.core.engine.Target;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Migration 8's Java step: copies the ledger of schema versions 1..7 (kind as a word,
 * contributions as JSON, the state as hex text) into {@code ledger_v8} in the compact form of
 * {@link LedgerCodec}, in seq order, a page at a time. The old columns are decoded exactly (the
 * JSON holds each double as text that parses back to the same double, the state's doubles the hex
 * of their raw bits), so every converted number is bit for bit the one stored before. A row that
 * does not decode stops the migration, naming its seq and column, and the transaction rolls back.
 */
final class LedgerV8 {
    private static final int PAGE = 5_000;

    private LedgerV8() {}

    static void convert(Connection c) throws SQLException {
        long after = Long.MIN_VALUE;
        try (PreparedStatement read = c.prepareStatement("SELECT seq, party, brand, time, event_id, kind, "
                        + "experience_before, experience_after, fusion_before, fusion_after, faded, note, contributions, "
                        + "state FROM ledger WHERE seq > ? ORDER BY seq LIMIT " + PAGE);
                PreparedStatement write = c.prepareStatement("INSERT INTO ledger_v8 (seq, party, brand, time, "
                        + "event_id, kind, experience_before, experience_after, fusion_before, fusion_after, faded, note, "
                        + "contributions, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            while (true) {
                read.setLong(1, after);
                int n = 0;
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        after = rs.getLong(1);
                        n++;
                        copy(rs, write, after);
                        write.addBatch();
                    }
                }
                if (n == 0) return;
                write.executeBatch();
            }
        }
    }

    private static void copy(ResultSet rs, PreparedStatement w, long seq) throws SQLException {
        String party = rs.getString(2);
        String brand = rs.getString(3);
        long time = rs.getLong(4);
        w.setLong(1, seq);
        w.setString(2, party);
        w.setString(3, brand);
        w.setLong(4, time);
        w.setString(5, rs.getString(5));
        w.setInt(6, LedgerCodec.kind(kind(seq, rs.getString(6))));
        for (int i = 7; i <= 11; i++) w.setDouble(i, rs.getDouble(i));
        w.setString(12, rs.getString(12));
        w.setBytes(13, LedgerCodec.contributions(contributions(seq, rs.getString(13))));
        w.setBytes(14, LedgerCodec.state(state(seq, party, brand, rs.getString(14)), time));
    }

    private static LedgerEntry.Kind kind(long seq, String word) {
        for (LedgerEntry.Kind k : LedgerEntry.Kind.values()) if (k.label().equals(word)) return k;
        throw new IllegalStateException("ledger seq " + seq + ", kind: expected event, propagated or merge but the "
                + "store holds " + (word == null ? "null" : "'" + word + "'"));
    }

    /** The text state of versions 1..7: times in decimal, doubles as the hex of their raw bits. */
    static Relationship state(long seq, String party, String brand, String text) {
        try {
            String[] f = text.split(" ");
            if (f.length != 12) throw new IllegalArgumentException("expected 12 fields but found " + f.length);
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
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "ledger seq " + seq + ", state: cannot read '" + text + "': " + e.getMessage(), e);
        }
    }

    private static double bits(String hex) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    }

    /** The JSON contributions of versions 1..7: {@code [{"rule", "target", "points", "detail"}, ...]}. */
    static List<Contribution> contributions(long seq, String json) {
        try {
            List<Contribution> out = new ArrayList<>();
            for (JsonNode n : Rows.JSON.readTree(json)) {
                out.add(new Contribution(
                        n.get("rule").asText(),
                        Target.valueOf(n.get("target").asText().toUpperCase(Locale.ROOT)),
                        n.get("points").asDouble(),
                        n.get("detail").asText()));
            }
            return out;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException(
                    "ledger seq " + seq + ", contributions: cannot read '" + json + "': "
                            + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
                    e);
        }
    }
}
