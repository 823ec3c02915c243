package fusion.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Erasure without a rebuild, for a person whose events reached no one else. Then a replay of the
 * log without them differs from the store only by their own rows and by numbering: every other
 * call resolves to the same profile, maps to the same interaction and finds the same states,
 * because nothing it read came from them. So their rows are deleted, and that is all: the gaps
 * they leave in the sequence numbers stay (closing them up would rewrite every later row of the
 * log and the ledger, as slow as the rebuild), and the digests compare sequence numbers by rank
 * ({@link Digests}), in which the store and the replay agree.
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
    /** A person's events, through the log's sorted index (the profile its one parameter). */
    private static final String OF = SortedRuns.EVENTS_OF;

    private TargetedErasure() {}

    /**
     * Erases {@code profile} in place and returns true, or changes nothing and returns false
     * when their events may have reached anyone else (then the caller rebuilds).
     */
    static boolean tryErase(Writer w, String profile, List<String> names) throws SQLException {
        Connection c = w.connection();
        if (!isolated(c, profile, names)) return false;
        deleteRows(c, profile);
        // the numbering keeps the gaps: later numbers continue after the highest one still there
        w.restartAt(max(c, "events") + 1, max(c, "ledger") + 1);
        return true;
    }

    /**
     * The person's own rows in the derived tables: their events, identities, profile, the merges
     * into them, their relationship states, ledger and consent. Also what a cluster's sink does
     * for an erasure command ({@link Eraser#eraseOwnRows}).
     */
    static void deleteRows(Connection c, String profile) throws SQLException {
        List<String> deletes = new java.util.ArrayList<>(List.of(
                // the log and the ledger are found through their sorted indexes, deleted after them
                "DELETE FROM events WHERE seq IN " + SortedRuns.EVENTS_OF,
                "DELETE FROM ledger WHERE seq IN " + SortedRuns.LEDGER_OF));
        deletes.addAll(SortedRuns.PROFILE.deletes());
        deletes.addAll(SortedRuns.PAIR.deletes());
        deletes.addAll(List.of(
                "DELETE FROM identities WHERE profile = ?",
                "DELETE FROM profiles WHERE id = ?",
                "DELETE FROM merges WHERE survivor = ?",
                "DELETE FROM relationships WHERE party = ?",
                "DELETE FROM consents WHERE profile = ?"));
        for (String sql : deletes) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, profile);
                ps.executeUpdate();
            }
        }
    }

    private static boolean isolated(Connection c, String profile, List<String> names) throws SQLException {
        if (exists(c, "SELECT 1 FROM events WHERE seq IN " + OF + " AND type = 'group'", profile)) return false;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM merges m WHERE m.survivor <> ? AND m.event_seq IN "
                        + OF + " UNION ALL SELECT 1 FROM identities i WHERE i.profile <> ? "
                        + "AND i.first_seq IN " + OF)) {
            for (int i = 1; i <= 4; i += 2) {
                ps.setString(i, profile);
                ps.setString(i + 1, profile);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return false;
            }
        }
        if (exists(c, "SELECT 1 FROM brands b WHERE b.first_seq IN " + OF, profile)) {
            return false;
        }
        String find = postgres(c) ? "strpos(body, ?) > 0" : "instr(body, ?) > 0";
        // a brand's competitor flag is an OR over the events that flag it: theirs must not be among them
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM events WHERE seq IN " + OF + " AND " + find)) {
            ps.setString(1, profile);
            ps.setString(2, "\"competitor\"");
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return false;
            }
        }
        if (exists(
                c,
                "SELECT 1 FROM events e WHERE e.seq IN " + OF + " AND e.type = 'track' AND e.scored = 0 "
                        + "AND e.name IN (SELECT name FROM unknown_events)",
                profile)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ledger l WHERE l.party <> ? AND l.event_id IN "
                + "(SELECT message_id FROM events WHERE seq IN " + OF + ")")) {
            ps.setString(1, profile);
            ps.setString(2, profile);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return false;
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM events WHERE profile <> ? AND " + find + " LIMIT 1")) {
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

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static long max(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean postgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
}
