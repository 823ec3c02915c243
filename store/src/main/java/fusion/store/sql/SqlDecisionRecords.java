package fusion.store.sql;

import fusion.store.DecisionRecords;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decisions and deliveries in the store's database. Like {@link SqlAccess}, writes go through the
 * store's single writer between batches and reads use the read connections. Attempts are kept as
 * lines appended to the delivery's row, so the table list an erasure clears stays two tables.
 */
final class SqlDecisionRecords implements DecisionRecords {
    private static final String DECISION_COLUMNS =
            "id, profile, brand, at, action, kind, channel, purpose, send_at, outcome, status, reasons";
    private static final String DELIVERY_COLUMNS = "idempotency_key, decision_id, profile, channel, body_sha256, "
            + "body, status, attempts, last_status, last_error, updated";

    private final SqlStore store;

    SqlDecisionRecords(SqlStore store) {
        this.store = store;
    }

    @Override
    public boolean record(DecisionRecord d) {
        return store.writeWith("recording a decision", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO decisions (" + DECISION_COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING")) {
                ps.setString(1, d.id());
                ps.setString(2, d.profile());
                ps.setString(3, d.brand());
                ps.setLong(4, d.at().toEpochMilli());
                ps.setString(5, d.action());
                ps.setString(6, d.kind());
                ps.setString(7, d.channel());
                ps.setString(8, d.purpose());
                if (d.sendAt() == null) ps.setNull(9, Types.BIGINT);
                else ps.setLong(9, d.sendAt().toEpochMilli());
                ps.setString(10, d.outcome().label());
                ps.setString(11, d.status().label());
                ps.setString(12, d.reasons());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void status(String decisionId, DecisionRecords.Status status) {
        store.writeWith("updating a decision", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE decisions SET status = ? WHERE id = ?")) {
                ps.setString(1, status.label());
                ps.setString(2, decisionId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<DecisionRecord> decisionsOf(String profile) {
        return store.readWith("reading decisions", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + DECISION_COLUMNS + " FROM decisions WHERE profile = ? ORDER BY at, id")) {
                ps.setString(1, profile);
                return decisions(ps);
            }
        });
    }

    @Override
    public List<DecisionRecord> due(DecisionRecords.Status status, Instant until) {
        return store.readWith("reading due decisions", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DECISION_COLUMNS
                    + " FROM decisions WHERE status = ? AND send_at <= ? ORDER BY send_at, id")) {
                ps.setString(1, status.label());
                ps.setLong(2, epochMillis(until));
                return decisions(ps);
            }
        });
    }

    /**
     * {@code t} in epoch milliseconds, saturated at the ends of {@code long}: an instant too far out
     * to be a stored time ({@code Instant.MAX} means "everything") still compares correctly with
     * every stored one instead of failing with a {@code long overflow}.
     */
    static long epochMillis(Instant t) {
        if (t.getEpochSecond() >= Long.MAX_VALUE / 1000) return Long.MAX_VALUE;
        if (t.getEpochSecond() <= Long.MIN_VALUE / 1000) return Long.MIN_VALUE;
        return t.toEpochMilli();
    }

    @Override
    public Optional<DecisionRecord> decision(String id) {
        return store.readWith("reading a decision", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + DECISION_COLUMNS + " FROM decisions WHERE id = ?")) {
                ps.setString(1, id);
                return decisions(ps).stream().findFirst();
            }
        });
    }

    @Override
    public List<DecisionRecord> decisionsForAction(String action) {
        return store.readWith("reading an action's decisions", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + DECISION_COLUMNS + " FROM decisions WHERE action = ? ORDER BY at, id")) {
                ps.setString(1, action);
                return decisions(ps);
            }
        });
    }

    private static List<DecisionRecord> decisions(PreparedStatement ps) throws SQLException {
        List<DecisionRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long sendAt = rs.getLong(9);
                Instant send = rs.wasNull() ? null : Instant.ofEpochMilli(sendAt);
                out.add(new DecisionRecord(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4)),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        send,
                        DecisionRecords.Outcome.of(rs.getString(10)),
                        DecisionRecords.Status.of(rs.getString(11)),
                        rs.getString(12)));
            }
        }
        return out;
    }

    @Override
    public Optional<String> bindBody(String key, String bodySha256) {
        return store.writeWith("binding a delivery body", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT body_sha256 FROM deliveries WHERE idempotency_key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return Optional.of(rs.getString(1));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deliveries (idempotency_key, decision_id, "
                    + "profile, channel, body_sha256, status, attempts, last_status, attempt_log, updated) "
                    + "SELECT id, id, profile, channel, ?, 'sending', 0, 0, '', ? FROM decisions WHERE id = ?")) {
                ps.setString(1, bodySha256);
                ps.setLong(2, System.currentTimeMillis());
                ps.setString(3, key);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("delivery " + key + ": no decision with that id is recorded;"
                            + " record the decision before sending it");
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public void attempt(String key, int attempt, int status, String error, Instant at) {
        String line = attempt + "\t" + status + "\t" + at.toEpochMilli() + "\t"
                + (error == null ? "" : error.replace('\t', ' ').replace('\n', ' ')) + "\n";
        update(
                "recording a delivery attempt",
                "UPDATE deliveries SET attempts = ?, last_status = ?, last_error = ?, "
                        + "attempt_log = attempt_log || ?, updated = ? WHERE idempotency_key = ?",
                attempt,
                status,
                error,
                line,
                at.toEpochMilli(),
                key);
    }

    @Override
    public void delivered(String key, int attempts, Instant at) {
        update(
                "recording a delivery",
                "UPDATE deliveries SET status = 'delivered', attempts = ?, updated = ? " + "WHERE idempotency_key = ?",
                attempts,
                at.toEpochMilli(),
                key);
    }

    @Override
    public void deadLetter(String key, byte[] body, int attempts, int lastStatus, String reason, Instant at) {
        update(
                "dead-lettering a delivery",
                "UPDATE deliveries SET status = 'dead', body = ?, attempts = ?, "
                        + "last_status = ?, last_error = ?, updated = ? WHERE idempotency_key = ?",
                new String(body, StandardCharsets.UTF_8),
                attempts,
                lastStatus,
                reason,
                at.toEpochMilli(),
                key);
    }

    @Override
    public void resending(String key, Instant at) {
        update(
                "re-sending a dead letter",
                "UPDATE deliveries SET status = 'resending', updated = ? " + "WHERE idempotency_key = ?",
                at.toEpochMilli(),
                key);
    }

    private void update(String what, String sql, Object... args) {
        store.writeWith(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<DeliveryRecord> deliveries(DecisionRecords.DeliveryStatus status, int limit) {
        return store.readWith("listing deliveries", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS
                    + " FROM deliveries WHERE status = ? ORDER BY updated DESC, idempotency_key LIMIT " + limit)) {
                ps.setString(1, status.label());
                return deliveries(ps);
            }
        });
    }

    @Override
    public Optional<DeliveryRecord> delivery(String key) {
        return store.readWith("reading a delivery", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM deliveries WHERE idempotency_key = ?")) {
                ps.setString(1, key);
                return deliveries(ps).stream().findFirst();
            }
        });
    }

    private static List<DeliveryRecord> deliveries(PreparedStatement ps) throws SQLException {
        List<DeliveryRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String body = rs.getString(6);
                out.add(new DeliveryRecord(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        Optional.ofNullable(body).map(b -> b.getBytes(StandardCharsets.UTF_8)),
                        DecisionRecords.DeliveryStatus.of(rs.getString(7)),
                        rs.getInt(8),
                        rs.getInt(9),
                        rs.getString(10),
                        Instant.ofEpochMilli(rs.getLong(11))));
            }
        }
        return out;
    }

    @Override
    public List<AttemptRecord> attempts(String key) {
        return store.readWith("reading delivery attempts", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT attempt_log FROM deliveries WHERE idempotency_key = ?")) {
                ps.setString(1, key);
                List<AttemptRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return out;
                    for (String line : rs.getString(1).split("\n")) {
                        if (line.isEmpty()) continue;
                        String[] f = line.split("\t", 4);
                        out.add(new AttemptRecord(
                                key,
                                Integer.parseInt(f[0]),
                                Integer.parseInt(f[1]),
                                f.length > 3 ? f[3] : "",
                                Instant.ofEpochMilli(Long.parseLong(f[2]))));
                    }
                }
                return out;
            }
        });
    }
}
