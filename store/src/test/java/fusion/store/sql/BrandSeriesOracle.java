package fusion.store.sql;

import fusion.core.engine.Engine;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.store.BrandView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The second method for a brand's daily series: one pass over the brand's whole ledger table in
 * (time, seq) order, keeping every party's last state in a map sorted by party; at each day's
 * end the day's point is taken from the map, its money the exact sum of the day's changes
 * (in {@link java.math.BigDecimal}) rounded once. This is how the store computed the series up to
 * schema v14; since v15 it reads pair by pair ({@link BrandSeries}). Only the value-weighted
 * mean ({@link Queries.Health}) is shared, which {@code brandHealthIsTheValueWeightedMeanNowAndPerDay}
 * holds to figures worked by hand.
 */
public final class BrandSeriesOracle {
    private BrandSeriesOracle() {}

    /** The series of {@code brand} over the parties {@code parties} accepts, from the table alone. */
    public static List<BrandView.Point> series(
            Connection c, Engine engine, String brand, Instant at, int days, Predicate<String> parties)
            throws SQLException {
        LocalDate last = LocalDate.ofInstant(at, ZoneOffset.UTC);
        LocalDate first = last.minusDays(Math.max(1, days) - 1L);
        Map<String, Relationship> pairs = new TreeMap<>();
        List<BrandView.Point> out = new ArrayList<>();
        LocalDate day = first;
        long events = 0;
        // a day's money: the exact sum of its changes (BigDecimal holds every double exactly), rounded once
        java.math.BigDecimal money = java.math.BigDecimal.ZERO;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT party, time, kind, state FROM ledger WHERE brand = ? ORDER BY time, seq")) {
            ps.setString(1, brand);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long time = rs.getLong(2);
                    LocalDate d = LocalDate.ofInstant(Instant.ofEpochMilli(time), ZoneOffset.UTC);
                    while (!day.isAfter(last) && d.isAfter(day)) {
                        out.add(point(engine, day, pairs, events, money));
                        day = day.plusDays(1);
                        events = 0;
                        money = java.math.BigDecimal.ZERO;
                    }
                    String party = rs.getString(1);
                    if (!parties.test(party)) continue;
                    Relationship after = LedgerCodec.state(party, brand, time, rs.getBytes(4));
                    Relationship before = pairs.put(party, after);
                    if (LedgerCodec.kind(rs.getInt(3)) == LedgerEntry.Kind.EVENT && !d.isBefore(first)) {
                        events++;
                        money = money.add(
                                new java.math.BigDecimal(after.money() - (before == null ? 0 : before.money())));
                    }
                }
            }
        }
        for (; !day.isAfter(last); day = day.plusDays(1)) {
            out.add(point(engine, day, pairs, events, money));
            events = 0;
            money = java.math.BigDecimal.ZERO;
        }
        return out;
    }

    private static BrandView.Point point(
            Engine engine, LocalDate day, Map<String, Relationship> pairs, long events, java.math.BigDecimal money) {
        Instant end = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1);
        Queries.Health h = new Queries.Health();
        for (Relationship r : pairs.values()) h.add(r, engine, end);
        return new BrandView.Point(day, h.fusion(), h.experience(), h.consumers, events, money.doubleValue());
    }
}
