package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Access.AuditEntry;
import fusion.store.Calls;
import fusion.store.Pipeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's audit log in its own file (issue 18, {@link AuditTable}). */
class AuditFileTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private static Pipeline pipeline() {
        return new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
    }

    private static SegmentCall buy(String messageId, String user) {
        return Calls.track(messageId, user, null, "Order Completed", T0, Map.of("brand", "glitter"));
    }

    private static List<String> subjects(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT subject FROM audit ORDER BY id")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    @Test
    @DisplayName("issue 18: a store made before the audit file kept its audit rows in fusion.db; opened now, they "
            + "move to audit.db with their ids and read back the same, and fusion.db keeps none")
    void anOlderStoresAuditRowsMoveToTheAuditFile() throws Exception {
        SqlStore.sqlite(dir, pipeline()).close();
        // the layout before: rows in fusion.db's audit table, no audit.db
        java.nio.file.Files.delete(dir.resolve(SqlStore.AUDIT_FILE));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO audit (id, at, actor, role, action, subject, status) VALUES (?,?,?,?,?,?,?)")) {
            for (int i = 1; i <= 3; i++) {
                ps.setLong(1, i * 10L);
                ps.setLong(2, T0.plusSeconds(i).toEpochMilli());
                ps.setString(3, "token:dash");
                ps.setString(4, "analyst");
                ps.setString(5, "read profile");
                ps.setString(6, "user-" + i);
                ps.setInt(7, 200);
                ps.executeUpdate();
            }
        }
        try (SqlStore s = SqlStore.sqlite(dir, pipeline())) {
            assertThat(s.access().audit(null, null, null, null, 10))
                    .extracting(AuditEntry::id, AuditEntry::subject)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(30L, "user-3"),
                            org.assertj.core.groups.Tuple.tuple(20L, "user-2"),
                            org.assertj.core.groups.Tuple.tuple(10L, "user-1"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            assertThat(subjects(c)).isEmpty();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqlStore.AUDIT_FILE))) {
            assertThat(subjects(c)).containsExactly("user-1", "user-2", "user-3");
        }
    }

    @Test
    @DisplayName("issue 18: when a crash comes between an erasure's commit and the audit file's redaction, the "
            + "next open finds the erasure newer than the redaction and takes the person's ids out of audit.db")
    void aRedactionCutShortByACrashIsFinishedAtTheNextOpen() throws Exception {
        try (SqlStore s = SqlStore.sqlite(dir, pipeline())) {
            s.ingest(List.of(buy("m1", "ana"), buy("m2", "bea")));
            s.erase(s.profile("ana").orElseThrow().id(), "token:admin", new PrintStream(new ByteArrayOutputStream()));
        }
        // the crash image: the erasure committed in fusion.db, audit.db still names her, its marker behind
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqlStore.AUDIT_FILE));
                Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO audit (at, actor, role, action, subject, status) VALUES "
                    + "(1, 'token:dash', 'analyst', 'read profile', 'ana', 200), "
                    + "(2, 'token:dash', 'analyst', 'read profile', 'bea', 200)");
            st.executeUpdate("UPDATE audit_meta SET value = 0 WHERE key = 'redacted_through'");
            assertThat(subjects(c)).contains("ana");
        }
        try (SqlStore s = SqlStore.sqlite(dir, pipeline())) {
            assertThat(s.access().audit(null, null, null, null, 10))
                    .extracting(AuditEntry::subject)
                    .containsExactly("bea", "erased");
        }
    }
}
