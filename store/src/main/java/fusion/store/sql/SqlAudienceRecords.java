package fusion.store.sql;

import fusion.store.AudienceRecords;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Audiences and their activation in the store's database (schema v5). Like {@link
 * SqlDecisionRecords}, writes go through the store's single writer between batches and reads use
 * the read connections.
 */
final class SqlAudienceRecords implements AudienceRecords {
    private static final String OUTBOX_COLUMNS = "idempotency_key, destination, profile, kind, at, body, status, "
            + "attempts, last_status, last_error, next_at, updated";

    private final SqlStore store;

    SqlAudienceRecords(SqlStore store) {
        this.store = store;
    }

    @Override
    public void saveDefinition(StoredDefinition d) {
        store.writeWith("saving an audience", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO audience_definitions (id, name, rule, created, updated) "
                            + "VALUES (?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                            + "rule = excluded.rule, updated = excluded.updated")) {
                ps.setString(1, d.id());
                ps.setString(2, d.name());
                ps.setString(3, d.rule());
                ps.setLong(4, d.created().toEpochMilli());
                ps.setLong(5, d.updated().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void deleteDefinition(String id) {
        store.writeWith("deleting an audience", c -> {
            for (String table :
                    List.of("audience_definitions", "audience_members", "audience_changes", "audience_sizes")) {
                String column = table.equals("audience_definitions") ? "id" : "audience";
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + column + " = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<StoredDefinition> definitions() {
        return store.readWith("reading audiences", c -> {
            List<StoredDefinition> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT id, name, rule, created, updated FROM audience_definitions ORDER BY created, id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredDefinition(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)),
                            Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, Set<String>> members() {
        return store.readWith("reading audience members", c -> {
            Map<String, Set<String>> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT audience, profile FROM audience_members")) {
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next())
                        out.computeIfAbsent(rs.getString(1), k -> new TreeSet<>())
                                .add(rs.getString(2));
                }
            }
            return out;
        });
    }

    @Override
    public List<StoredChange> changes(String audience, int limit) {
        return store.readWith("reading audience changes", c -> {
            List<StoredChange> out = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT audience, profile, at, entered FROM audience_changes "
                            + "WHERE audience = ? ORDER BY seq DESC LIMIT " + limit)) {
                ps.setString(1, audience);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredChange(
                                rs.getString(1),
                                rs.getString(2),
                                Instant.ofEpochMilli(rs.getLong(3)),
                                rs.getInt(4) == 1));
                    }
                }
            }
            Collections.reverse(out);
            return out;
        });
    }

    @Override
    public List<StoredSize> sizes(String audience, int limit) {
        return store.readWith("reading audience sizes", c -> {
            List<StoredSize> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT audience, at, size FROM audience_sizes WHERE audience = ? ORDER BY seq DESC LIMIT "
                            + limit)) {
                ps.setString(1, audience);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredSize(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getInt(3)));
                    }
                }
            }
            Collections.reverse(out);
            return out;
        });
    }

    @Override
    public void record(
            List<StoredChange> changes,
            List<StoredSize> sizes,
            List<Outgoing> outgoing,
            Set<String> trim,
            int keepChanges,
            int keepSizes) {
        if (changes.isEmpty() && sizes.isEmpty() && outgoing.isEmpty()) return;
        store.writeWith("recording audience changes", c -> {
            try (PreparedStatement in = c.prepareStatement(
                            "INSERT INTO audience_members (audience, profile) VALUES (?,?) ON CONFLICT DO NOTHING");
                    PreparedStatement out =
                            c.prepareStatement("DELETE FROM audience_members WHERE audience = ? AND profile = ?");
                    PreparedStatement log = c.prepareStatement(
                            "INSERT INTO audience_changes (audience, profile, at, entered) VALUES (?,?,?,?)")) {
                for (StoredChange ch : changes) {
                    PreparedStatement m = ch.entered() ? in : out;
                    m.setString(1, ch.audience());
                    m.setString(2, ch.profile());
                    m.addBatch();
                    log.setString(1, ch.audience());
                    log.setString(2, ch.profile());
                    log.setLong(3, ch.at().toEpochMilli());
                    log.setInt(4, ch.entered() ? 1 : 0);
                    log.addBatch();
                }
                in.executeBatch();
                out.executeBatch();
                log.executeBatch();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO audience_sizes (audience, at, size) VALUES (?,?,?)")) {
                for (StoredSize s : sizes) {
                    ps.setString(1, s.audience());
                    ps.setLong(2, s.at().toEpochMilli());
                    ps.setLong(3, s.size());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            insert(c, outgoing);
            for (String a : trim) {
                trim(c, "audience_changes", a, keepChanges);
                trim(c, "audience_sizes", a, keepSizes);
            }
            return null;
        });
    }

    private static void trim(java.sql.Connection c, String table, String audience, int keep) throws SQLException {
        // the global seq has gaps (other audiences), so the cut is the keep-th newest row of this one
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE audience = ? AND seq < "
                + "(SELECT seq FROM " + table + " WHERE audience = ? ORDER BY seq DESC LIMIT 1 OFFSET "
                + (keep - 1) + ")")) {
            ps.setString(1, audience);
            ps.setString(2, audience);
            ps.executeUpdate();
        }
    }

    private static int insert(java.sql.Connection c, List<Outgoing> outgoing) throws SQLException {
        if (outgoing.isEmpty()) return 0;
        int added = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO activation_outbox (" + OUTBOX_COLUMNS
                + ") VALUES (?,?,?,?,?,?,'pending',0,0,NULL,?,?) ON CONFLICT (idempotency_key) DO NOTHING")) {
            for (Outgoing o : outgoing) {
                ps.setString(1, o.key());
                ps.setString(2, o.destination());
                ps.setString(3, o.profile());
                ps.setString(4, o.kind());
                ps.setLong(5, o.at().toEpochMilli());
                ps.setString(6, o.body());
                ps.setLong(7, SqlDecisionRecords.epochMillis(o.nextAt()));
                ps.setLong(8, o.at().toEpochMilli());
                added += ps.executeUpdate();
            }
        }
        return added;
    }

    @Override
    public void saveDestination(StoredDestination d) {
        store.writeWith("saving a destination", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO audience_destinations (id, audience, config, created, updated) "
                            + "VALUES (?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET audience = excluded.audience, "
                            + "config = excluded.config, updated = excluded.updated")) {
                ps.setString(1, d.id());
                ps.setString(2, d.audience());
                ps.setString(3, d.config());
                ps.setLong(4, d.created().toEpochMilli());
                ps.setLong(5, d.updated().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void deleteDestination(String id) {
        store.writeWith("deleting a destination", c -> {
            for (String table : List.of("audience_destinations", "activation_outbox", "activation_exports")) {
                String column = table.equals("audience_destinations") ? "id" : "destination";
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + column + " = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<StoredDestination> destinations() {
        return store.readWith("reading destinations", c -> {
            List<StoredDestination> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, audience, config, created, updated "
                            + "FROM audience_destinations ORDER BY created, id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredDestination(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)),
                            Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
            return out;
        });
    }

    @Override
    public int enqueue(List<Outgoing> outgoing) {
        if (outgoing.isEmpty()) return 0;
        return store.writeWith("enqueueing an export", c -> insert(c, outgoing));
    }

    @Override
    public List<OutboxRow> due(Instant now, int limit) {
        return store.readWith("reading the outbox", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OUTBOX_COLUMNS
                    + " FROM activation_outbox WHERE status = 'pending' AND next_at <= ? "
                    + "ORDER BY next_at, at, idempotency_key LIMIT " + limit)) {
                ps.setLong(1, SqlDecisionRecords.epochMillis(now));
                return rows(ps);
            }
        });
    }

    @Override
    public List<OutboxRow> outbox(String destination, OutboxStatus status, int limit) {
        return store.readWith("reading the outbox", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OUTBOX_COLUMNS
                    + " FROM activation_outbox WHERE destination = ? AND status = ? "
                    + "ORDER BY at, idempotency_key LIMIT " + limit)) {
                ps.setString(1, destination);
                ps.setString(2, status.label());
                return rows(ps);
            }
        });
    }

    private static List<OutboxRow> rows(PreparedStatement ps) throws SQLException {
        List<OutboxRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new OutboxRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        Instant.ofEpochMilli(rs.getLong(5)),
                        rs.getString(6),
                        OutboxStatus.of(rs.getString(7)),
                        rs.getInt(8),
                        rs.getInt(9),
                        rs.getString(10),
                        Instant.ofEpochMilli(rs.getLong(11)),
                        Instant.ofEpochMilli(rs.getLong(12))));
            }
        }
        return out;
    }

    @Override
    public Map<OutboxStatus, Integer> counts(String destination) {
        return store.readWith("counting the outbox", c -> {
            Map<OutboxStatus, Integer> out = new EnumMap<>(OutboxStatus.class);
            for (OutboxStatus s : OutboxStatus.values()) out.put(s, 0);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT status, COUNT(*) FROM activation_outbox WHERE destination = ? GROUP BY status")) {
                ps.setString(1, destination);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(OutboxStatus.of(rs.getString(1)), rs.getInt(2));
                }
            }
            return out;
        });
    }

    @Override
    public void attempted(
            String key, OutboxStatus status, int attempts, int lastStatus, String error, Instant nextAt, Instant at) {
        store.writeWith("recording an export attempt", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE activation_outbox SET status = ?, attempts = ?, "
                    + "last_status = ?, last_error = ?, next_at = ?, updated = ? WHERE idempotency_key = ?")) {
                ps.setString(1, status.label());
                ps.setInt(2, attempts);
                ps.setInt(3, lastStatus);
                ps.setString(4, error);
                ps.setLong(5, SqlDecisionRecords.epochMillis(nextAt));
                ps.setLong(6, at.toEpochMilli());
                ps.setString(7, key);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void remove(List<String> keys) {
        if (keys.isEmpty()) return;
        store.writeWith("removing written exports", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM activation_outbox WHERE idempotency_key = ?")) {
                for (String k : keys) {
                    ps.setString(1, k);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void postpone(String destination, Instant until) {
        store.writeWith("postponing a destination", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE activation_outbox SET next_at = ? "
                    + "WHERE destination = ? AND status = 'pending' AND next_at < ?")) {
                ps.setLong(1, until.toEpochMilli());
                ps.setString(2, destination);
                ps.setLong(3, until.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int requeue(String destination, OutboxStatus from, Instant at) {
        return store.writeWith("re-queueing exports", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE activation_outbox SET status = 'pending', "
                    + "attempts = 0, next_at = ?, updated = ? WHERE destination = ? AND status = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, destination);
                ps.setString(4, from.label());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int purge(OutboxStatus status, Instant before) {
        return store.writeWith("purging the outbox", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM activation_outbox WHERE status = ? AND updated < ?")) {
                ps.setString(1, status.label());
                ps.setLong(2, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void saveExport(String id, String destination, Instant at, String report) {
        store.writeWith("recording an export", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO activation_exports (id, destination, at, report) VALUES (?,?,?,?)")) {
                ps.setString(1, id);
                ps.setString(2, destination);
                ps.setLong(3, at.toEpochMilli());
                ps.setString(4, report);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<String> exports(String destination, int limit) {
        return store.readWith("reading export reports", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT report FROM activation_exports "
                    + "WHERE destination = ? ORDER BY at DESC, id DESC LIMIT " + limit)) {
                ps.setString(1, destination);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
