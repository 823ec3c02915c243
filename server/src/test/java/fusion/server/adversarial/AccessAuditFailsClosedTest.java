package fusion.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.store.Access;
import fusion.store.Store;
import fusion.store.StoreFailure;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    }

    @BeforeEach
    void start() {
        store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()));
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
        server.close();
    }

    @Test
    @DisplayName("issue 12 item 10: with the audit log unwritable, a read of a person is answered 503 and the body "
            + "holds nothing about them")
    void aReadThatCannotBeAuditedIsRefused() {
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

    @Test
    @DisplayName("issue 12 item 10: once the audit log is writable again the same read is answered and its entry "
            + "is in the log")
    void theReadIsServedAgainOnceItsEntryCanBeWritten() {
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
