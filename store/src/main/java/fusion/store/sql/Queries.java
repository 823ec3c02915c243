package fusion.store.sql;

import fusion.core.engine.Engine;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.core.engine.Score;
import fusion.store.BrandSummary;
import fusion.store.BrandView;
import fusion.store.LedgerView;
import fusion.store.ProfileSummary;
import fusion.store.ProfileView;
import fusion.store.RelationshipView;
import fusion.store.TimelineItem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The read side: every query behind the API, on a read connection (WAL lets them run during writes).
 *
 * <p>The reads of one person (profile, relationships, ledger, timeline) run through {@link
 * #prepared}: statements kept in {@code statements}, which the store keeps per connection on
 * SQLite, where every {@code prepareStatement} compiles the SQL anew (a sixth of a profile read's
 * CPU, bench/results/read-cpu-2026-12-06b.txt). A kept statement is only ever used with its
 * result set closed by try-with-resources: closing it resets the statement, so no kept
 * statement holds a read snapshot between reads (one would stop checkpoints from emptying the WAL).
 */
final class Queries {
    private final Connection c;
    private final Engine engine;
    private final Map<String, PreparedStatement> statements;
    /** The sorted indexes' newest entries, which the writer keeps in memory (SQLite; {@link RecentEntries}). */
    private final RecentEntries profileMemory;

    private final RecentEntries pairMemory;

    /** The ledger's newest rows as the writer inserted them (SQLite; {@link LedgerRing}). */
    private final LedgerRing ledgerRows;

    /** SQLite: relationship states committed but not yet in their table ({@link SnapshotOverlay}); null: the table holds all. */
    private final SnapshotOverlay<Relationship> published;

    /** With {@link #published}: the profiles' activity committed but not yet in its table ({@link ProfileActivity}). */
    private final SnapshotOverlay<ProfileActivity.Activity> activity;

    private final Dialect dialect;

    /**
     * Reads of a database no writer of this process keeps index entries in memory for (the tables
     * hold them all). {@code statements}: the connection's kept statements by their SQL, used by
     * one thread at a time.
     */
    Queries(Connection c, Engine engine, Map<String, PreparedStatement> statements) {
        this(
                c,
                engine,
                statements,
                new RecentEntries(false),
                new RecentEntries(true),
                new LedgerRing(0),
                null,
                null,
                Dialect.SQLITE);
    }

    /**
     * {@code dialect}: on PostgreSQL, where every statement is a round trip to the server, a
     * party's relationships come with their ledgers in one statement ({@link #relationships}).
     */
    Queries(
            Connection c,
            Engine engine,
            Map<String, PreparedStatement> statements,
            RecentEntries profileMemory,
            RecentEntries pairMemory,
            LedgerRing ledgerRows,
            SnapshotOverlay<Relationship> published,
            SnapshotOverlay<ProfileActivity.Activity> activity,
            Dialect dialect) {
        this.ledgerRows = ledgerRows;
        this.c = c;
        this.engine = engine;
        this.statements = statements;
        this.profileMemory = profileMemory;
        this.pairMemory = pairMemory;
        this.published = published;
        this.activity = activity;
        this.dialect = dialect;
    }

    /** The kept statement for {@code sql}, prepared on first use; the caller leaves it open. */
    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /** Seqs as the parameter of {@link #IN_LIST}: a JSON array. */
    static String seqList(long[] seqs) {
        StringBuilder b = new StringBuilder(seqs.length * 8).append('[');
        for (int i = 0; i < seqs.length; i++) b.append(i > 0 ? "," : "").append(seqs[i]);
        return b.append(']').toString();
    }

    /**
     * The seqs of {@link #seqList} as rows, for {@code seq IN (...)}. Only SQLite keeps entries in
     * memory, so only its JSON functions are needed.
     */
    static final String IN_LIST = "(SELECT value FROM json_each(?))";

    /*
     * Rows the writer keeps index entries of in memory, fetched by seq and matched by owner. The
     * owner's columns carry a unary plus, so that SQLite never takes them for an index: with
     * {@code brand = ?} it chose ledger_brand and read every ledger row of the brand, 100 ms and
     * more a profile read on a store of 3 million events (SortedRunsTest.aReadSeeksEachRun).
     */
    static final String LEDGER_BY_SEQS;
    static final String TIMELINE_BY_SEQS;
    static final String EVENTS_BY_SEQS;

    Connection connection() {
        return c;
    }

    Optional<String> resolve(String id) throws SQLException {
        Optional<String> direct = one("SELECT id FROM profiles WHERE id = ?", id);
        if (direct.isPresent()) return direct;
        Optional<String> user = one("SELECT profile FROM identities WHERE identity = ?", "user:" + id);
        return user.isPresent() ? user : one("SELECT profile FROM identities WHERE identity = ?", "anon:" + id);
    }

    /**
     * PostgreSQL: a profile with its identities and merges in one statement, the id resolved as
     * {@link #resolve} does (the profile id, else the user id, else the anonymous id), instead of
     * four to six statements, each a round trip (bench/results/read-tail-2026-12-06c.txt). The
     * lists come as JSON arrays in the order the separate statements read them.
     */
    private static final String PROFILE_WITH_LISTS = "SELECT pr.id, pr.traits, pr.first_seen, pr.last_seen, pr.events, "
            + "(SELECT json_agg(i.identity ORDER BY i.first_seq, i.identity) FROM identities i WHERE i.profile = pr.id), "
            + "(SELECT json_agg(json_build_array(m.absorbed, m.merged, m.reason, m.at, m.event_seq) ORDER BY m.event_seq) "
            + "FROM merges m WHERE m.survivor = pr.id) "
            + "FROM profiles pr WHERE pr.id = COALESCE((SELECT id FROM profiles WHERE id = ?), "
            + "(SELECT profile FROM identities WHERE identity = ?), (SELECT profile FROM identities WHERE identity = ?))";

    private Optional<ProfileView> profileWithLists(String id) throws SQLException {
        PreparedStatement ps = prepared(PROFILE_WITH_LISTS);
        ps.setString(1, id);
        ps.setString(2, "user:" + id);
        ps.setString(3, "anon:" + id);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            List<String> identities = new ArrayList<>();
            for (var n : jsonArray(rs.getString(6))) identities.add(n.textValue());
            List<ProfileView.MergeView> merges = new ArrayList<>();
            for (var m : jsonArray(rs.getString(7))) {
                merges.add(new ProfileView.MergeView(
                        m.get(0).textValue(),
                        m.get(1).asLong() == 1,
                        m.get(2).textValue(),
                        Instant.ofEpochMilli(m.get(3).asLong()),
                        m.get(4).asLong()));
            }
            return Optional.of(new ProfileView(
                    rs.getString(1),
                    identities,
                    Rows.map(rs.getString(2)),
                    Instant.ofEpochMilli(rs.getLong(3)),
                    Instant.ofEpochMilli(rs.getLong(4)),
                    rs.getLong(5),
                    merges));
        }
    }

    /** A JSON array column ({@code json_agg}), empty for SQL NULL (no rows). */
    private static com.fasterxml.jackson.databind.JsonNode jsonArray(String json) {
        if (json == null) return Rows.JSON.createArrayNode();
        try {
            return Rows.JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON aggregate: " + e.getOriginalMessage(), e);
        }
    }

    Optional<ProfileView> profile(String id) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) return profileWithLists(id);
        Optional<String> pid = resolve(id);
        if (pid.isEmpty()) return Optional.empty();
        String p = pid.get();
        List<String> identities =
                strings("SELECT identity FROM identities WHERE profile = ? ORDER BY first_seq, identity", p);
        List<ProfileView.MergeView> merges = new ArrayList<>();
        {
            PreparedStatement ps = prepared(
                    "SELECT absorbed, merged, reason, at, event_seq FROM merges WHERE survivor = ? ORDER BY event_seq");
            ps.setString(1, p);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    merges.add(new ProfileView.MergeView(
                            rs.getString(1),
                            rs.getInt(2) == 1,
                            rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)),
                            rs.getLong(5)));
                }
            }
        }
        return SnapshotRead.run(activity, null, s -> {
            // the snapshot's newest log row comes with the row: the activity waiting as of it is laid over the
            // table's
            PreparedStatement ps = prepared("SELECT traits, first_seen, last_seen, events, "
                    + "(SELECT MAX(seq) FROM events) FROM profiles WHERE id = ?");
            ps.setString(1, p);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                ProfileActivity.Activity a =
                        new ProfileActivity.Activity(p, rs.getLong(2), rs.getLong(3), rs.getLong(4));
                if (activity != null) {
                    ProfileActivity.Activity waiting =
                            s.checked(activity.asOf(p, rs.getLong(5)).get(ProfileActivity.KEY));
                    if (waiting != null) a = waiting;
                }
                return Optional.of(new ProfileView(
                        p,
                        identities,
                        Rows.map(rs.getString(1)),
                        Instant.ofEpochMilli(a.first()),
                        Instant.ofEpochMilli(a.last()),
                        a.events(),
                        merges));
            }
        });
    }

    /**
     * The activity waiting in memory as a read whose snapshot holds log rows up to {@code m} sees
     * it, profile to state ({@link SnapshotRead#checked}). Copied, so that the caller may stream
     * rows after it.
     */
    private Map<String, ProfileActivity.Activity> waitingActivity(long m, SnapshotRead s) {
        Map<String, ProfileActivity.Activity> out = new HashMap<>();
        activity.allAsOf(m).forEach((profile, states) -> {
            ProfileActivity.Activity a = states.get(ProfileActivity.KEY);
            if (a != null) out.put(profile, a);
        });
        return s.checked(out);
    }

    List<RelationshipView> relationships(String profile, Instant at, int ledgerEntries) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) return relationshipsWithLedgers(profile, at, ledgerEntries);
        Map<String, Boolean> competitor = competitors();
        return SnapshotRead.run(published, pairMemory, s -> {
            // the snapshot's newest log row; the statement stays open until the ledgers are read,
            // so that every statement of this read sees one read snapshot (SQLite)
            try (ResultSet newest = prepared(NEWEST_ROWS).executeQuery()) {
                newest.next();
                long m = newest.getLong(1);
                long newestEntry = newest.getLong(2);
                List<Relationship> states = new ArrayList<>();
                PreparedStatement ps = prepared("SELECT " + Rows.RELATIONSHIP_COLUMNS
                        + " FROM relationships WHERE party = ? ORDER BY events DESC, brand");
                ps.setString(1, profile);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) states.add(Rows.relationship(rs));
                }
                Map<String, Relationship> waiting =
                        s.checked(published == null ? Map.<String, Relationship>of() : published.asOf(profile, m));
                if (!waiting.isEmpty()) states = overlaid(states, waiting);
                // the entries of commits this snapshot holds, not of those published for the next
                var memory = s.memory();
                java.util.function.Function<Object, long[]> entries = key -> memory.seqsOf(key, newestEntry);
                List<RelationshipView> out = new ArrayList<>(states.size());
                for (Relationship r : states) {
                    out.add(view(
                            r,
                            at,
                            competitor.getOrDefault(r.brand(), false),
                            r.associationOnly()
                                    ? List.of()
                                    : ledger(profile, r.brand(), ledgerEntries, entries, newestEntry)));
                }
                return out;
            }
        });
    }

    /**
     * The newest log row and the newest ledger row a read snapshot holds: they say which waiting
     * relationship states, and which index entries in memory, belong to it.
     */
    static final String NEWEST_ROWS = "SELECT (SELECT MAX(seq) FROM events), (SELECT MAX(seq) FROM ledger)";

    /**
     * A party's relationships from the table with the states waiting in memory laid over them (a
     * null state: the pair was removed), in the table's order: most events first, then brand in
     * the order of its code points (SQLite's binary collation of UTF-8).
     */
    private static List<Relationship> overlaid(List<Relationship> table, Map<String, Relationship> waiting) {
        Map<String, Relationship> byBrand = new HashMap<>();
        for (Relationship r : table) byBrand.put(r.brand(), r);
        waiting.forEach((brand, r) -> {
            if (r == null) byBrand.remove(brand);
            else byBrand.put(brand, r);
        });
        List<Relationship> out = new ArrayList<>(byBrand.values());
        out.sort(java.util.Comparator.comparingLong(Relationship::events)
                .reversed()
                .thenComparing(Relationship::brand, Queries::byCodePoints));
        return out;
    }

    /** Compares as SQLite's binary collation compares UTF-8: by code point. */
    static int byCodePoints(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i), y = b.codePointAt(j);
            if (x != y) return Integer.compare(x, y);
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * PostgreSQL: a party's relationships, their brands' competitor flags and each pair's newest
     * {@code limit} ledger entries in one statement, one row per entry (or per relationship
     * without one), instead of one statement for the brands, one for the relationships and one
     * per pair: each was a round trip to the server, about 1 ms apiece on a loaded machine
     * (bench/results/read-tail-2026-12-06c.txt). The same rows, in the same order, as {@link
     * #ledger} reads for each pair; SQLite, in process, keeps the statements apart, since its
     * newest entries are in the writer's memory.
     */
    private static final String RELATIONSHIPS_WITH_LEDGERS = "SELECT r."
            + Rows.RELATIONSHIP_COLUMNS.replace(", ", ", r.")
            + ", b.competitor, x.seq, x.party, x.brand, x.time, x.event_id, x.kind, x.experience_before, "
            + "x.experience_after, x.fusion_before, x.fusion_after, x.faded, x.note, x.contributions "
            + "FROM relationships r LEFT JOIN brands b ON b.id = r.brand "
            + "LEFT JOIN LATERAL (SELECT l.* FROM (SELECT p.seq FROM pair_seqs p WHERE p.party = r.party "
            + "AND p.brand = r.brand ORDER BY p.seq DESC LIMIT ?) s JOIN ledger l ON l.seq = s.seq) x "
            + "ON r.events > 0 WHERE r.party = ? ORDER BY r.events DESC, r.brand, x.seq DESC";

    /** Columns before the ledger entry's in {@link #RELATIONSHIPS_WITH_LEDGERS}: the relationship's 14 and the flag. */
    private static final int BEFORE_ENTRY = 15;

    private List<RelationshipView> relationshipsWithLedgers(String profile, Instant at, int limit) throws SQLException {
        List<RelationshipView> out = new ArrayList<>();
        PreparedStatement ps = prepared(RELATIONSHIPS_WITH_LEDGERS);
        ps.setInt(1, limit);
        ps.setString(2, profile);
        Relationship r = null;
        boolean competitor = false;
        List<LedgerView> ledger = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (r == null || !r.brand().equals(rs.getString(2))) {
                    if (r != null) out.add(view(r, at, competitor, r.associationOnly() ? List.of() : ledger));
                    r = Rows.relationship(rs);
                    competitor = rs.getInt(BEFORE_ENTRY) == 1;
                    ledger = new ArrayList<>();
                }
                rs.getLong(BEFORE_ENTRY + 1);
                if (!rs.wasNull()) ledger.add(ledgerRow(rs, BEFORE_ENTRY));
            }
        }
        if (r != null) out.add(view(r, at, competitor, r.associationOnly() ? List.of() : ledger));
        return out;
    }

    private RelationshipView view(Relationship r, Instant at, boolean competitor, List<LedgerView> ledger) {
        Instant when = at.isBefore(r.asOf()) ? r.asOf() : at;
        Score s = engine.score(r, when);
        return new RelationshipView(
                r.party(),
                r.brand(),
                competitor,
                when,
                s.experience(),
                s.fusion(),
                s.brandSide(),
                s.consumerSide(),
                s.association(),
                r.events(),
                r.money(),
                r.firstSeen(),
                r.asOf(),
                r.associationOnly(),
                ledger);
    }

    private static final String LEDGER_COLUMNS = "SELECT seq, party, brand, time, event_id, kind, "
            + "experience_before, experience_after, fusion_before, fusion_after, faded, note, contributions FROM ledger ";

    /**
     * A pair's newest {@code limit} ledger entries, newest first: those the writer keeps in memory
     * (asked first, so none is missed if they reach the tables meanwhile) and the tables'.
     */
    List<LedgerView> ledger(String party, String brand, int limit) throws SQLException {
        // not from the ring: the memory asked here may hold seqs of a commit not yet done, whose
        // rows the table does not show this read, and the ring would
        return ledger(party, brand, limit, pairMemory.snapshot(), 0);
    }

    /**
     * {@code ringThrough}: the newest ledger row the read's SQL snapshot holds, up to which rows
     * may come from the writer's ring ({@link LedgerRing}); 0, none.
     */
    private List<LedgerView> ledger(
            String party, String brand, int limit, java.util.function.Function<Object, long[]> memory, long ringThrough)
            throws SQLException {
        if (limit <= 0) return List.of(); // the relationships of audiences, privacy and checks ask for none
        long[] newest = memory.apply(RecentEntries.pair(party, brand));
        boolean ring = ringThrough > 0 && ledgerRows.holdsRows();
        List<LedgerView> out = new ArrayList<>();
        if (newest.length > 0) {
            long[] wanted = java.util.Arrays.copyOfRange(newest, Math.max(0, newest.length - limit), newest.length);
            rowsBySeq(wanted, party, brand, ring ? ringThrough : 0, out);
        }
        // the entries in memory are the pair's newest (every seq in the tables is older): when they
        // gave the whole limit, the tables cannot add one (a read under ingest finds their pages
        // dropped from its cache by every commit, docs/STORAGE.md "Profile reads")
        if (out.size() < limit && ring) {
            // the index's seqs alone, then each row from the ring or, if it has gone from there, the table
            PreparedStatement ps =
                    prepared("SELECT seq FROM pair_seqs WHERE party = ? AND brand = ? ORDER BY seq DESC LIMIT ?");
            ps.setString(1, party);
            ps.setString(2, brand);
            ps.setInt(3, limit);
            // grown as rows come, not sized by the limit: a caller of the store may ask for any
            long[] seqs = new long[Math.min(limit, 16)];
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == seqs.length) seqs = java.util.Arrays.copyOf(seqs, n * 2);
                    seqs[n++] = rs.getLong(1);
                }
            }
            rowsBySeq(java.util.Arrays.copyOf(seqs, n), party, brand, ringThrough, out);
        } else if (out.size() < limit) {
            PreparedStatement ps = prepared(LEDGER_COLUMNS
                    + "WHERE seq IN (SELECT seq FROM pair_seqs WHERE party = ? AND brand = ? "
                    + "ORDER BY seq DESC LIMIT ?) ORDER BY seq DESC");
            ps.setString(1, party);
            ps.setString(2, brand);
            ps.setInt(3, limit);
            ledgerRows(ps, out);
        }
        if (newest.length == 0 && !ring) return out;
        Map<Long, LedgerView> bySeq = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        for (LedgerView v : out) bySeq.putIfAbsent(v.seq(), v);
        return bySeq.values().stream().limit(limit).toList();
    }

    /**
     * The rows of {@code seqs} that are {@code party}'s with {@code brand}: from the ring those up to
     * {@code ringThrough}, the rest from the table (by owner too: a seq of a commit that failed may
     * be given again to another pair's row).
     */
    private void rowsBySeq(long[] seqs, String party, String brand, long ringThrough, List<LedgerView> out)
            throws SQLException {
        long[] missing = new long[seqs.length];
        int m = 0;
        for (long seq : seqs) {
            LedgerEntry e = seq <= ringThrough ? ledgerRows.get(seq, party, brand) : null;
            if (e != null) out.add(view(seq, e));
            else missing[m++] = seq;
        }
        if (m == 0) return;
        PreparedStatement ps = prepared(LEDGER_BY_SEQS);
        ps.setString(1, seqList(m == seqs.length ? seqs : java.util.Arrays.copyOf(missing, m)));
        ps.setString(2, party);
        ps.setString(3, brand);
        ledgerRows(ps, out);
    }

    private static void ledgerRows(PreparedStatement ps, List<LedgerView> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(ledgerRow(rs, 0));
        }
    }

    /** The ledger entry in the columns after the first {@code o}, in {@link #LEDGER_COLUMNS}' order. */
    private static LedgerView ledgerRow(ResultSet rs, int o) throws SQLException {
        LedgerEntry e = new LedgerEntry(
                rs.getString(o + 2),
                rs.getString(o + 3),
                Instant.ofEpochMilli(rs.getLong(o + 4)),
                rs.getString(o + 5),
                LedgerCodec.kind(rs.getInt(o + 6)),
                rs.getDouble(o + 7),
                rs.getDouble(o + 8),
                rs.getDouble(o + 9),
                rs.getDouble(o + 10),
                rs.getDouble(o + 11),
                LedgerCodec.contributions(rs.getBytes(o + 13)),
                rs.getString(o + 12));
        return view(rs.getLong(o + 1), e);
    }

    /** The view of ledger row {@code seq}, whose columns make {@code e}. */
    private static LedgerView view(long seq, LedgerEntry e) {
        return new LedgerView(
                seq,
                e.party(),
                e.brand(),
                e.time(),
                e.eventId(),
                e.kind().label(),
                e.experienceBefore(),
                e.experienceAfter(),
                e.fusionBefore(),
                e.fusionAfter(),
                e.cause());
    }

    private static final String TIMELINE_COLUMNS =
            "SELECT e.seq, e.message_id, e.type, e.name, e.event_time, e.brand, e.channel, e.purpose, e.scored ";

    static {
        LEDGER_BY_SEQS = LEDGER_COLUMNS + "WHERE seq IN " + IN_LIST + " AND +party = ? AND +brand = ?";
        TIMELINE_BY_SEQS = TIMELINE_COLUMNS + "FROM events e WHERE e.seq IN " + IN_LIST + " AND +e.profile = ?";
        EVENTS_BY_SEQS =
                "SELECT seq, body FROM events WHERE seq IN " + IN_LIST + " AND seq > ? AND +profile = ? ORDER BY seq";
    }

    /**
     * A person's newest {@code limit} events by time: those whose entries the writer keeps in
     * memory (asked first) and the tables'.
     */
    List<TimelineItem> timeline(String profile, int limit) throws SQLException {
        long[] newest = profileMemory.seqsOf(profile);
        List<TimelineItem> out = new ArrayList<>();
        if (newest.length > 0) {
            // by owner too: a seq of a commit that failed may be given again to another person's event
            PreparedStatement ps = prepared(TIMELINE_BY_SEQS);
            ps.setString(1, seqList(newest));
            ps.setString(2, profile);
            timelineRows(ps, out);
        }
        {
            PreparedStatement ps = prepared(TIMELINE_COLUMNS
                    + "FROM (SELECT seq, event_time FROM profile_seqs WHERE profile = ? "
                    + "ORDER BY event_time DESC, seq DESC LIMIT ?) i JOIN events e ON e.seq = i.seq "
                    + "ORDER BY i.event_time DESC, i.seq DESC");
            ps.setString(1, profile);
            ps.setInt(2, limit);
            timelineRows(ps, out);
        }
        if (newest.length == 0) return out;
        Map<Long, TimelineItem> bySeq = new HashMap<>();
        for (TimelineItem t : out) bySeq.putIfAbsent(t.seq(), t);
        return bySeq.values().stream()
                .sorted(java.util.Comparator.comparing(TimelineItem::time)
                        .thenComparingLong(TimelineItem::seq)
                        .reversed())
                .limit(limit)
                .toList();
    }

    private static void timelineRows(PreparedStatement ps, List<TimelineItem> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TimelineItem(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        Instant.ofEpochMilli(rs.getLong(5)),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getInt(9) == 1));
            }
        }
    }

    List<ProfileSummary> search(String query, int limit) throws SQLException {
        String like = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        String matching = "SELECT p.id, p.traits, p.events, p.last_seen FROM profiles p "
                + "WHERE (p.id LIKE ? ESCAPE '\\' OR p.traits LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM identities i "
                + "WHERE i.profile = p.id AND (i.identity LIKE ? ESCAPE '\\' OR i.identity LIKE ? ESCAPE '\\'))) ";
        String[] likes = {like + "%", "%" + like + "%", "user:" + like + "%", "anon:" + like + "%"};
        String byEvents = matching + "ORDER BY p.events DESC, p.id LIMIT ?";
        if (activity == null) return summaries(byEvents, likes, limit);
        return SnapshotRead.run(activity, null, s -> {
            // the statement stays open, so that the two below see its read snapshot (SQLite)
            try (ResultSet newest = prepared(NEWEST_ROWS).executeQuery()) {
                newest.next();
                Map<String, ProfileActivity.Activity> waiting = waitingActivity(newest.getLong(1), s);
                // waiting activity only adds events: the table's first and those waiting hold the first by the
                // newest count
                Map<String, ProfileSummary> found = new HashMap<>();
                for (ProfileSummary p : summaries(byEvents, likes, limit)) found.put(p.id(), p);
                if (!waiting.isEmpty()) {
                    String ids = Rows.json(new ArrayList<>(waiting.keySet()));
                    for (ProfileSummary p : summaries(matching + "AND p.id IN " + IN_LIST, likes, ids))
                        found.put(p.id(), p);
                }
                List<ProfileSummary> out = new ArrayList<>();
                for (ProfileSummary p : found.values()) out.add(withActivity(p, waiting.get(p.id())));
                out.sort(java.util.Comparator.comparingLong(ProfileSummary::events)
                        .reversed()
                        .thenComparing(ProfileSummary::id));
                return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
            }
        });
    }

    private static ProfileSummary withActivity(ProfileSummary p, ProfileActivity.Activity waiting) {
        return waiting == null
                ? p
                : new ProfileSummary(p.id(), p.name(), waiting.events(), Instant.ofEpochMilli(waiting.last()));
    }

    /** Profiles as summaries: {@code sql} with the four patterns bound, then {@code last} (a limit or a list). */
    private List<ProfileSummary> summaries(String sql, String[] likes, Object last) throws SQLException {
        List<ProfileSummary> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < likes.length; i++) ps.setString(i + 1, likes[i]);
            ps.setObject(likes.length + 1, last);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(summary(rs));
            }
        }
        return out;
    }

    /** A row of (id, traits, events, last_seen) as a summary. */
    private static ProfileSummary summary(ResultSet rs) throws SQLException {
        Object name = Rows.map(rs.getString(2)).get("name");
        return new ProfileSummary(
                rs.getString(1),
                name == null ? "" : name.toString(),
                rs.getLong(3),
                Instant.ofEpochMilli(rs.getLong(4)));
    }

    List<BrandSummary> brands(Instant at) throws SQLException {
        return summaries(at, null, party -> true);
    }

    /** The brand's health and daily series over the parties {@code parties} accepts. */
    Optional<BrandView> brand(String id, Instant at, int days, Predicate<String> parties) throws SQLException {
        List<BrandSummary> one = summaries(at, id, parties);
        if (one.isEmpty()) return Optional.empty();
        BrandSeries series = new BrandSeries(engine, at, days);
        new BrandSeriesReads(c, dialect, published, pairMemory, this::prepared).feed(series, id, parties);
        return Optional.of(new BrandView(one.get(0), series.points()));
    }

    /**
     * Every brand's summary, or only {@code onlyBrand}'s (scoring only its pairs) when given,
     * over the parties {@code parties} accepts.
     */
    private List<BrandSummary> summaries(Instant at, String onlyBrand, Predicate<String> parties) throws SQLException {
        List<Relationship> all = relationshipsWithEvents(onlyBrand, parties);
        // summed in one order on every store (SQL collations differ), so the figures match to the bit
        all.sort(java.util.Comparator.comparing(Relationship::brand).thenComparing(Relationship::party));
        Map<String, Health> health = new HashMap<>();
        for (Relationship r : all) {
            health.computeIfAbsent(r.brand(), b -> new Health()).add(r, engine, at);
        }
        List<BrandSummary> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, competitor FROM brands"
                + (onlyBrand == null ? "" : " WHERE id = ?") + " ORDER BY competitor, id")) {
            if (onlyBrand != null) ps.setString(1, onlyBrand);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Health h = health.getOrDefault(rs.getString(1), new Health());
                    out.add(h.summary(rs.getString(1), rs.getString(2), rs.getInt(3) == 1));
                }
            }
        }
        return out;
    }

    private Map<String, Boolean> competitors() throws SQLException {
        Map<String, Boolean> m = new HashMap<>();
        try (ResultSet rs = prepared("SELECT id, competitor FROM brands").executeQuery()) {
            while (rs.next()) m.put(rs.getString(1), rs.getInt(2) == 1);
        }
        return m;
    }

    private Optional<String> one(String sql, String arg) throws SQLException {
        PreparedStatement ps = prepared(sql);
        ps.setString(1, arg);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    private List<String> strings(String sql, String arg) throws SQLException {
        List<String> out = new ArrayList<>();
        PreparedStatement ps = prepared(sql);
        ps.setString(1, arg);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    /**
     * Every relationship with events (of {@code onlyBrand} when given) of the parties {@code
     * parties} accepts: the table's, with the states waiting in memory laid over them.
     */
    private List<Relationship> relationshipsWithEvents(String onlyBrand, Predicate<String> parties)
            throws SQLException {
        String filter = onlyBrand == null ? "" : " AND brand = ?";
        return SnapshotRead.run(published, null, s -> {
            Map<String, Relationship> byPair = new HashMap<>();
            try (PreparedStatement newest = c.prepareStatement(NEWEST_ROWS);
                    ResultSet n = newest.executeQuery()) {
                // open while the table is read: one read snapshot (SQLite)
                n.next();
                long m = n.getLong(1);
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT " + Rows.RELATIONSHIP_COLUMNS + " FROM relationships WHERE events > 0" + filter)) {
                    if (onlyBrand != null) ps.setString(1, onlyBrand);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Relationship r = Rows.relationship(rs);
                            if (parties.test(r.party())) byPair.put(r.party() + '\u0000' + r.brand(), r);
                        }
                    }
                }
                if (published != null) {
                    Map<String, Map<String, Relationship>> waiting = s.checked(published.allAsOf(m));
                    waiting.forEach((party, states) -> {
                        if (!parties.test(party)) return;
                        states.forEach((brand, r) -> {
                            if (onlyBrand != null && !onlyBrand.equals(brand)) return;
                            if (r == null || r.events() <= 0) byPair.remove(party + '\u0000' + brand);
                            else byPair.put(party + '\u0000' + brand, r);
                        });
                    });
                }
            }
            return new ArrayList<>(byPair.values());
        });
    }

    /** Value-weighted means of a brand's relationships at one instant. */
    static final class Health {
        double weights, fusion, experience, money;
        long consumers, events;

        void add(Relationship r, Engine engine, Instant at) {
            Score s = engine.score(r, at.isBefore(r.asOf()) ? r.asOf() : at);
            double w = weight(r);
            weights += w;
            fusion += w * s.fusion();
            experience += w * s.experience();
            consumers++;
            events += r.events();
            money += r.money();
        }

        static double weight(Relationship r) {
            return 1 + Math.log1p(Math.max(0, r.money()));
        }

        double fusion() {
            return weights == 0 ? 50 : fusion / weights;
        }

        double experience() {
            return weights == 0 ? 50 : experience / weights;
        }

        BrandSummary summary(String id, String name, boolean competitor) {
            return new BrandSummary(id, name, competitor, consumers, events, money, fusion(), experience());
        }
    }

    static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    List<fusion.core.consent.ConsentRecord> consents(String profile) throws SQLException {
        List<fusion.core.consent.ConsentRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT purpose, channel, granted, at, expires, source "
                + "FROM consents WHERE profile = ? ORDER BY event_seq, position")) {
            ps.setString(1, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(consent(rs, 1));
            }
        }
        return out;
    }

    /** A consent row read from column {@code first} on: purpose, channel, granted, at, expires, source. */
    private static fusion.core.consent.ConsentRecord consent(ResultSet rs, int first) throws SQLException {
        long expires = rs.getLong(first + 4);
        boolean none = rs.wasNull();
        return new fusion.core.consent.ConsentRecord(
                fusion.core.consent.ConsentPurpose.parse("purpose", rs.getString(first)),
                rs.getString(first + 1),
                rs.getInt(first + 2) == 1,
                Instant.ofEpochMilli(rs.getLong(first + 3)),
                none ? null : Instant.ofEpochMilli(expires),
                rs.getString(first + 5));
    }

    /** A person's events in log order: the tables' entries, then those the writer keeps in memory (asked first). */
    void eventsOf(String profile, fusion.store.Store.EventConsumer consumer) throws SQLException {
        long[] newest = profileMemory.seqsOf(profile);
        long last = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, body FROM events WHERE seq IN " + SortedRuns.EVENTS_OF + " ORDER BY seq")) {
            ps.setString(1, profile);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    consumer.accept(last, fusion.store.LogCodec.decode(rs.getString(2)));
                }
            }
        }
        if (newest.length == 0) return;
        // the entries in memory are the newest: any the tables also gave moved there meanwhile
        try (PreparedStatement ps = c.prepareStatement(EVENTS_BY_SEQS)) {
            ps.setString(1, seqList(newest));
            ps.setLong(2, last);
            ps.setString(3, profile);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) consumer.accept(rs.getLong(1), fusion.store.LogCodec.decode(rs.getString(2)));
            }
        }
    }

    void consentLedgers(java.util.function.BiConsumer<String, List<fusion.core.consent.ConsentRecord>> consumer)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT profile, purpose, channel, granted, at, expires, source "
                + "FROM consents ORDER BY profile, event_seq, position")) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                String current = null;
                List<fusion.core.consent.ConsentRecord> ledger = new ArrayList<>();
                while (rs.next()) {
                    String profile = rs.getString(1);
                    if (current != null && !current.equals(profile)) {
                        consumer.accept(current, ledger);
                        ledger = new ArrayList<>();
                    }
                    current = profile;
                    ledger.add(consent(rs, 2));
                }
                if (current != null) consumer.accept(current, ledger);
            }
        }
    }

    void profiles(java.util.function.Consumer<ProfileSummary> consumer) throws SQLException {
        SnapshotRead.run(activity, null, s -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, traits, events, last_seen, (SELECT MAX(seq) FROM events) FROM profiles ORDER BY id")) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    Map<String, ProfileActivity.Activity> waiting = Map.of();
                    boolean first = true;
                    while (rs.next()) {
                        // the activity waiting as of the snapshot's newest log row, taken before any row is given
                        if (first && activity != null) waiting = waitingActivity(rs.getLong(5), s);
                        first = false;
                        ProfileSummary p = summary(rs);
                        consumer.accept(withActivity(p, waiting.get(p.id())));
                    }
                    return null;
                }
            }
        });
    }
}
