package fusion.store.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import fusion.core.engine.Contribution;
import fusion.core.engine.Relationship;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * For migration tests: turns a version-8 ledger back into the text form of schema versions 1..7
 * (its table and indexes as V1 created them), behind the store's back. The text is written here
 * independently of the production code: the JSON through Jackson's tree, the state by hand as
 * decimal times and the hex of each double's raw bits, as version 1 specified them.
 */
public final class LedgerDowngrade {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerDowngrade() {}

    /**
     * Removes what migrations after 8 created (V9: {@code log_cuts} and the decisions' action index), so
     * that a database set back to version 7 is one: migrating it again applies V8 and then V9 afresh.
     */
    public static void undoLaterThanSeven(Statement s) throws SQLException {
        // v11: the sorted indexes' marks
        s.execute("DROP TABLE IF EXISTS index_marks");
        // v10: the sorted runs give way to the two indexes they replaced (ledger_pair comes back with the ledger)
        s.execute("DROP VIEW IF EXISTS profile_seqs");
        s.execute("DROP VIEW IF EXISTS pair_seqs");
        for (String t :
                List.of("profile_index", "profile_index_recent", "pair_index", "pair_index_recent", "index_runs")) {
            s.execute("DROP TABLE IF EXISTS " + t);
        }
        s.execute("CREATE INDEX IF NOT EXISTS events_profile ON events (profile, event_time)");
        s.execute("DROP TABLE IF EXISTS log_cuts");
        s.execute("DROP INDEX IF EXISTS decisions_action");
    }

    /** Rewrites the ledger of the database on {@code c} in the text form; returns how many rows. */
    public static int toTextForm(Connection c) throws SQLException {
        boolean postgres =
                c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        List<Object[]> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq, party, brand, time, event_id, kind, experience_before, "
                        + "experience_after, fusion_before, fusion_after, faded, note, contributions, state FROM ledger "
                        + "ORDER BY seq")) {
            while (rs.next()) {
                long time = rs.getLong(4);
                rows.add(new Object[] {
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    time,
                    rs.getString(5),
                    LedgerCodec.kind(rs.getInt(6)).label(),
                    rs.getDouble(7),
                    rs.getDouble(8),
                    rs.getDouble(9),
                    rs.getDouble(10),
                    rs.getDouble(11),
                    rs.getString(12),
                    json(LedgerCodec.contributions(rs.getBytes(13))),
                    text(LedgerCodec.state(rs.getString(2), rs.getString(3), time, rs.getBytes(14)))
                });
            }
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            undoLaterThanSeven(s);
            s.execute("DROP TABLE ledger");
            s.execute("CREATE TABLE ledger (seq " + (postgres ? "BIGINT" : "INTEGER") + " PRIMARY KEY, "
                    + "party TEXT NOT NULL, brand TEXT NOT NULL, time BIGINT NOT NULL, event_id TEXT NOT NULL, "
                    + "kind TEXT NOT NULL, experience_before DOUBLE PRECISION NOT NULL, "
                    + "experience_after DOUBLE PRECISION NOT NULL, fusion_before DOUBLE PRECISION NOT NULL, "
                    + "fusion_after DOUBLE PRECISION NOT NULL, faded DOUBLE PRECISION NOT NULL, note TEXT NOT NULL, "
                    + "contributions TEXT NOT NULL, state TEXT NOT NULL)");
            s.execute("CREATE INDEX ledger_pair ON ledger (party, brand, seq)");
            s.execute("CREATE INDEX ledger_brand ON ledger (brand, time)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) ps.setObject(i + 1, row[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(auto);
        return rows.size();
    }

    static String json(List<Contribution> cs) {
        ArrayNode a = JSON.createArrayNode();
        for (Contribution c : cs) {
            a.addObject()
                    .put("rule", c.rule())
                    .put("target", c.target().name().toLowerCase())
                    .put("points", c.points())
                    .put("detail", c.detail());
        }
        return a.toString();
    }

    static String text(Relationship r) {
        StringBuilder b = new StringBuilder().append(r.asOfMillis());
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
        b.append(' ').append(r.events());
        b.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(r.money())));
        return b.append(' ').append(r.firstSeenMillis()).toString();
    }
}
