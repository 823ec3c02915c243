package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Relationship;
import fusion.store.Tx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The writer's relationship upserts and profile activity on PostgreSQL, sent as one statement
 * over arrays ({@link PgArrays}). Witnesses: the values written, as literals in the test, read
 * back with plain JDBC (doubles bit for bit, ids byte for byte); and each profile's activity
 * worked out by hand from the rows the test put there and the touches it made.
 */
class PgArraysTest {
    private ConnectionSource source;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void database() {
        StoreUrl url = TestDatabases.fresh();
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

    /** Ids an array literal must quote or escape: quotes, backslashes, braces, commas, blanks, NULL, non-BMP. */
    private static final List<String> AWKWARD = List.of(
            "u1",
            "",
            "NULL",
            "null",
            "a,b",
            "{x}",
            "\"quoted\"",
            "back\\slash",
            " padded ",
            "tab\there\nnewline",
            "Zoë 日本 😀",
            "it's");

    @Test
    @DisplayName("issue 18: relationships go to PostgreSQL as arrays and read back the same: every id however"
            + " awkward, doubles bit for bit (-0.0, infinities, the extremes; NaN as pgjdbc sends it), longs at"
            + " their limits; a later flush overwrites the pair, as the row upsert did")
    void relationshipsReadBackTheSame() throws Exception {
        Writer w = new Writer(connection(), Dialect.POSTGRESQL, 1000, 1000);
        double[] awkward = {
            -0.0,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            0.1,
            1.0 / 3,
            -123456.789e-300
        };
        Map<String, Relationship> written = new LinkedHashMap<>();
        for (int i = 0; i < AWKWARD.size(); i++) {
            double d = awkward[i % awkward.length];
            String party = AWKWARD.get(i), brand = AWKWARD.get(AWKWARD.size() - 1 - i);
            Relationship r = new Relationship(
                    party,
                    brand,
                    i == 0 ? Long.MIN_VALUE : Long.MAX_VALUE - i,
                    d,
                    -d,
                    i,
                    awkward[(i + 1) % awkward.length],
                    awkward[(i + 2) % awkward.length],
                    awkward[(i + 3) % awkward.length],
                    awkward[(i + 4) % awkward.length],
                    awkward[(i + 5) % awkward.length],
                    i == 1 ? Long.MIN_VALUE : i,
                    awkward[(i + 6) % awkward.length],
                    i == 2 ? Long.MAX_VALUE : -i);
            w.putRelationship(r);
            written.put(party + "\u0000" + brand, r);
        }
        w.commit();
        assertThat(read()).as("first flush").containsExactlyInAnyOrderElementsOf(bits(written.values()));

        // a second flush: one pair overwritten, one pair new, the others untouched
        Relationship changed =
                new Relationship("u1", AWKWARD.get(AWKWARD.size() - 1), 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        Relationship added = new Relationship("new", "b", 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1);
        w.putRelationship(changed);
        w.putRelationship(added);
        w.commit();
        written.put("u1\u0000" + AWKWARD.get(AWKWARD.size() - 1), changed);
        written.put("new\u0000b", added);
        assertThat(read()).as("second flush").containsExactlyInAnyOrderElementsOf(bits(written.values()));
        w.close();
    }

    @Test
    @DisplayName("issue 18: a profile's activity goes to PostgreSQL as arrays: the earliest and latest time"
            + " and the events added once per flush, worked out by hand; a profile not stored is left alone")
    void profileActivityIsAddedOnce() throws Exception {
        Connection c = connection();
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO profiles (id, traits, first_seen, last_seen, events) VALUES "
                    + "('p1', '{}', 1000, 2000, 5), ('p,2', '{}', 1000, 2000, 0), ('p\"3', '{}', 1000, 2000, 7)");
        }
        Writer w = new Writer(c, Dialect.POSTGRESQL, 1000, 1000);
        // p1: two events inside its span and one before it
        w.touchProfile("p1", Instant.ofEpochMilli(1500), true);
        w.touchProfile("p1", Instant.ofEpochMilli(1800), true);
        w.touchProfile("p1", Instant.ofEpochMilli(900), true);
        // p,2: one event after its span, one touch that counts no event
        w.touchProfile("p,2", Instant.ofEpochMilli(2500), true);
        w.touchProfile("p,2", Instant.ofEpochMilli(1200), false);
        // no such profile
        w.touchProfile("ghost", Instant.ofEpochMilli(1), true);
        w.commit();
        // a second flush: p"3 once, p1 once more
        w.touchProfile("p\"3", Instant.ofEpochMilli(3000), true);
        w.touchProfile("p1", Instant.ofEpochMilli(2100), true);
        w.commit();
        w.close();

        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection other = source.open();
                Statement s = other.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, first_seen, last_seen, events FROM profiles ORDER BY id")) {
            while (rs.next()) rows.put(rs.getString(1), rs.getLong(2) + " " + rs.getLong(3) + " " + rs.getLong(4));
        }
        assertThat(rows)
                .containsExactly(
                        Map.entry("p\"3", "1000 3000 8"),
                        Map.entry("p,2", "1000 2500 1"),
                        Map.entry("p1", "900 2100 9"));
    }

    @Test
    @DisplayName("issue 18: the messageIds already in the log are found by one statement over an array on"
            + " PostgreSQL: exactly those logged, among 300 ids with awkward ones and repeats, before and after"
            + " the 100th (where the statements per 100 ids used to split)")
    void messageIdsAlreadyLoggedAreFoundInOneStatement() throws Exception {
        Writer w = new Writer(connection(), Dialect.POSTGRESQL, 1000, 1000);
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 288; i++) asked.add("m" + i);
        asked.addAll(AWKWARD);
        asked.add("m0"); // asked twice
        List<String> logged = new ArrayList<>(List.of("m0", "m99", "m100", "m101", "m199", "m287"));
        logged.addAll(AWKWARD.subList(1, 8)); // "", "NULL", "null", "a,b", "{x}", "\"quoted\"", "back\\slash"
        logged.add("not asked");
        Instant t = Instant.parse("2026-12-06T12:00:00Z");
        for (String id : logged)
            w.append(new Tx.LoggedEvent(id, "track", "Order Completed", "u1", t, t, "own", null, null, true, "{}"));
        w.commit();

        Set<String> expected = new HashSet<>(logged);
        expected.remove("not asked");
        assertThat(w.logged(asked)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(w.logged(List.of())).isEmpty();
        assertThat(w.logged(List.of("m1", "none"))).isEmpty();
        w.close();
    }

    private List<String> read() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = source.open();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + Rows.RELATIONSHIP_COLUMNS + " FROM relationships")) {
            while (rs.next()) out.add(bits(Rows.relationship(rs)));
        }
        return out;
    }

    private static List<String> bits(java.util.Collection<Relationship> rs) {
        return rs.stream().map(PgArraysTest::bits).toList();
    }

    /**
     * Every field, doubles as their bits (so -0.0 and 0.0 differ); a NaN as the one canonical NaN:
     * pgjdbc sends a double's {@code doubleToLongBits} whether bound alone or in an array, so a
     * NaN's sign never reached the database by the row upsert either.
     */
    private static String bits(Relationship r) {
        return String.join(
                " | ",
                r.party(),
                r.brand(),
                Long.toString(r.asOfMillis()),
                Long.toHexString(Double.doubleToLongBits(r.needsMet())),
                Long.toHexString(Double.doubleToLongBits(r.needsFailed())),
                Long.toHexString(Double.doubleToLongBits(r.easeGood())),
                Long.toHexString(Double.doubleToLongBits(r.easeBad())),
                Long.toHexString(Double.doubleToLongBits(r.delight())),
                Long.toHexString(Double.doubleToLongBits(r.brandGives())),
                Long.toHexString(Double.doubleToLongBits(r.consumerGives())),
                Long.toHexString(Double.doubleToLongBits(r.association())),
                Long.toString(r.events()),
                Long.toHexString(Double.doubleToLongBits(r.money())),
                Long.toString(r.firstSeenMillis()));
    }
}
