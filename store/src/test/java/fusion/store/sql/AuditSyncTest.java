package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentMapping;
import fusion.store.Access.AuditEntry;
import fusion.store.Calls;
import fusion.store.Pipeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit.sync}: when an audit append returns, and what flushes it ({@link AuditSync}, {@link Flusher}). */
class AuditSyncTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String PERSON = "zoe-quintessa-77";

    @TempDir
    Path dir;

    private static Pipeline pipeline() {
        return new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
    }

    private static StoreSettings settings(AuditSync sync) {
        return StoreSettings.defaults().withAuditSync(sync);
    }

    private static AuditEntry read(String subject, int second) {
        return new AuditEntry(0, T0.plusSeconds(second), "token:dash", "analyst", "read profile", subject, 200);
    }

    @Test
    @DisplayName("issue 18 audit.sync: in interval mode the background flush reports an append flushed within the "
            + "deadline, though the append returned before any flush")
    void theFlusherFlushesWhatWasCommitted() {
        try (SqlStore s = SqlStore.sqlite(dir, pipeline(), settings(AuditSync.interval(Duration.ofMillis(50))))) {
            AuditTable audit = s.audit();
            long before = audit.committed();
            s.access().appendAudit(List.of(read("ana", 1)));
            long mine = audit.committed();
            assertThat(mine).as("the append was committed").isEqualTo(before + 1);
            Awaitility.await("the flusher to flush the append")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> audit.flushed() >= mine);
            assertThat(s.access().audit(null, "ana", null, null, 10))
                    .extracting(AuditEntry::subject)
                    .containsExactly("ana");
        }
    }

    @Test
    @DisplayName("issue 18 audit.sync: in interval mode the flusher checkpoints audit.db's WAL once it passes 40 MB, "
            + "the WAL shrinks back, and the flusher does not checkpoint again until it has grown again")
    void theFlusherCheckpointsTheWalOncePerFortyMegabytes() {
        Path wal = dir.resolve(SqlStore.AUDIT_FILE + "-wal");
        try (SqlStore s = SqlStore.sqlite(dir, pipeline(), settings(AuditSync.interval(Duration.ofMillis(20))))) {
            AuditTable audit = s.audit();
            // a fresh subject per entry: each batch of 1,000 dirties many table and index pages
            String pad = "x".repeat(200);
            int batch = 0;
            while (audit.checkpoints() == 0 && batch < 2_000) {
                List<AuditEntry> entries = new java.util.ArrayList<>(1_000);
                for (int i = 0; i < 1_000; i++) entries.add(read(pad + batch + "-" + i, i));
                s.access().appendAudit(entries);
                batch++;
            }
            Awaitility.await("the flusher's first checkpoint")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> audit.checkpoints() >= 1);
            s.access().appendAudit(List.of(read("after", 1)));
            long after = audit.committed();
            Awaitility.await("a flush after the checkpoint")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> audit.flushed() >= after);
            long size = sizeOf(wal);
            assertThat(size).as("the WAL after the checkpoint").isLessThan(Flusher.CHECKPOINT_BYTES);
            long checkpoints = audit.checkpoints();
            // ten more intervals of appends, far under 40 MB: no checkpoint among them
            for (int i = 0; i < 10; i++) {
                s.access().appendAudit(List.of(read("later-" + i, i)));
                long mine = audit.committed();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> audit.flushed() >= mine);
            }
            assertThat(audit.checkpoints())
                    .as("checkpoints once the WAL shrank")
                    .isEqualTo(checkpoints);
            assertThat(s.access().audit(null, "after", null, null, 10)).hasSize(1);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("issue 18 audit.sync: in each mode an append returns flushed, with nothing left for a flusher")
    void inEachModeAnAppendReturnsFlushed() {
        try (SqlStore s = SqlStore.sqlite(dir, pipeline(), settings(AuditSync.each()))) {
            AuditTable audit = s.audit();
            s.access().appendAudit(List.of(read("ana", 1)));
            s.access().appendAudit(List.of(read("bea", 2)));
            assertThat(audit.committed()).as("appends committed").isEqualTo(2);
            assertThat(audit.flushed()).as("appends flushed, at once").isEqualTo(2);
        }
    }

    @Test
    @DisplayName("issue 18 audit.sync: in interval mode an erasure still leaves no byte of the person's id in "
            + "audit.db or its WAL while the flusher runs, nor after the store closes")
    void anErasureInIntervalModeLeavesNoByteOfThePersonInTheAuditFile() throws Exception {
        Path file = dir.resolve(SqlStore.AUDIT_FILE);
        Path wal = dir.resolve(SqlStore.AUDIT_FILE + "-wal");
        byte[] name = PERSON.getBytes(StandardCharsets.UTF_8);
        try (SqlStore s = SqlStore.sqlite(dir, pipeline(), settings(AuditSync.interval(Duration.ofMillis(1))))) {
            s.ingest(List.of(Calls.track("m1", PERSON, null, "Order Completed", T0, Map.of("brand", "glitter"))));
            for (int i = 0; i < 200; i++) s.access().appendAudit(List.of(read(PERSON, i), read("other-" + i, i)));
            assertThat(contains(Files.readAllBytes(wal), name))
                    .as("the WAL names them before the erasure")
                    .isTrue();
            s.erase(s.profile(PERSON).orElseThrow().id(), "token:admin", new PrintStream(new ByteArrayOutputStream()));
            long after = s.audit().committed();
            Awaitility.await("a flush after the erasure")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> s.audit().flushed() >= after);
            assertThat(contains(Files.readAllBytes(file), name))
                    .as("audit.db, open")
                    .isFalse();
            assertThat(contains(Files.readAllBytes(wal), name))
                    .as("audit.db-wal, open")
                    .isFalse();
            assertThat(s.access().audit(null, null, null, null, 1000))
                    .extracting(AuditEntry::subject)
                    .doesNotContain(PERSON)
                    .contains("erased #1");
        }
        assertThat(contains(Files.readAllBytes(file), name))
                .as("audit.db, closed")
                .isFalse();
        if (Files.exists(wal))
            assertThat(contains(Files.readAllBytes(wal), name))
                    .as("audit.db-wal, closed")
                    .isFalse();
    }

    @Test
    @DisplayName("issue 18 audit.sync: on PostgreSQL an append's transaction runs with synchronous_commit off in "
            + "interval mode and on in each mode, and a redaction with it on in both, as PostgreSQL itself reports "
            + "inside the insert and the update")
    void onPostgresTheAppendCommitsWithoutWaitingForItsFlushInIntervalModeOnly() throws Exception {
        var maybe = PostgresServer.shared();
        if (!PostgresServer.required())
            org.junit.jupiter.api.Assumptions.assumeTrue(maybe.isPresent(), "PostgreSQL is not installed");
        for (AuditSync sync : List.of(AuditSync.each(), AuditSync.interval(Duration.ofMillis(100)))) {
            StoreUrl url = maybe.orElseThrow().newDatabase();
            SqlStore.migrate(url);
            // the witness: PostgreSQL writes the setting in force into each row it inserts
            try (Connection c = DriverManager.getConnection(url.jdbc(), url.properties());
                    Statement st = c.createStatement()) {
                st.execute("CREATE FUNCTION note_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "NEW.role := current_setting('synchronous_commit'); RETURN NEW; END $$");
                st.execute("CREATE TRIGGER note_sync BEFORE INSERT OR UPDATE ON audit FOR EACH ROW "
                        + "EXECUTE FUNCTION note_sync()");
            }
            try (SqlStore s = SqlStore.postgres(url, pipeline(), false, settings(sync))) {
                s.access().appendAudit(List.of(read("ana", 1)));
                assertThat(s.access().audit(null, "ana", null, null, 10))
                        .as(sync.describe())
                        .extracting(AuditEntry::role)
                        .containsExactly(sync.mode() == AuditSync.Mode.INTERVAL ? "off" : "on");
                assertThat(s.access().auditSync()).isEqualTo(sync.describe());
                s.access().redactSubject("ana", "erased #9");
                assertThat(s.access().audit(null, "erased #9", null, null, 10))
                        .as(sync.describe() + ": a redaction waits for its flush")
                        .extracting(AuditEntry::role)
                        .containsExactly("on");
            }
        }
    }

    @Test
    @DisplayName("issue 18 audit.sync: an interval outside 1 ms to 10 s is refused, naming the setting and the value")
    void anIntervalOutOfBoundsIsRefused() {
        assertThatThrownBy(() -> AuditSync.interval(Duration.ZERO))
                .hasMessage("audit sync interval: expected 1 ms to 10000 ms but was 0 ms");
        assertThatThrownBy(() -> AuditSync.interval(Duration.ofMillis(10_001)))
                .hasMessage("audit sync interval: expected 1 ms to 10000 ms but was 10001 ms");
        assertThatThrownBy(() -> AuditSync.Mode.of("sometimes"))
                .hasMessage("expected each or interval but was 'sometimes'");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
