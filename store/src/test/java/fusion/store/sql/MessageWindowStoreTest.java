package fusion.store.sql;

import static fusion.store.Calls.T0;
import static fusion.store.Calls.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.IngestResult;
import fusion.store.Pipeline;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SQLite a resent call is found in the messageIds of the log's newest events, kept in memory
 * ({@link MessageIdWindow}, schema v13) instead of a unique index: across batches and groups, after
 * a restart (read back from the log), after a batch that failed, after both kinds of erasure, and
 * by the window's size, worked out by hand here.
 */
class MessageWindowStoreTest {
    @TempDir
    Path dir;

    private static Pipeline pipeline() {
        return new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
    }

    private static SegmentCall call(int i, String who) {
        return track(
                "m-" + i, who, null, "Order Completed", T0.plusSeconds(i), Map.of("revenue", 10, "brand", "glitter"));
    }

    private static List<SegmentCall> calls(int from, int to, String who) {
        List<SegmentCall> out = new ArrayList<>();
        for (int i = from; i < to; i++) out.add(call(i, who));
        return out;
    }

    /** cy's calls numbered {@code from} to {@code to}, each naming bea as a co-party (so cy's erasure rebuilds the log). */
    private static List<SegmentCall> mentions(int from, int to) {
        List<SegmentCall> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(track(
                    "m-" + i,
                    "cy",
                    null,
                    "Order Completed",
                    T0.plusSeconds(i),
                    Map.of("revenue", 10, "brand", "glitter", "co_parties", List.of("bea"))));
        }
        return out;
    }

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    @DisplayName(
            "issue 18 duplicates: the log has no index on messageId, and a call resent after a restart is a duplicate")
    void aResendAfterARestartIsADuplicate() throws Exception {
        try (SqlStore s = SqlStore.sqlite(dir, pipeline())) {
            for (int b = 0; b < 5; b++) s.ingest(calls(b * 100, b * 100 + 100, "ana"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("indexes on the log").isZero();
        }
        try (SqlStore s = SqlStore.sqlite(dir, pipeline())) {
            var before = s.digest();
            // the whole log resent, newest first, mixed with new calls
            List<SegmentCall> again = new ArrayList<>(calls(0, 500, "ana"));
            java.util.Collections.reverse(again);
            again.addAll(calls(500, 510, "ana"));
            assertThat(s.ingest(again)).isEqualTo(new IngestResult(10, 500, 10, 0));
            assertThat(s.ingest(calls(0, 510, "ana")).duplicates()).isEqualTo(510);
            assertThat(s.digest().rows().get("events")).isEqualTo(before.rows().get("events") + 10);
        }
    }

    @Test
    @DisplayName("issue 18 duplicates: a call is a duplicate while its event is among the log's newest N, and is logged"
            + " again after")
    void theWindowCoversTheNewestEvents() {
        StoreSettings ten = StoreSettings.defaults().withDedupWindow(10);
        try (SqlStore s = SqlStore.sqlite(dir, pipeline(), ten)) {
            s.ingest(calls(1, 31, "ana")); // events 1..30; the window holds 21..30
            assertThat(s.ingest(List.of(call(21, "ana"))).duplicates()).isEqualTo(1);
            assertThat(s.ingest(List.of(call(30, "ana"))).duplicates()).isEqualTo(1);
            // event 20 is the 11th newest: out of the window, so logged again, as event 31
            assertThat(s.ingest(List.of(call(20, "ana")))).isEqualTo(new IngestResult(1, 0, 1, 0));
            // now 22..31 are the newest: 21 is out, 20 (as 31) is in
            assertThat(s.ingest(List.of(call(20, "ana"))).duplicates()).isEqualTo(1);
            assertThat(s.ingest(List.of(call(21, "ana"))).accepted()).isEqualTo(1);
        }
        // a start reads the window back from the log: events 23..32 are the newest (21 was logged as 32)
        try (SqlStore s = SqlStore.sqlite(dir, pipeline(), ten)) {
            assertThat(s.ingest(List.of(call(21, "ana"), call(23, "ana"))).duplicates())
                    .isEqualTo(2);
            assertThat(s.ingest(List.of(call(22, "ana"))).accepted()).isEqualTo(1); // event 22 was the 11th newest
            assertThat(s.ingest(List.of(call(1, "ana"))).accepted()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName(
            "issue 18 duplicates: the calls of a batch that failed are new when sent again; those committed are not")
    void aFailedBatchLeavesNothingInTheWindow() {
        try (SqlStore s =
                SqlStore.sqlite(dir, pipeline(), StoreSettings.defaults().withDedupWindow(100))) {
            s.ingest(calls(0, 40, "ana"));
            List<SegmentCall> bad = new ArrayList<>(calls(40, 60, "bea"));
            bad.add(track("bad", "bea", null, "Order Completed", T0, Map.of("revenue", "ten")));
            assertThatThrownBy(() -> s.ingest(bad)).isInstanceOf(InvalidInput.class);
            // the failed batch's 20 calls took numbers 41..60 and gave them back: new calls take them
            assertThat(s.ingest(calls(100, 120, "cy")).accepted()).isEqualTo(20);
            assertThat(s.ingest(calls(40, 60, "bea"))).isEqualTo(new IngestResult(20, 0, 20, 0));
            assertThat(s.ingest(calls(0, 60, "ana")).duplicates()).isEqualTo(60);
        }
    }

    @Test
    @DisplayName("issue 18 duplicates: after an erasure, the calls of the people kept and of the person erased are"
            + " duplicates")
    void anErasureKeepsTheWindow() {
        try (SqlStore s = SqlStore.sqlite(dir, pipeline())) {
            // ana's events reach no one else: erased in place (TargetedErasure), the rows left keep their numbers
            s.ingest(calls(0, 30, "ana"));
            s.ingest(calls(30, 60, "bea"));
            s.erase("ana", "test", QUIET);
            assertThat(s.ingest(calls(0, 60, "bea")).duplicates()).isEqualTo(60);
            // cy's events name bea as a co-party: cy's erasure rebuilds the log from what is left
            s.ingest(mentions(60, 70));
            s.erase("cy", "test", QUIET);
            IngestResult again = s.ingest(calls(0, 70, "bea"));
            assertThat(again.duplicates()).isEqualTo(70);
        }
    }

    @Test
    @DisplayName("issue 18 duplicates: an erasure that fails after emptying the log leaves the window of the log it"
            + " rolled back to")
    void aFailedErasureLeavesTheWindow() {
        try (SqlStore s =
                SqlStore.sqlite(dir, pipeline(), StoreSettings.defaults().withDedupWindow(40))) {
            s.ingest(calls(50, 100, "bea"));
            s.ingest(mentions(0, 50));
            var before = s.digest();
            // the progress line after the log was emptied fails: the erasure rolls back
            PrintStream failing = new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    throw new IllegalStateException("the terminal went away");
                }
            });
            assertThatThrownBy(() -> s.erase("cy", "test", failing)).hasMessageContaining("the terminal went away");
            assertThat(s.digest()).isEqualTo(before);
            // events 61..100 are the newest 40: cy's m-10..m-49
            assertThat(s.ingest(calls(10, 50, "cy")).duplicates()).isEqualTo(40);
        }
    }

    @Test
    @DisplayName("issue 18 duplicates: migration 13 copies a log with a unique messageId into one without it, row for"
            + " row, and its calls stay duplicates")
    void migration13DropsTheUniqueIndex() throws Exception {
        try (SqlStore s = SqlStore.sqlite(dir, pipeline())) {
            s.ingest(calls(0, 300, "ana"));
        }
        List<String> rows;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                Statement st = c.createStatement()) {
            // back to version 12: the log as V1 declared it, with its rows
            st.execute("ALTER TABLE events RENAME TO events_v13");
            st.execute(
                    "CREATE TABLE events (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
                            + " name TEXT, profile TEXT NOT NULL, event_time BIGINT NOT NULL, received_at BIGINT NOT NULL, brand TEXT,"
                            + " channel TEXT, purpose TEXT, scored BIGINT NOT NULL, body TEXT NOT NULL)");
            st.execute("INSERT INTO events SELECT * FROM events_v13");
            st.execute("DROP TABLE events_v13");
            st.execute("UPDATE schema_version SET version = 12");
            rows = dump(st);
            assertThat(indexes(st)).isEqualTo(1);
        }
        try (SqlStore s = SqlStore.sqlite(dir, pipeline())) {
            assertThat(s.ingest(calls(0, 300, "ana")).duplicates()).isEqualTo(300);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                Statement st = c.createStatement()) {
            assertThat(dump(st)).hasSize(300).isEqualTo(rows);
            assertThat(indexes(st)).isZero();
            try (ResultSet rs = st.executeQuery("SELECT version FROM schema_version")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(15);
            }
        }
    }

    private static int indexes(Statement st) throws Exception {
        try (ResultSet rs =
                st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> dump(Statement st) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT * FROM events ORDER BY seq")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) b.append(rs.getString(i)).append('|');
                out.add(b.toString());
            }
        }
        return out;
    }
}
