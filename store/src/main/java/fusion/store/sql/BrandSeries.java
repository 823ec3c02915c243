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
import java.util.function.Predicate;

/**
 * A brand's daily health, computed exactly from its ledger: each ledger row carries the pair's
 * full state after it, so the health at the end of any day is every pair's last state by then,
 * faded to that instant and value-weighted. Cost: one pass over the brand's ledger plus
 * days x pairs score evaluations. Scoped to an audience, the pairs of others are passed over.
 */
final class BrandSeries {
    private final Engine engine;
    private final String brand;
    private final LocalDate first;
    private final LocalDate last;
    private final Predicate<String> parties;

    /** The series over the parties {@code parties} accepts (an audience's members, or everyone). */
    BrandSeries(Engine engine, String brand, Instant at, int days, Predicate<String> parties) {
        this.engine = engine;
        this.parties = parties;
        this.brand = brand;
        this.last = Queries.day(at);
        this.first = last.minusDays(Math.max(1, days) - 1L);
    }

    List<BrandView.Point> compute(Connection c) throws SQLException {
        Map<String, Relationship> pairs = new java.util.TreeMap<>(); // summed in one order on every store
        List<BrandView.Point> out = new ArrayList<>();
        LocalDate day = first;
        long events = 0;
        double money = 0;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT party, time, kind, state FROM ledger WHERE brand = ? ORDER BY time, seq")) {
            ps.setString(1, brand);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long time = rs.getLong(2);
                    LocalDate d = Queries.day(Instant.ofEpochMilli(time));
                    while (!day.isAfter(last) && d.isAfter(day)) {
                        if (!day.isBefore(first)) out.add(point(day, pairs, events, money));
                        day = day.plusDays(1);
                        events = 0;
                        money = 0;
                    }
                    String party = rs.getString(1);
                    if (!parties.test(party)) continue;
                    Relationship after = LedgerCodec.state(party, brand, time, rs.getBytes(4));
                    Relationship before = pairs.put(party, after);
                    if (LedgerCodec.kind(rs.getInt(3)) == LedgerEntry.Kind.EVENT && !d.isBefore(first)) {
                        events++;
                        money += after.money() - (before == null ? 0 : before.money());
                    }
                }
            }
        }
        while (!day.isAfter(last)) {
            out.add(point(day, pairs, events, money));
            day = day.plusDays(1);
            events = 0;
            money = 0;
        }
        return out;
    }

    private BrandView.Point point(LocalDate day, Map<String, Relationship> pairs, long events, double money) {
        Instant end = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1);
        Queries.Health h = new Queries.Health();
        for (Relationship r : pairs.values()) {
            h.add(r, engine, end);
        }
        return new BrandView.Point(day, h.fusion(), h.experience(), h.consumers, events, money);
    }
}
