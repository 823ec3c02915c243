package fusion.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Erasure without a rebuild, for a person whose events reached no one else. Then a replay of the
 * log without them differs from the store only by their own rows and by numbering: every other
 * call resolves to the same profile, maps to the same interaction and finds the same states,
 * because nothing it read came from them. So their rows are deleted and the sequence numbers
 * after each of their events and ledger entries close up, which is exactly what the replay would
 * have assigned (the events' order, and the ledger's, are unchanged).
 *
 * <p>"Reached no one else" is checked conservatively, and any doubt falls back to the full
 * rebuild ({@link Eraser}): no other call's log record contains any name the person went by (as a
 * JSON string: so no other call was resolved through one of their ids, refused a merge with them
 * or named them as a co-party); none of their events wrote a ledger entry of another party
 * (propagation); none of their events is a group call, first introduced a brand or flagged a
 * brand as a competitor (brand rows stay as they are); none was counted as an unknown
 * event. The randomised {@code ErasureEqualsReplayWithoutTest} holds it to the replay's digests.
 */
final class TargetedErasure {
    private TargetedErasure() {}

    /** Their event seqs and messageIds, in log order. */
    record Theirs(List<Long> seqs, List<String> messageIds) {}

    /**
     * Erases {@code profile} in place and returns true, or changes nothing and returns false
     * when their events may have reached anyone else (then the caller rebuilds).
     */
    static boolean tryErase(Writer w, String profile, List<String> names) throws SQLException {
        Connection c = w.connection();
        Theirs theirs = theirs(c, profile);
        if (!isolated(c, profile, names)) return false;
        List<Long> ledgerSeqs = longs(c, "SELECT seq FROM ledger WHERE party = ? ORDER BY seq", profile);
        for (String sql : List.of("DELETE FROM events WHERE profile = ?", "DELETE FROM identities WHERE profile = ?",
                "DELETE FROM profiles WHERE id = ?", "DELETE FROM merges WHERE survivor = ?",
                "DELETE FROM relationships WHERE party = ?", "DELETE FROM ledger WHERE party = ?",
                "DELETE FROM consents WHERE profile = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, profile);
                ps.executeUpdate();
            }
        }
        List<Long> seqs = theirs.seqs();
        for (String[] t : new String[][] {{"events", "seq"}, {"identities", "first_seq"}, {"merges", "event_seq"},
                {"consents", "event_seq"}, {"brands", "first_seq"}}) {
            closeUp(c, t[0], t[1], seqs);
        }
        closeUp(c, "ledger", "seq", ledgerSeqs);
        w.restartAt(max(c, "events") + 1, max(c, "ledger") + 1);
        return true;
    }

    private static Theirs theirs(Connection c, String profile) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, message_id FROM events WHERE profile = ? ORDER BY seq")) {
            ps.setString(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                    ids.add(rs.getString(2));
                }
            }
        }
        return new Theirs(seqs, ids);
    }

    private static boolean isolated(Connection c, String profile, List<String> names) throws SQLException {
        if (exists(c, "SELECT 1 FROM events WHERE profile = ? AND type = 'group'", profile)) return false;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM merges m WHERE m.survivor <> ? AND m.event_seq IN "
                + "(SELECT seq FROM events WHERE profile = ?) UNION ALL SELECT 1 FROM identities i WHERE i.profile <> ? "
                + "AND i.first_seq IN (SELECT seq FROM events WHERE profile = ?)")) {
            for (int i = 1; i <= 4; i += 2) {
                ps.setString(i, profile);
                ps.setString(i + 1, profile);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return false;
            }
        }
        if (exists(c, "SELECT 1 FROM brands b WHERE b.first_seq IN (SELECT seq FROM events WHERE profile = ?)", profile)) {
            return false;
        }
        String find = postgres(c) ? "strpos(body, ?) > 0" : "instr(body, ?) > 0";
        // a brand's competitor flag is an OR over the events that flag it: theirs must not be among them
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM events WHERE profile = ? AND " + find)) {
            ps.setString(1, profile);
            ps.setString(2, "\"competitor\"");
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return false;
            }
        }
        if (exists(c, "SELECT 1 FROM events e WHERE e.profile = ? AND e.type = 'track' AND e.scored = 0 "
                + "AND e.name IN (SELECT name FROM unknown_events)", profile)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ledger l WHERE l.party <> ? AND l.event_id IN "
                + "(SELECT message_id FROM events WHERE profile = ?)")) {
            ps.setString(1, profile);
            ps.setString(2, profile);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM events WHERE profile <> ? AND " + find + " LIMIT 1")) {
            for (String name : names) {
                ps.setString(1, profile);
                ps.setString(2, jsonString(name));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return false;
                }
            }
        }
        return true;
    }

    /** {@code name} as the log's JSON writes a string value, quotes included. */
    private static String jsonString(String name) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(name);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Lowers every {@code column} value by the number of {@code removed} values below it, as a
     * dense renumbering would. Through negative values, so a unique key never collides midway.
     */
    private static void closeUp(Connection c, String table, String column, List<Long> removed) throws SQLException {
        if (removed.isEmpty()) return;
        String move = "UPDATE " + table + " SET " + column + " = -(" + column + " - ?) WHERE " + column + " > ? AND "
                + column + " < ?";
        try (PreparedStatement ps = c.prepareStatement(move)) {
            for (int i = 0; i < removed.size(); i++) {
                ps.setLong(1, i + 1);
                ps.setLong(2, removed.get(i));
                ps.setLong(3, i + 1 < removed.size() ? removed.get(i + 1) : Long.MAX_VALUE);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + table + " SET " + column + " = -" + column + " WHERE " + column + " < 0");
        }
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<Long> longs(Connection c, String sql, String arg) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static long max(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean postgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
}
