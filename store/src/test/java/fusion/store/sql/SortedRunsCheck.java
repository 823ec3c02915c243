package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The sorted indexes checked against the log itself: the entries the views give are exactly the
 * log's and the ledger's own columns, each once, whatever runs, moves and merges put them where.
 * The oracle reads only {@code events} and {@code ledger}, never the index tables.
 */
public final class SortedRunsCheck {
    private SortedRunsCheck() {}

    /**
     * The tables' part of the indexes: on SQLite, exactly the entries of the rows up to each
     * index's mark (those after it the writer keeps in memory, and a start rebuilds); on
     * PostgreSQL, where the views read the log itself, every row.
     */
    public static void assertIndexesMatchTheLog(Connection c) throws SQLException {
        boolean sqlite = !c.getMetaData()
                .getDatabaseProductName()
                .toLowerCase(java.util.Locale.ROOT)
                .contains("postgres");
        boolean auto = c.getAutoCommit();
        // one read transaction: the marks and the entries of one committed state
        c.setAutoCommit(false);
        try {
            String events = sqlite ? " WHERE seq <= " + mark(c, "profile") : "";
            String ledger = sqlite ? " WHERE seq <= " + mark(c, "pair") : "";
            assertThat(rows(c, "SELECT profile, event_time, seq FROM profile_seqs ORDER BY seq"))
                    .as(
                            "the per-profile index holds every event of the log up to its mark once, with its profile and time")
                    .containsExactlyElementsOf(
                            rows(c, "SELECT profile, event_time, seq FROM events" + events + " ORDER BY seq"));
            assertThat(rows(c, "SELECT party, brand, seq FROM pair_seqs ORDER BY seq"))
                    .as("the pair index holds every ledger entry up to its mark once, with its party and brand")
                    .containsExactlyElementsOf(
                            rows(c, "SELECT party, brand, seq FROM ledger" + ledger + " ORDER BY seq"));
            for (String[] t : new String[][] {{"profile_index", "profile"}, {"pair_index", "pair"}}) {
                assertThat(rows(
                                c,
                                "SELECT DISTINCT run FROM " + t[0] + " WHERE run NOT IN "
                                        + "(SELECT run FROM index_runs WHERE name = '" + t[1] + "')"))
                        .as("every run of " + t[0] + " is listed, so the view sees it")
                        .isEmpty();
            }
        } finally {
            c.commit();
            c.setAutoCommit(auto);
        }
    }

    /**
     * The whole indexes of an open store: the tables' entries and those the writer keeps in
     * memory are together exactly the log's and the ledger's, each once.
     */
    public static void assertIndexesMatchTheLog(SqlStore store, Connection c) throws SQLException {
        assertThat(store.indexEntries(false))
                .as("the per-profile index, tables and memory, holds every event of the log once")
                .containsExactlyElementsOf(rows(c, "SELECT profile, event_time, seq FROM events ORDER BY seq"));
        assertThat(store.indexEntries(true))
                .as("the pair index, tables and memory, holds every ledger entry once")
                .containsExactlyElementsOf(rows(c, "SELECT party, brand, seq FROM ledger ORDER BY seq"));
    }

    private static long mark(Connection c, String name) throws SQLException {
        List<String> m = rows(c, "SELECT through FROM index_marks WHERE name = '" + name + "'");
        return m.isEmpty() ? 0 : Long.parseLong(m.get(0));
    }

    /** Rows as text, fields joined by '|'. */
    public static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) b.append(i > 1 ? "|" : "").append(rs.getString(i));
                out.add(b.toString());
            }
        }
        return out;
    }
}
