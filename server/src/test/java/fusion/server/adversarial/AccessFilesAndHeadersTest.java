package fusion.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.store.sql.SqlStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What another user of the host and another web page can get at: the data files, and the dashboard in a frame. */
class AccessFilesAndHeadersTest {
    private static final Credentials BOOT = new Credentials("wk-files", "admin-files");

    @TempDir
    Path parent;

    @Test
    @DisplayName("issue 12 item 11: the data directory is created 0700 and every file in it, the database with its "
            + "WAL and shared memory included, is 0600")
    void dataFilesAreTheOwnersAlone() throws IOException {
        Path data = parent.resolve("data");
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, BOOT),
                SqlStore.sqlite(data, FusionServer.pipeline(ModelConfig.defaults())))) {
            var r = new AccessHttp(server.port())
                    .ingest(
                            BOOT.writeKey(),
                            "{\"batch\":[{\"type\":\"identify\","
                                    + "\"messageId\":\"p-1\",\"userId\":\"pat\",\"traits\":{\"email\":\"pat@example.org\"}}]}");
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(data.resolve("fusion.db-wal"))
                    .as("the WAL exists while the server runs")
                    .exists();
            assertThat(modes(data))
                    .as("while serving")
                    .allSatisfy(m -> assertThat(m).endsWith("rw-------"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                    .isEqualTo("rwx------");
        }
        assertThat(modes(data))
                .as("after stopping")
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m).endsWith("rw-------"));
    }

    @Test
    @DisplayName("issue 12 item 11: an existing database left 0644 by an older Fusion is made 0600 when opened")
    @SuppressWarnings("try") // a started server is what tightens the file
    void anExistingDatabaseIsTightened() throws IOException {
        Path data = parent.resolve("old");
        Files.createDirectories(data);
        Path db = Files.createFile(data.resolve("fusion.db"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, BOOT),
                SqlStore.sqlite(data, FusionServer.pipeline(ModelConfig.defaults())))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
                    .isEqualTo("rw-------");
        }
    }

    private static List<String> modes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> {
                        try {
                            return f.getFileName() + " "
                                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
    }

    @Test
    @DisplayName("issue 12 item 11: the dashboard, its scripts and the API are sent with a Content-Security-Policy "
            + "without inline script, no framing, nosniff and no referrer")
    void everyResponseCarriesTheSecurityHeaders() {
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, BOOT),
                SqlStore.sqlite(parent.resolve("h"), FusionServer.pipeline(ModelConfig.defaults())))) {
            AccessHttp http = new AccessHttp(server.port());
            for (String path : List.of("/", "/index.html", "/app.js", "/style.css", "/api/stats", "/health")) {
                var r = http.call("GET", path, BOOT.adminToken(), null);
                assertThat(r.status()).as(path).isEqualTo(200);
                var h = r.raw().headers();
                String csp = h.firstValue("Content-Security-Policy").orElse("");
                assertThat(csp)
                        .as(path)
                        .contains("frame-ancestors 'none'")
                        .contains("script-src 'self'")
                        .doesNotContain("unsafe-inline")
                        .doesNotContain("unsafe-eval");
                assertThat(h.firstValue("X-Frame-Options")).as(path).hasValue("DENY");
                assertThat(h.firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
                assertThat(h.firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
            }
            var index = http.call("GET", "/", null, null);
            assertThat(index.text())
                    .as("no inline script for the policy to allow")
                    .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                    .doesNotContainPattern("\\son[a-z]+=\"");
        }
    }
}
