package fusion.store.sql;

import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.core.identity.Identity;
import fusion.store.StoreFailure;
import fusion.store.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The single writer: one connection, one transaction per batch, and a cache of relationship
 * states so the engine reads them without a query. Writes of the open transaction sit in an
 * overlay that is folded into the cache on commit and dropped on rollback, so a rejected batch
 * leaves no trace in memory either.
 */
final class Writer implements Tx {
    private static final int CACHED_PARTIES = 100_000;

    private final Connection c;
    private final Map<String, Map<String, Relationship>> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Relationship>> eldest) {
            return size() > CACHED_PARTIES;
        }
    };
    private final Map<String, Map<String, Optional<Relationship>>> overlay = new HashMap<>();
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Writer(Connection c) throws SQLException {
        this.c = c;
        c.setAutoCommit(false);
    }

    void commit() throws SQLException {
        c.commit();
        for (var e : overlay.entrySet()) {
            Map<String, Relationship> cached = cache.get(e.getKey());
            if (cached == null) continue;
            for (var r : e.getValue().entrySet()) {
                if (r.getValue().isPresent()) cached.put(r.getKey(), r.getValue().get());
                else cached.remove(r.getKey());
            }
        }
        overlay.clear();
    }

    void rollback() {
        overlay.clear();
        cache.clear(); // parties loaded mid-transaction may have seen its uncommitted rows
        try {
            c.rollback();
        } catch (SQLException e) {
            throw new StoreFailure("rollback failed", e);
        }
    }

    void close() throws SQLException {
        for (PreparedStatement ps : statements.values()) ps.close();
        c.close();
    }

    private PreparedStatement ps(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    // ---- state the engine reads

    @Override
    public Optional<Relationship> relationship(String party, String brand) {
        Map<String, Optional<Relationship>> o = overlay.get(party);
        if (o != null && o.containsKey(brand)) return o.get(brand);
        return Optional.ofNullable(committed(party).get(brand));
    }

    @Override
    public List<Relationship> relationshipsOf(String party) {
        Map<String, Relationship> all = new LinkedHashMap<>(committed(party));
        Map<String, Optional<Relationship>> o = overlay.get(party);
        if (o != null) {
            o.forEach((brand, r) -> {
                if (r.isPresent()) all.put(brand, r.get());
                else all.remove(brand);
            });
        }
        return new ArrayList<>(all.values());
    }

    private Map<String, Relationship> committed(String party) {
        Map<String, Relationship> m = cache.get(party);
        if (m != null) return m;
        m = new HashMap<>();
        try {
            PreparedStatement ps = ps("SELECT " + Rows.RELATIONSHIP_COLUMNS + " FROM relationships WHERE party = ?");
            ps.setString(1, party);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Relationship r = Rows.relationship(rs);
                    m.put(r.brand(), r);
                }
            }
        } catch (SQLException e) {
            throw new StoreFailure("reading relationships of " + party, e);
        }
        cache.put(party, m);
        return m;
    }

    @Override
    public void putRelationship(Relationship r) {
        overlay.computeIfAbsent(r.party(), k -> new HashMap<>()).put(r.brand(), Optional.of(r));
        update("INSERT INTO relationships (" + Rows.RELATIONSHIP_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                + "ON CONFLICT (party, brand) DO UPDATE SET as_of = excluded.as_of, needs_met = excluded.needs_met, "
                + "needs_failed = excluded.needs_failed, ease_good = excluded.ease_good, ease_bad = excluded.ease_bad, "
                + "delight = excluded.delight, brand_gives = excluded.brand_gives, "
                + "consumer_gives = excluded.consumer_gives, association = excluded.association, "
                + "events = excluded.events, money = excluded.money, first_seen = excluded.first_seen",
                ps -> Rows.bind(ps, r));
    }

    @Override
    public void removeRelationship(String party, String brand) {
        overlay.computeIfAbsent(party, k -> new HashMap<>()).put(brand, Optional.empty());
        update("DELETE FROM relationships WHERE party = ? AND brand = ?", ps -> {
            ps.setString(1, party);
            ps.setString(2, brand);
        });
    }

    // ---- identities

    @Override
    public Optional<String> profileOf(Identity identity) {
        return queryOne("SELECT profile FROM identities WHERE identity = ?", identity.key());
    }

    @Override
    public List<Identity> identitiesOf(String profile) {
        List<Identity> out = new ArrayList<>();
        try {
            PreparedStatement ps = ps("SELECT identity FROM identities WHERE profile = ? ORDER BY first_seq, identity");
            ps.setString(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(Identity.parseKey(rs.getString(1)));
            }
        } catch (SQLException e) {
            throw new StoreFailure("reading identities of " + profile, e);
        }
        return out;
    }

    @Override
    public void link(Identity identity, String profile, long seq) {
        update("INSERT INTO identities (identity, profile, first_seq) VALUES (?, ?, ?) "
                + "ON CONFLICT (identity) DO UPDATE SET profile = excluded.profile", ps -> {
                    ps.setString(1, identity.key());
                    ps.setString(2, profile);
                    ps.setLong(3, seq);
                });
    }

    // ---- log and profiles

    @Override
    public boolean seen(String messageId) {
        return queryOne("SELECT 1 FROM events WHERE message_id = ?", messageId).isPresent();
    }

    @Override
    public long append(LoggedEvent e) {
        try {
            PreparedStatement ps = ps("INSERT INTO events (message_id, type, name, profile, event_time, received_at, "
                    + "brand, channel, purpose, scored, body) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
            ps.setString(1, e.messageId());
            ps.setString(2, e.type());
            ps.setString(3, e.name());
            ps.setString(4, e.profile());
            ps.setLong(5, e.eventTime().toEpochMilli());
            ps.setLong(6, e.receivedAt().toEpochMilli());
            ps.setString(7, e.brand());
            ps.setString(8, e.channel());
            ps.setString(9, e.purpose());
            ps.setInt(10, e.scored() ? 1 : 0);
            ps.setString(11, e.body());
            ps.executeUpdate();
            try (ResultSet rs = ps("SELECT last_insert_rowid()").executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException ex) {
            throw new StoreFailure("appending " + e.messageId() + " to the log", ex);
        }
    }

    @Override
    public void createProfile(String profile, Instant at) {
        update("INSERT INTO profiles (id, traits, first_seen, last_seen, events) VALUES (?, '{}', ?, ?, 0)", ps -> {
            ps.setString(1, profile);
            ps.setLong(2, at.toEpochMilli());
            ps.setLong(3, at.toEpochMilli());
        });
    }

    @Override
    public void touchProfile(String profile, Instant t, boolean countEvent) {
        update("UPDATE profiles SET first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?), "
                + "events = events + ? WHERE id = ?", ps -> {
                    ps.setLong(1, t.toEpochMilli());
                    ps.setLong(2, t.toEpochMilli());
                    ps.setInt(3, countEvent ? 1 : 0);
                    ps.setString(4, profile);
                });
    }

    @Override
    public void mergeTraits(String profile, Map<String, Object> traits) {
        Map<String, Object> merged = new java.util.TreeMap<>(
                Rows.map(queryOne("SELECT traits FROM profiles WHERE id = ?", profile).orElse("{}")));
        merged.putAll(traits);
        update("UPDATE profiles SET traits = ? WHERE id = ?", ps -> {
            ps.setString(1, Rows.json(merged));
            ps.setString(2, profile);
        });
    }

    @Override
    public void absorbProfile(String survivor, String absorbed) {
        Map<String, Object> traits = new java.util.TreeMap<>(
                Rows.map(queryOne("SELECT traits FROM profiles WHERE id = ?", absorbed).orElse("{}")));
        traits.putAll(Rows.map(queryOne("SELECT traits FROM profiles WHERE id = ?", survivor).orElse("{}")));
        update("UPDATE profiles SET traits = ?, "
                + "first_seen = MIN(first_seen, (SELECT first_seen FROM profiles WHERE id = ?)), "
                + "last_seen = MAX(last_seen, (SELECT last_seen FROM profiles WHERE id = ?)), "
                + "events = events + (SELECT events FROM profiles WHERE id = ?) WHERE id = ?", ps -> {
                    ps.setString(1, Rows.json(traits));
                    ps.setString(2, absorbed);
                    ps.setString(3, absorbed);
                    ps.setString(4, absorbed);
                    ps.setString(5, survivor);
                });
        for (String table : List.of("UPDATE identities SET profile = ? WHERE profile = ?",
                "UPDATE events SET profile = ? WHERE profile = ?",
                "UPDATE ledger SET party = ? WHERE party = ?",
                "UPDATE merges SET survivor = ? WHERE survivor = ?")) {
            update(table, ps -> {
                ps.setString(1, survivor);
                ps.setString(2, absorbed);
            });
        }
        update("DELETE FROM profiles WHERE id = ?", ps -> ps.setString(1, absorbed));
        cache.remove(absorbed);
    }

    @Override
    public void recordMerge(long seq, String survivor, String absorbed, boolean merged, String reason, Instant at) {
        update("INSERT INTO merges (event_seq, survivor, absorbed, merged, reason, at) VALUES (?,?,?,?,?,?)", ps -> {
            ps.setLong(1, seq);
            ps.setString(2, survivor);
            ps.setString(3, absorbed);
            ps.setInt(4, merged ? 1 : 0);
            ps.setString(5, reason);
            ps.setLong(6, at.toEpochMilli());
        });
    }

    @Override
    public void addLedger(LedgerEntry e, Relationship after) {
        update("INSERT INTO ledger (party, brand, time, event_id, kind, experience_before, experience_after, "
                + "fusion_before, fusion_after, faded, cause, contributions, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ps -> {
                    ps.setString(1, e.party());
                    ps.setString(2, e.brand());
                    ps.setLong(3, e.time().toEpochMilli());
                    ps.setString(4, e.eventId());
                    ps.setString(5, e.kind().label());
                    ps.setDouble(6, e.experienceBefore());
                    ps.setDouble(7, e.experienceAfter());
                    ps.setDouble(8, e.fusionBefore());
                    ps.setDouble(9, e.fusionAfter());
                    ps.setDouble(10, e.faded());
                    ps.setString(11, e.cause());
                    ps.setString(12, Rows.contributions(e.contributions()));
                    ps.setString(13, Rows.state(after));
                });
    }

    @Override
    public void upsertBrand(String id, String name, boolean competitor, boolean declared, long seq) {
        if (declared) {
            update("INSERT INTO brands (id, name, competitor, first_seq) VALUES (?,?,?,?) "
                    + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, competitor = excluded.competitor", ps -> {
                        ps.setString(1, id);
                        ps.setString(2, name);
                        ps.setInt(3, competitor ? 1 : 0);
                        ps.setLong(4, seq);
                    });
        } else {
            update("INSERT INTO brands (id, name, competitor, first_seq) VALUES (?,?,?,?) "
                    + "ON CONFLICT (id) DO UPDATE SET competitor = MAX(competitor, excluded.competitor)", ps -> {
                        ps.setString(1, id);
                        ps.setString(2, name);
                        ps.setInt(3, competitor ? 1 : 0);
                        ps.setLong(4, seq);
                    });
        }
    }

    @Override
    public void countUnknownEvent(String name, Instant at) {
        update("INSERT INTO unknown_events (name, count, last_seen) VALUES (?, 1, ?) "
                + "ON CONFLICT (name) DO UPDATE SET count = count + 1, last_seen = MAX(last_seen, excluded.last_seen)",
                ps -> {
                    ps.setString(1, name);
                    ps.setLong(2, at.toEpochMilli());
                });
    }

    // ---- plumbing

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        try {
            PreparedStatement ps = ps(sql);
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreFailure("writing: " + sql.substring(0, Math.min(60, sql.length())), e);
        }
    }

    private Optional<String> queryOne(String sql, String arg) {
        try {
            PreparedStatement ps = ps(sql);
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreFailure("reading: " + sql.substring(0, Math.min(60, sql.length())), e);
        }
    }
}
