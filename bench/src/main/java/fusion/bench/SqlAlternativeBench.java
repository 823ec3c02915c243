package fusion.bench;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.engine.Relationship;
import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Politeness;
import fusion.core.segment.Mapped;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a user would do instead: load the same interactions into PostgreSQL and compute every
 * pair's experience score with one SQL query (the scoring rules as CASE expressions, the fading as
 * exp() per event), timed against Fusion's incremental engine on the same data, and checked for
 * the same numbers. Usage: {@code SqlAlternativeBench EVENTS postgresql://...} (drops and
 * re-creates a table {@code alt_events} there).
 */
public final class SqlAlternativeBench {
    private static final double LN2 = Math.log(2);

    private SqlAlternativeBench() {}

    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        StoreUrl url = StoreUrl.parse(a[1]);
        SegmentMapping mapping = SegmentMapping.standard("own");
        List<Interaction> events = new ArrayList<>(n);
        for (SegmentCall c : StoreIngestBench.traffic(n)) {
            String party = c.userId() != null ? c.userId() : c.anonymousId();
            if (mapping.map(c, party) instanceof Mapped.Scored s) events.add(s.interaction());
        }
        Instant now = events.get(events.size() - 1).time().plusSeconds(3600);

        Engine engine = new Engine(ModelConfig.defaults());
        EngineBenchmark.MapState state = null;
        long engineNanos = 0;
        for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT up; the second is timed
            state = new EngineBenchmark.MapState();
            long t0 = System.nanoTime();
            for (Interaction e : events) state.apply(engine.apply(state, e));
            engineNanos = System.nanoTime() - t0;
        }
        long t0;
        t0 = System.nanoTime();
        Map<String, Double> fusion = new HashMap<>();
        for (String party : state.parties()) {
            for (Relationship r : state.relationshipsOf(party)) {
                fusion.put(party + "|" + r.brand(), engine.score(r, now).experience());
            }
        }
        long readNanos = System.nanoTime() - t0;

        Properties p = new Properties();
        if (url.user() != null) p.setProperty("user", url.user());
        if (url.password() != null) p.setProperty("password", url.password());
        p.setProperty("reWriteBatchedInserts", "true");
        SqlStore.dropAll(url);
        try (Connection c = DriverManager.getConnection(
                "jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database(), p)) {
            load(c, events);
            double rate = LN2 / (30 * 86_400_000.0);
            String sql = """
                WITH f AS (
                  SELECT party, brand, exp(-? * (? - t)) AS w,
                         CASE need WHEN 1 THEN 1.0 ELSE 0 END AS met,
                         CASE need WHEN 2 THEN 2.0 ELSE 0 END AS failed,
                         repeats * 0.75 + switches * 0.75 + LEAST(2.0, GREATEST(0, wait - 60) / 60.0 * 0.1) AS effort,
                         sentiment, staff, wow
                  FROM alt_events),
                s AS (
                  SELECT party, brand,
                    SUM(w * met) AS met, SUM(w * failed) AS failed, SUM(w * CASE WHEN wow THEN 1.5 ELSE 0 END) AS delight,
                    SUM(w * (CASE WHEN effort = 0 AND met > 0 THEN 0.5 ELSE 0 END
                             + CASE WHEN sentiment > 0 THEN sentiment ELSE 0 END
                             + CASE WHEN staff = 1 THEN 0.5 ELSE 0 END)) AS good,
                    SUM(w * (effort + CASE WHEN sentiment < 0 THEN -sentiment ELSE 0 END
                             + CASE WHEN staff = 2 THEN 1.5 ELSE 0 END)) AS bad
                  FROM f GROUP BY party, brand)
                SELECT party, brand, 50 + 50 * tanh((1.0 * (met - failed) + 0.6 * (good - bad)
                       + 0.8 * CASE WHEN met - failed >= -1e-9 * (met + failed) THEN 1 ELSE 0 END * delight) / 4.0) AS experience
                FROM s""";
            List<Long> runs = new ArrayList<>();
            double maxDiff = 0;
            int pairs = 0;
            for (int run = 0; run < 3; run++) {
                long q0 = System.nanoTime();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setDouble(1, rate);
                    ps.setLong(2, now.toEpochMilli());
                    try (ResultSet rs = ps.executeQuery()) {
                        pairs = 0;
                        while (rs.next()) {
                            pairs++;
                            Double mine = fusion.get(rs.getString(1) + "|" + rs.getString(2));
                            if (mine != null) maxDiff = Math.max(maxDiff, Math.abs(mine - rs.getDouble(3)));
                        }
                    }
                }
                runs.add(System.nanoTime() - q0);
            }
            runs.sort(Long::compare);
            double sqlMs = runs.get(1) / 1e6;
            System.out.printf("events: %,d interactions, %,d pairs; scores at one instant%n", events.size(), pairs);
            System.out.printf(
                    "  fusion engine, incremental: %,.0f ms for all events (%,.0f events/s, one thread); "
                            + "reading every pair's score: %,.1f ms%n",
                    engineNanos / 1e6, events.size() / (engineNanos / 1e9), readNanos / 1e6);
            System.out.printf("  postgresql, one query over the raw events (median of 3): %,.0f ms%n", sqlMs);
            System.out.printf(
                    "  ratio: one SQL refresh / reading Fusion's live scores = %,.0f; one SQL refresh / "
                            + "Fusion's whole incremental run = %.2f%n",
                    sqlMs / (readNanos / 1e6), sqlMs / (engineNanos / 1e6));
            System.out.printf(
                    "  to reflect one new event: Fusion %.2f us (one incremental update), SQL %,.0f ms (a new "
                            + "refresh over all %,d events), ratio %,.0f%n",
                    engineNanos / 1e3 / events.size(),
                    sqlMs,
                    events.size(),
                    sqlMs * 1e3 / (engineNanos / 1e3 / events.size()));
            System.out.printf("  same numbers: largest difference in experience %.2e (0..100 scale)%n", maxDiff);
        }
    }

    private static void load(Connection c, List<Interaction> events) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS alt_events");
            s.execute("CREATE TABLE alt_events (party TEXT, brand TEXT, t BIGINT, need INT, wait DOUBLE PRECISION, "
                    + "repeats INT, switches INT, sentiment DOUBLE PRECISION, staff INT, wow BOOLEAN)");
        }
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alt_events VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            int i = 0;
            for (Interaction e : events) {
                var o = e.outcome();
                ps.setString(1, e.party());
                ps.setString(2, e.brand().id());
                ps.setLong(3, e.time().toEpochMilli());
                ps.setInt(4, o.need() == Need.MET ? 1 : o.need() == Need.FAILED ? 2 : 0);
                ps.setDouble(5, o.waitSeconds());
                ps.setInt(6, o.repeatContacts());
                ps.setInt(7, o.channelSwitches());
                ps.setDouble(8, o.hasSentiment() ? o.sentiment() : 0);
                ps.setInt(9, o.staff() == Politeness.POLITE ? 1 : o.staff() == Politeness.RUDE ? 2 : 0);
                ps.setBoolean(10, o.wow());
                ps.addBatch();
                if (++i % 1000 == 0) ps.executeBatch();
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE alt_events");
        }
    }
}
