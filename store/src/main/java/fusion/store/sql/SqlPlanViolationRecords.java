package fusion.store.sql;

import fusion.store.PlanViolationRecords;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tracking-plan violations in the store's database (schema v6). Writes go through the store's
 * single writer between batches, one transaction for all the increments of one write.
 */
final class SqlPlanViolationRecords implements PlanViolationRecords {
    private final SqlStore store;

    SqlPlanViolationRecords(SqlStore store) {
        this.store = store;
    }

    private record Key(String source, String event, String kind, String field) {}

    @Override
    public List<Counter> counters() {
        return store.readWith("reading tracking-plan violations", c -> {
            Map<Key, List<Sample>> samples = new LinkedHashMap<>();
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT source, event, kind, field, message_id, at, problem, blocked "
                                    + "FROM plan_violation_samples ORDER BY source, event, kind, field, seq");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    samples.computeIfAbsent(
                                    new Key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                                    k -> new ArrayList<>())
                            .add(new Sample(
                                    rs.getString(5),
                                    Instant.ofEpochMilli(rs.getLong(6)),
                                    rs.getString(7),
                                    rs.getInt(8) != 0));
                }
            }
            List<Counter> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT source, event, kind, field, total, blocked, first_at FROM plan_violations");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Key k = new Key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                    out.add(new Counter(
                            k.source(),
                            k.event(),
                            k.kind(),
                            k.field(),
                            rs.getLong(5),
                            rs.getLong(6),
                            Instant.ofEpochMilli(rs.getLong(7)),
                            samples.getOrDefault(k, List.of())));
                }
            }
            return out;
        });
    }

    @Override
    public void add(List<Counter> increments) {
        if (increments.isEmpty()) return;
        store.writeWith("keeping tracking-plan violations", c -> {
            try (PreparedStatement up = c.prepareStatement(
                            "INSERT INTO plan_violations (source, event, kind, field, total, blocked, first_at) "
                                    + "VALUES (?,?,?,?,?,?,?) ON CONFLICT (source, event, kind, field) DO UPDATE SET "
                                    + "total = plan_violations.total + excluded.total, "
                                    + "blocked = plan_violations.blocked + excluded.blocked");
                    PreparedStatement clear = c.prepareStatement("DELETE FROM plan_violation_samples "
                            + "WHERE source = ? AND event = ? AND kind = ? AND field = ?");
                    PreparedStatement sample = c.prepareStatement("INSERT INTO plan_violation_samples "
                            + "(source, event, kind, field, seq, message_id, at, problem, blocked) "
                            + "VALUES (?,?,?,?,?,?,?,?,?)")) {
                for (Counter n : increments) {
                    key(up, n);
                    up.setLong(5, n.count());
                    up.setLong(6, n.blocked());
                    up.setLong(7, n.first().toEpochMilli());
                    up.addBatch();
                    key(clear, n);
                    clear.addBatch();
                    int seq = 0;
                    for (Sample s : n.samples()) {
                        key(sample, n);
                        sample.setInt(5, seq++);
                        sample.setString(6, s.messageId());
                        sample.setLong(7, s.at().toEpochMilli());
                        sample.setString(8, s.problem());
                        sample.setInt(9, s.blocked() ? 1 : 0);
                        sample.addBatch();
                    }
                }
                up.executeBatch();
                clear.executeBatch();
                sample.executeBatch();
            }
            return null;
        });
    }

    private static void key(PreparedStatement ps, Counter n) throws SQLException {
        ps.setString(1, n.source());
        ps.setString(2, n.event());
        ps.setString(3, n.kind());
        ps.setString(4, n.field());
    }
}
