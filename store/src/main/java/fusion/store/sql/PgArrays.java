package fusion.store.sql;

import fusion.core.engine.Relationship;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * The writer's coalesced upserts and updates on PostgreSQL as one statement over arrays, one
 * array per column ({@code unnest}), instead of a JDBC batch of one row of parameters each:
 * pgjdbc binds, encodes and rewrites every parameter of a batched row (an UPDATE's batch is also
 * one statement per row for the server to execute), where a {@code double[]} or {@code long[]}
 * goes as one binary array. The rows are those the writer coalesced per key, so no statement
 * touches a row twice. SQLite keeps the batches (no arrays, and its statements cost no round trip).
 */
final class PgArrays {
    private PgArrays() {}

    /** The relationships' upsert: the same columns and conflict rule as the batched row upsert. */
    static final String UPSERT_RELATIONSHIPS = "INSERT INTO relationships (" + Rows.RELATIONSHIP_COLUMNS + ") "
            + "SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::float8[], ?::float8[], ?::float8[], "
            + "?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::bigint[], ?::float8[], ?::bigint[]) "
            + "ON CONFLICT (party, brand) DO UPDATE SET as_of = excluded.as_of, needs_met = excluded.needs_met, "
            + "needs_failed = excluded.needs_failed, ease_good = excluded.ease_good, ease_bad = excluded.ease_bad, "
            + "delight = excluded.delight, brand_gives = excluded.brand_gives, "
            + "consumer_gives = excluded.consumer_gives, association = excluded.association, "
            + "events = excluded.events, money = excluded.money, first_seen = excluded.first_seen";

    /** Profiles' activity: each profile's earliest and latest time and its count of events, added once. */
    static final String TOUCH_PROFILES = "UPDATE profiles SET first_seen = LEAST(profiles.first_seen, t.first), "
            + "last_seen = GREATEST(profiles.last_seen, t.last), events = profiles.events + t.events "
            + "FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[]) AS t(id, first, last, events) "
            + "WHERE profiles.id = t.id";

    static void bindRelationships(Connection c, PreparedStatement ps, Collection<Relationship> rows)
            throws SQLException {
        int n = rows.size(), i = 0;
        String[] party = new String[n], brand = new String[n];
        long[] asOf = new long[n], events = new long[n], firstSeen = new long[n];
        double[] needsMet = new double[n], needsFailed = new double[n], easeGood = new double[n];
        double[] easeBad = new double[n], delight = new double[n], brandGives = new double[n];
        double[] consumerGives = new double[n], association = new double[n], money = new double[n];
        for (Relationship r : rows) {
            party[i] = r.party();
            brand[i] = r.brand();
            asOf[i] = r.asOfMillis();
            needsMet[i] = r.needsMet();
            needsFailed[i] = r.needsFailed();
            easeGood[i] = r.easeGood();
            easeBad[i] = r.easeBad();
            delight[i] = r.delight();
            brandGives[i] = r.brandGives();
            consumerGives[i] = r.consumerGives();
            association[i] = r.association();
            events[i] = r.events();
            money[i] = r.money();
            firstSeen[i] = r.firstSeenMillis();
            i++;
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        ps.setArray(1, pg.createArrayOf("text", party));
        ps.setArray(2, pg.createArrayOf("text", brand));
        ps.setArray(3, pg.createArrayOf("int8", asOf));
        ps.setArray(4, pg.createArrayOf("float8", needsMet));
        ps.setArray(5, pg.createArrayOf("float8", needsFailed));
        ps.setArray(6, pg.createArrayOf("float8", easeGood));
        ps.setArray(7, pg.createArrayOf("float8", easeBad));
        ps.setArray(8, pg.createArrayOf("float8", delight));
        ps.setArray(9, pg.createArrayOf("float8", brandGives));
        ps.setArray(10, pg.createArrayOf("float8", consumerGives));
        ps.setArray(11, pg.createArrayOf("float8", association));
        ps.setArray(12, pg.createArrayOf("int8", events));
        ps.setArray(13, pg.createArrayOf("float8", money));
        ps.setArray(14, pg.createArrayOf("int8", firstSeen));
    }

    static void bindTouches(Connection c, PreparedStatement ps, Map<String, Writer.PendingTouch> touches)
            throws SQLException {
        int n = touches.size(), i = 0;
        String[] id = new String[n];
        long[] first = new long[n], last = new long[n], events = new long[n];
        for (var t : touches.entrySet()) {
            id[i] = t.getKey();
            first[i] = t.getValue().first();
            last[i] = t.getValue().last();
            events[i] = t.getValue().events();
            i++;
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        ps.setArray(1, pg.createArrayOf("text", id));
        ps.setArray(2, pg.createArrayOf("int8", first));
        ps.setArray(3, pg.createArrayOf("int8", last));
        ps.setArray(4, pg.createArrayOf("int8", events));
    }
}
