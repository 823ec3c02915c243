package fusion.store.sql;

import fusion.core.segment.SegmentCall;
import fusion.store.Erasure;
import fusion.store.LogCodec;
import fusion.store.Pipeline;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Erases a person inside the writer's transaction: their events leave the log (their messageIds
 * are kept only as SHA-256 digests, so a re-sent copy is refused as a duplicate), then every
 * derived table is rebuilt from what remains, through the same pipeline as live ingest. The
 * result is therefore exactly a replay of the log without them, sequence numbers included, and
 * nothing derived from their events (relationships, brand aggregates, co-party associations,
 * merges) survives. The cost is one replay of the log per erasure, reported with progress, unless
 * the person's events reached no one else: then {@link TargetedErasure} deletes their rows and
 * leaves gaps in the numbering, which gives the same tables (sequence numbers compared by rank,
 * {@link Digests}) without replaying anything.
 */
final class Eraser {
    private static final int PAGE = 1_000;
    /** Tables emptied and rebuilt; the log is emptied and refilled from {@code fusion_keep}. */
    private static final List<String> DERIVED = List.of(
            "identities",
            "profiles",
            "merges",
            "brands",
            "relationships",
            "ledger",
            "unknown_events",
            "consents",
            "profile_index",
            "profile_index_recent",
            "pair_index",
            "pair_index_recent",
            "index_runs",
            "index_marks",
            "events");

    private Eraser() {}

    static Erasure erase(
            Writer w, Pipeline pipeline, String profile, String actor, Instant now, ErasureProgress progress)
            throws SQLException {
        long start = System.nanoTime();
        Connection c = w.connection();
        long identities = count(c, "SELECT COUNT(*) FROM identities WHERE profile = ?", profile);
        List<String> names = namesOf(c, profile);
        List<String> erasedIds = rememberErased(c, profile, names);
        if (TargetedErasure.tryErase(w, profile, names)) {
            progress.note(String.format(
                    java.util.Locale.ROOT,
                    "erase: removed %,d events and %,d identities; their "
                            + "events reached no one else, so nothing was rebuilt",
                    erasedIds.size(),
                    identities));
            return finish(w, profile, actor, now, start, erasedIds.size(), identities, names);
        }
        long kept;
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS fusion_keep");
            try (PreparedStatement ps = c.prepareStatement(
                    "CREATE TEMPORARY TABLE fusion_keep AS SELECT seq, body FROM events WHERE profile <> ?")) {
                ps.setString(1, profile);
                ps.executeUpdate();
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM fusion_keep")) {
                rs.next();
                kept = rs.getLong(1);
            }
            for (String t : DERIVED) s.executeUpdate("DELETE FROM " + t);
        }
        w.restartEmpty();
        progress.removed(erasedIds.size(), identities, kept);
        long after = 0, done = 0;
        while (true) {
            List<SegmentCall> calls = new ArrayList<>(PAGE);
            List<String> records = new ArrayList<>(PAGE);
            try (PreparedStatement ps = w.connection()
                    .prepareStatement("SELECT seq, body FROM fusion_keep WHERE seq > ? ORDER BY seq LIMIT " + PAGE)) {
                ps.setLong(1, after);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        after = rs.getLong(1);
                        String body = rs.getString(2);
                        records.add(body);
                        calls.add(LogCodec.decode(body));
                    }
                }
            }
            if (calls.isEmpty()) break;
            pipeline.apply(w, calls, records);
            done += calls.size();
            progress.rebuilt(done);
        }
        try (Statement s = w.connection().createStatement()) {
            s.execute("DROP TABLE fusion_keep");
        }
        return finish(w, profile, actor, now, start, erasedIds.size(), identities, names);
    }

    /**
     * The person's messageIds, read before their rows go, kept as digests with their names' so
     * that a resent call or a later mention of them is recognised.
     */
    private static List<String> rememberErased(Connection c, String profile, java.util.Collection<String> names)
            throws SQLException {
        List<String> erasedIds = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT message_id FROM events WHERE seq IN " + SortedRuns.EVENTS_OF)) {
            ps.setString(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) erasedIds.add(rs.getString(1));
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO erased_messages (digest) VALUES (?) ON CONFLICT (digest) DO NOTHING")) {
            for (String id : erasedIds) {
                ps.setString(1, digest(id));
                ps.addBatch();
            }
            for (String name : names) {
                ps.setString(1, identityDigest(name));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return erasedIds;
    }

    /**
     * A cluster's erasure, in the sink's transaction (docs/SCALE-OUT.md "Erasure in a cluster"):
     * the person's own rows go ({@link TargetedErasure#deleteRows}), their messageIds and names
     * are kept as digests, and the rest is as {@link #erase}'s end. Nothing is rebuilt: the job
     * decides what the tables hold, and it has already dropped the person from its state.
     * {@code knownNames} are the names the job knew the person by (added to those the tables show).
     */
    static Erasure eraseOwnRows(
            Writer w, String profile, java.util.Collection<String> knownNames, String actor, Instant now)
            throws SQLException {
        long start = System.nanoTime();
        Connection c = w.connection();
        long identities = count(c, "SELECT COUNT(*) FROM identities WHERE profile = ?", profile);
        java.util.Set<String> names = new java.util.LinkedHashSet<>(namesOf(c, profile));
        names.addAll(knownNames);
        List<String> erasedIds = rememberErased(c, profile, names);
        TargetedErasure.deleteRows(c, profile);
        // the writer's caches may hold the deleted rows; the sink sets the next event number per change
        w.restartAt(TargetedErasure.max(c, "events") + 1, TargetedErasure.max(c, "ledger") + 1);
        return finish(w, profile, actor, now, start, erasedIds.size(), identities, new ArrayList<>(names));
    }

    /**
     * The erasure's own record, and the person's decisions, deliveries, audience rows, pending
     * exports and audit subjects.
     */
    private static Erasure finish(
            Writer w,
            String profile,
            String actor,
            Instant now,
            long start,
            long events,
            long identities,
            List<String> names)
            throws SQLException {
        Connection wc = w.connection();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long id;
        try (PreparedStatement ps = wc.prepareStatement(
                "INSERT INTO erasures (at, actor, events, identities, millis) VALUES (?,?,?,?,?)")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setString(2, actor);
            ps.setLong(3, events);
            ps.setLong(4, identities);
            ps.setLong(5, millis);
            ps.executeUpdate();
        }
        try (Statement s = wc.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(id) FROM erasures")) {
            rs.next();
            id = rs.getLong(1); // the writer holds the only write path here, so the newest row is ours
        }
        for (String table : List.of("decisions", "deliveries")) {
            try (PreparedStatement ps = wc.prepareStatement("DELETE FROM " + table + " WHERE profile = ?")) {
                ps.setString(1, profile);
                ps.executeUpdate();
            }
        }
        // audiences: memberships, entered/left changes and whatever is still to be exported, under
        // every name the person went by (a merged-away profile may have left an audience)
        for (String table : List.of("audience_members", "audience_changes", "activation_outbox")) {
            try (PreparedStatement ps = wc.prepareStatement("DELETE FROM " + table + " WHERE profile = ?")) {
                for (String name : names) {
                    ps.setString(1, name);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        // PostgreSQL: the audit log's appends wait until this commits (AuditTable); on SQLite the table
        // here is empty (the log is in audit.db, redacted once this commits)
        AuditTable.holdForRedaction(wc, w.dialect());
        try (PreparedStatement ps = wc.prepareStatement("UPDATE audit SET subject = ? WHERE subject = ?")) {
            for (String name : names) { // a refused attempt names whichever id the caller used
                ps.setString(1, "erased #" + id);
                ps.setString(2, name);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return new Erasure(id, now, actor, events, identities, millis);
    }

    static List<Erasure> list(Connection c) throws SQLException {
        List<Erasure> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT id, at, actor, events, identities, millis FROM erasures ORDER BY id")) {
            while (rs.next()) {
                out.add(new Erasure(
                        rs.getLong(1),
                        Instant.ofEpochMilli(rs.getLong(2)),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6)));
            }
        }
        return out;
    }

    /**
     * Every name the person went by: the profile id, each identity's value, and the ids of the
     * profiles merged into theirs. The audit log is redacted under each, and each is kept as an
     * {@link #identityDigest} so that no later event can name them again as a co-party.
     */
    static List<String> namesOf(Connection c, String profile) throws SQLException {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        names.add(profile);
        try (PreparedStatement ps = c.prepareStatement("SELECT identity FROM identities WHERE profile = ?")) {
            ps.setString(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    names.add(fusion.core.identity.Identity.parseKey(rs.getString(1))
                            .value());
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT absorbed FROM merges WHERE survivor = ? AND merged = 1")) {
            ps.setString(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
        }
        return new ArrayList<>(names);
    }

    /** Which of {@code names} belong to an erased person, read on {@code c}. */
    static java.util.Set<String> erasedNames(Connection c, java.util.Collection<String> names) throws SQLException {
        java.util.Map<String, String> byDigest = new java.util.HashMap<>();
        for (String n : names) byDigest.put(identityDigest(n), n);
        java.util.Set<String> found = new java.util.HashSet<>();
        if (byDigest.isEmpty()) return found;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT digest FROM erased_messages WHERE digest IN (" + "?,".repeat(byDigest.size() - 1) + "?)")) {
            int i = 1;
            for (String d : byDigest.keySet()) ps.setString(i++, d);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(byDigest.get(rs.getString(1)));
            }
        }
        return found;
    }

    /** The digest an erased identity is kept under, apart from messageIds' digests by its prefix. */
    static String identityDigest(String id) {
        return digest("\u0000identity\u0000" + id);
    }

    static String digest(String messageId) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(messageId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Connection c, String sql, Object arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
