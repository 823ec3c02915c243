package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentMapping;
import fusion.store.Access;
import fusion.store.DecisionRecords;
import fusion.store.DecisionRecords.DecisionRecord;
import fusion.store.Pipeline;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enums in the code, the same words in the database as before them (issue 13). */
class StoredEnumsTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    @DisplayName("issue 13: the enums store exactly the words the schema always held")
    void theEnumsStoreTheSchemasWords() {
        // the words of schema v3 and the credentials table, written out by hand
        assertThat(Arrays.stream(DecisionRecords.Outcome.values()).map(DecisionRecords.Outcome::label))
                .containsExactly("act", "nothing");
        assertThat(Arrays.stream(DecisionRecords.Status.values()).map(DecisionRecords.Status::label))
                .containsExactly("recorded", "scheduled", "queued", "delivered", "withheld", "dead", "none");
        assertThat(Arrays.stream(DecisionRecords.DeliveryStatus.values()).map(DecisionRecords.DeliveryStatus::label))
                .containsExactly("sending", "delivered", "dead", "resending");
        assertThat(Arrays.stream(Access.Kind.values()).map(Access.Kind::label)).containsExactly("write", "token");
    }

    @Test
    @DisplayName(
            "issue 13: a stored word that names no constant is refused naming the column, the word and the accepted ones")
    void anUnknownStoredWordIsRefusedNamingIt() {
        assertThatThrownBy(() -> DecisionRecords.Status.of("sent"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "decisions.status: expected one of [recorded, scheduled, queued, delivered, withheld, dead, "
                                + "none] but the store holds 'sent'");
        assertThatThrownBy(() -> DecisionRecords.Outcome.of("ACT"))
                .hasMessage("decisions.outcome: expected one of [act, nothing] but the store holds 'ACT'");
        assertThatThrownBy(() -> DecisionRecords.DeliveryStatus.of(null))
                .hasMessage("deliveries.status: expected one of [sending, delivered, dead, resending] but the store "
                        + "holds null");
        assertThatThrownBy(() -> Access.Kind.of("key"))
                .hasMessage("credentials.kind: expected one of [write, token] but the store holds 'key'");
    }

    @Test
    @DisplayName(
            "issue 13: a decision and a credential written through the enums read back in plain SQL as the old words")
    void theDatabaseHoldsTheOldWords() throws Exception {
        Instant now = Instant.parse("2026-12-06T01:00:00Z");
        try (SqlStore store = SqlStore.sqlite(
                dir, new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own")))) {
            store.decisions()
                    .record(new DecisionRecord(
                            "d1",
                            "ana",
                            "own",
                            now,
                            null,
                            null,
                            null,
                            null,
                            null,
                            DecisionRecords.Outcome.NOTHING,
                            DecisionRecords.Status.NONE,
                            "[]"));
            store.decisions()
                    .record(new DecisionRecord(
                            "d2",
                            "ana",
                            "own",
                            now,
                            "plan-b-replacement",
                            "plan_b",
                            "messaging",
                            "service",
                            now,
                            DecisionRecords.Outcome.ACT,
                            DecisionRecords.Status.SCHEDULED,
                            "[]"));
            store.decisions().status("d2", DecisionRecords.Status.WITHHELD);
            store.access()
                    .addCredential(new Access.Credential("t_1", Access.Kind.TOKEN, "ci", "analyst", "h", now, null));
            assertThat(store.decisions().decision("d2").orElseThrow().status())
                    .isEqualTo(DecisionRecords.Status.WITHHELD);
            assertThat(store.access().credentials(Access.Kind.TOKEN))
                    .singleElement()
                    .extracting(Access.Credential::kind)
                    .isEqualTo(Access.Kind.TOKEN);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                Statement s = c.createStatement()) {
            assertThat(rows(s, "SELECT id || ' ' || outcome || ' ' || status FROM decisions ORDER BY id"))
                    .containsExactly("d1 nothing none", "d2 act withheld");
            assertThat(rows(s, "SELECT kind FROM credentials")).containsExactly("token");
        }
    }

    private static List<String> rows(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
