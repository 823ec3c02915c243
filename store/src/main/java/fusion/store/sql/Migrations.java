package fusion.store.sql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Schema migrations: numbered SQL scripts under {@code fusion/store/migrations/}, applied in
 * order of their version (the number in {@code V<n>__}) inside one transaction each, with the
 * version recorded in {@code schema_version}. A database whose version is newer than this build
 * knows is refused, not touched. Versions need not be contiguous (as in Flyway): each is applied
 * once, in order, when the database is older than it.
 *
 * <p>Where SQL alone cannot convert rows (a format that only Java reads, as version 8's compact
 * ledger), a script names a Java step on a line of its own, {@code --@java NAME}; it runs at that
 * point of the script, in the same transaction.
 */
final class Migrations {
    /** The scripts, in the order they apply. */
    private static final List<String> SCRIPTS = List.of(
            "V1__init.sql",
            "V2__privacy.sql",
            "V3__actions.sql",
            "V4__log_progress.sql",
            "V5__audiences.sql",
            "V6__plan_violations.sql",
            "V8__ledger_compact.sql",
            "V9__log_cuts.sql",
            "V10__sorted_runs.sql",
            "V11__index_marks.sql",
            "V12__relationship_snapshots.sql",
            "V13__message_window.sql",
            "V14__profile_activity.sql",
            "V15__ledger_brand.sql");

    /** The Java steps scripts may name. */
    private static final java.util.Map<String, Step> STEPS = java.util.Map.of(
            "ledger_v8",
            LedgerV8::convert,
            "sorted_runs",
            SortedRuns::migrate,
            "events_without_unique",
            Migrations::eventsWithoutUnique);

    /** Conversion of rows that SQL cannot do, inside the migration's transaction. */
    @FunctionalInterface
    interface Step {
        void run(Connection c) throws SQLException;
    }

    static final int LATEST = versionOf(SCRIPTS.get(SCRIPTS.size() - 1));

    static {
        for (int i = 1; i < SCRIPTS.size(); i++) {
            if (versionOf(SCRIPTS.get(i)) <= versionOf(SCRIPTS.get(i - 1))) {
                throw new IllegalStateException("migrations out of order: " + SCRIPTS);
            }
        }
    }

    private Migrations() {}

    static int apply(Connection c, Dialect dialect) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        }
        int current = version(c);
        if (current > LATEST) {
            throw new fusion.store.SchemaMismatch("the store's schema is version " + current
                    + " but this Fusion knows only up to " + LATEST + "; upgrade Fusion");
        }
        for (String name : SCRIPTS) {
            int v = versionOf(name);
            if (v <= current) continue;
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : statements(dialect.script(script(name)))) {
                    if (sql.startsWith(JAVA)) {
                        Step step = STEPS.get(sql.substring(JAVA.length()));
                        if (step == null) throw new IllegalStateException(name + ": no Java step " + sql);
                        step.run(c);
                    } else {
                        s.execute(sql);
                    }
                }
                s.execute("DELETE FROM schema_version");
                s.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                // a Java step fails with a RuntimeException too: nothing of the version may stay
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
        return LATEST;
    }

    static int version(Connection c) throws SQLException {
        try (ResultSet t = c.getMetaData().getTables(null, null, "schema_version", null)) {
            if (!t.next()) return 0;
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Refuses a store whose schema this build does not know, without changing it. */
    static void check(Connection c) throws SQLException {
        int v = version(c);
        if (v > LATEST) {
            throw new fusion.store.SchemaMismatch("the store's schema is version " + v
                    + " but this Fusion knows only up to " + LATEST + "; upgrade Fusion");
        }
        if (v < LATEST) {
            throw new fusion.store.SchemaMismatch(
                    "the store's schema is version " + v + "; run ./fusion migrate first");
        }
    }

    /** The version a script's name gives: {@code V12__x.sql} is 12. */
    static int versionOf(String script) {
        return Integer.parseInt(script.substring(1, script.indexOf("__")));
    }

    private static final String JAVA = "--@java ";

    /**
     * Schema v13's step: on SQLite the log is copied, in seq order, into a table declared as
     * before but without {@code UNIQUE} on {@code message_id} (SQLite cannot drop that index), which
     * then takes the log's name; no view or index reads the log by name since v10. PostgreSQL keeps
     * its constraint.
     */
    static void eventsWithoutUnique(Connection c) throws SQLException {
        if (c.getMetaData()
                .getDatabaseProductName()
                .toLowerCase(java.util.Locale.ROOT)
                .contains("postgres")) return;
        try (Statement s = c.createStatement()) {
            long events;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
                rs.next();
                events = rs.getLong(1);
            }
            long since = System.nanoTime();
            System.Logger log = System.getLogger(Migrations.class.getName());
            if (events > 0) {
                log.log(
                        System.Logger.Level.INFO,
                        String.format(
                                java.util.Locale.ROOT,
                                "schema v13: copying the log's %,d events into a table without the unique index on "
                                        + "message_id (about 10 s per million events on 2 cores)",
                                events));
            }
            s.execute("CREATE TABLE events_v13 (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL, type TEXT NOT NULL, "
                    + "name TEXT, profile TEXT NOT NULL, event_time BIGINT NOT NULL, received_at BIGINT NOT NULL, "
                    + "brand TEXT, channel TEXT, purpose TEXT, scored BIGINT NOT NULL, body TEXT NOT NULL)");
            s.execute("INSERT INTO events_v13 (seq, message_id, type, name, profile, event_time, received_at, brand, "
                    + "channel, purpose, scored, body) SELECT seq, message_id, type, name, profile, event_time, "
                    + "received_at, brand, channel, purpose, scored, body FROM events ORDER BY seq");
            s.execute("DROP TABLE events");
            s.execute("ALTER TABLE events_v13 RENAME TO events");
            if (events > 0) {
                log.log(
                        System.Logger.Level.INFO,
                        String.format(
                                java.util.Locale.ROOT,
                                "schema v13: the log copied in %,d ms",
                                (System.nanoTime() - since) / 1_000_000));
            }
        }
    }

    private static String script(String file) {
        String name = "/fusion/store/migrations/" + file;
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing migration " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + name, e);
        }
    }

    private static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (String line : script.split("\n")) {
            String l = line.strip();
            if (l.startsWith(JAVA) && b.isEmpty()) {
                out.add(l);
                continue;
            }
            if (l.startsWith("--") || l.isEmpty()) continue;
            b.append(line).append('\n');
            if (l.endsWith(";")) {
                out.add(b.toString().strip().replaceAll(";$", ""));
                b.setLength(0);
            }
        }
        return out;
    }
}
