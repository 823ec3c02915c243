package fusion.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.store.Access;
import fusion.store.Store;
import fusion.store.StoreFailure;
import fusion.store.sql.AuditSync;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The audit log fails closed: with the audit table unwritable (a disk that is full), a read of a
 * person is refused rather than served unaudited.
 */
class AccessAuditFailsClosedTest {
    private static final Credentials BOOT = new Credentials("wk-audit", "admin-audit");
    private static final String EMAIL = "vera.quill@example.org";

    @TempDir
    Path dir;

    private Store store;
    private DiskFullAudit seam;
    private FusionServer server;
    private AccessHttp http;

    /** The store's real credentials and audit table, whose audit append fails like a full disk while {@code full}. */
    private static final class DiskFullAudit implements Access {
        private final Access store;
        volatile boolean full;

        DiskFullAudit(Access store) {
            this.store = store;
        }

        @Override
        public void appendAudit(List<AuditEntry> entries) {
            if (full)
                throw new StoreFailure("writing the audit log", new java.io.IOException("No space left on device"));
            store.appendAudit(entries);
        }

        @Override
        public void addCredential(Credential c) {
            store.addCredential(c);
        }

        @Override
        public List<Credential> credentials(Access.Kind kind) {
            return store.credentials(kind);
        }

        @Override
        public Optional<Credential> credentialByHash(String hash) {
            return store.credentialByHash(hash);
        }

        @Override
        public boolean revokeCredential(String id, Instant at) {
            return store.revokeCredential(id, at);
        }

        @Override
        public void redactSubject(String subject, String replacement) {
            store.redactSubject(subject, replacement);
        }

        @Override
        public List<AuditEntry> audit(String actor, String subject, Instant since, Instant until, int limit) {
            return store.audit(actor, subject, since, until, limit);
        }

        @Override
        public String auditSync() {
            return store.auditSync();
        }
    }

    /** The store in audit sync {@code mode} (interval: 20 ms), its audit appends through the seam. */
    void start(AuditSync.Mode mode) {
        AuditSync sync = mode == AuditSync.Mode.EACH ? AuditSync.each() : AuditSync.interval(Duration.ofMillis(20));
        store = SqlStore.sqlite(
                dir,
                FusionServer.pipeline(ModelConfig.defaults()),
                StoreSettings.defaults().withAuditSync(sync));
        seam = new DiskFullAudit(store.access());
        server = FusionServer.start(FusionConfig.of("127.0.0.1", 0, BOOT), StoreSeams.withAccess(store, seam));
        http = new AccessHttp(server.port());
        var r = http.ingest(
                BOOT.writeKey(),
                "{\"batch\":[{\"type\":\"identify\",\"messageId\":\"m-vera-1\","
                        + "\"userId\":\"vera-q\",\"traits\":{\"email\":\"" + EMAIL + "\",\"name\":\"Vera Quill\"},"
                        + "\"timestamp\":\"2026-06-01T09:00:00Z\"}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @ParameterizedTest(name = "audit sync {0}")
    @EnumSource(AuditSync.Mode.class)
    @DisplayName("issue 12 item 10 (issue 18: in either audit sync mode): with the audit log unwritable, a read of a "
            + "person is answered 503 and the body holds nothing about them")
    void aReadThatCannotBeAuditedIsRefused(AuditSync.Mode mode) {
        start(mode);
        seam.full = true;
        for (String path : List.of(
                "/api/profiles/vera-q",
                "/api/profiles/vera-q/export",
                "/api/profiles/vera-q/timeline",
                "/api/profiles?q=vera")) {
            var r = http.call("GET", path, BOOT.adminToken(), null);
            assertThat(r.status()).as(path + ": " + r.text()).isEqualTo(503);
            assertThat(r.raw().headers().firstValue("Retry-After")).as(path).isPresent();
            assertThat(r.text())
                    .as(path)
                    .doesNotContain(EMAIL)
                    .doesNotContain("Vera")
                    .doesNotContain("vera-q");
        }
    }

    @ParameterizedTest(name = "audit sync {0}")
    @EnumSource(AuditSync.Mode.class)
    @DisplayName("issue 12 item 10 (issue 18: in either audit sync mode): once the audit log is writable again the "
            + "same read is answered and its entry is in the log")
    void theReadIsServedAgainOnceItsEntryCanBeWritten(AuditSync.Mode mode) {
        start(mode);
        seam.full = true;
        assertThat(http.call("GET", "/api/profiles/vera-q", BOOT.adminToken(), null)
                        .status())
                .isEqualTo(503);
        seam.full = false;
        var r = http.call("GET", "/api/profiles/vera-q", BOOT.adminToken(), null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.text()).contains(EMAIL);
        // read straight from the store: the entry is there before the answer was sent
        assertThat(store.access().audit(null, "vera-q", null, null, 10)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("read profile");
            assertThat(e.status()).isEqualTo(200);
        });
    }
}
