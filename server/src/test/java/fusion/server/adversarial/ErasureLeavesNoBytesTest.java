package fusion.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.ModelConfig;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.store.sql.SqlStore;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a person is erased, no file under the data directory holds a byte of them: not their ids
 * (user, anonymous, an email used as an id), not their traits, not the free text of their events,
 * not their decisions; not in the database's free pages, not in the write-ahead log, not in the
 * audit log, and not in another person's event that named them as a co-party.
 */
class ErasureLeavesNoBytesTest {
    private static final Credentials BOOT = new Credentials("wk-erasure", "admin-erasure");
    private static final String USER = "erin-7f3a9c";
    private static final String ANON = "anon-erin-5d21b8";
    private static final String EMAIL = "erin.quarry@example.org";
    private static final String NAME = "Erin Quarrington";
    private static final String FREE_TEXT = "tangerine-owl-secret";

    @TempDir
    Path data;

    private FusionServer server;
    private AccessHttp http;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void ingest(String... calls) {
        var r = http.ingest(BOOT.writeKey(), "{\"batch\":[" + String.join(",", calls) + "]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private static String at(int minutes) {
        return Instant.parse("2026-06-01T09:00:00Z").plusSeconds(60L * minutes).toString();
    }

    @Test
    @DisplayName("issue 12 item 12: after an erasure, and after the server stops, no file in the data directory "
            + "holds the person's ids, traits, event text or decision, in UTF-8 or UTF-16")
    void noByteOfTheErasedPersonRemainsOnDisk() throws Exception {
        server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, BOOT),
                // runs of 2: her entries in the log's sorted indexes move into runs before the erasure
                SqlStore.sqlite(
                        data,
                        FusionServer.pipeline(ModelConfig.defaults()),
                        fusion.store.sql.StoreSettings.defaults().withIndexRun(2)));
        http = new AccessHttp(server.port());
        ingest(
                "{\"type\":\"identify\",\"messageId\":\"m-e1\",\"userId\":\"" + USER + "\",\"anonymousId\":\"" + ANON
                        + "\",\"traits\":{\"email\":\"" + EMAIL + "\",\"name\":\"" + NAME + "\"},\"timestamp\":\""
                        + at(0) + "\"}",
                "{\"type\":\"track\",\"messageId\":\"m-e2\",\"userId\":\"" + USER + "\",\"event\":\"Order Completed\","
                        + "\"properties\":{\"brand\":\"glitter\",\"revenue\":80,\"description\":\"she said " + FREE_TEXT
                        + "\"},\"timestamp\":\"" + at(1) + "\"}",
                "{\"type\":\"alias\",\"messageId\":\"m-e3\",\"previousId\":\"" + EMAIL + "\",\"userId\":\"" + USER
                        + "\",\"timestamp\":\"" + at(2) + "\"}",
                "{\"type\":\"track\",\"messageId\":\"m-e4\",\"anonymousId\":\"" + ANON
                        + "\",\"event\":\"Product Viewed\"," + "\"properties\":{\"brand\":\"glitter\"},\"timestamp\":\""
                        + at(3) + "\"}",
                // another person's event naming her as a co-party
                "{\"type\":\"track\",\"messageId\":\"m-o1\",\"userId\":\"otto-31c\",\"event\":\"Event Attended\","
                        + "\"properties\":{\"brand\":\"glitter\",\"co_parties\":[\"" + USER + "\",\"popstar\"]},"
                        + "\"timestamp\":\"" + at(4) + "\"}");
        assertThat(relationshipBrands("otto-31c")).contains(USER, "popstar");

        var decision = http.call("POST", "/api/decisions", BOOT.adminToken(), "{\"profile\":\"" + USER + "\"}");
        assertThat(decision.status()).as(decision.text()).isEqualTo(200);
        String decisionId = decision.json().get("id").asText();

        // refused attempts under her other ids: an analyst may not export
        var analyst = http.call("POST", "/api/tokens", BOOT.adminToken(), "{\"name\":\"ana\",\"role\":\"analyst\"}");
        String ana = analyst.json().get("secret").asText();
        assertThat(http.call("GET", "/api/profiles/" + ANON + "/export", ana, null)
                        .status())
                .isEqualTo(403);
        assertThat(http.call("GET", "/api/profiles/" + EMAIL + "/export", ana, null)
                        .status())
                .isEqualTo(403);
        assertThat(http.call("GET", "/api/profiles/" + USER, BOOT.adminToken(), null)
                        .status())
                .isEqualTo(200);

        var export = http.call("GET", "/api/profiles/" + ANON + "/export", BOOT.adminToken(), null);
        assertThat(export.status()).as(export.text()).isEqualTo(200);
        assertThat(texts(export.json().path("profile").path("identities")))
                .contains("user:" + USER, "anon:" + ANON, "anon:" + EMAIL);
        assertThat(texts(export.json().path("audit"), "subject"))
                .as("the export's audit covers every id")
                .contains(ANON, EMAIL, USER);

        var erased = http.call("DELETE", "/api/profiles/" + USER, BOOT.adminToken(), null);
        assertThat(erased.status()).as(erased.text()).isEqualTo(200);

        assertThat(relationshipBrands("otto-31c")).contains("popstar").doesNotContain(USER);
        ingest("{\"type\":\"track\",\"messageId\":\"m-o2\",\"userId\":\"otto-31c\",\"event\":\"Event Attended\","
                + "\"properties\":{\"brand\":\"glitter\",\"co_parties\":\"" + USER + "\"},\"timestamp\":\"" + at(5)
                + "\"}");
        assertThat(relationshipBrands("otto-31c"))
                .as("a later event naming her")
                .doesNotContain(USER);
        var audit = http.call("GET", "/api/audit?limit=1000", BOOT.adminToken(), null);
        assertThat(texts(audit.json(), "subject")).doesNotContain(USER, ANON, EMAIL);

        List<String> needles = List.of(USER, ANON, EMAIL, NAME, FREE_TEXT, decisionId);
        assertThat(findings(needles)).as("while the server runs").isEmpty();
        server.close();
        server = null;
        assertThat(findings(needles)).as("after the server stopped").isEmpty();
    }

    private List<String> relationshipBrands(String profile) {
        var r = http.call("GET", "/api/profiles/" + profile + "/relationships", BOOT.adminToken(), null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return texts(r.json(), "brand");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    /** "file: needle (charset) at offset" for every occurrence of a needle in any file under the data directory. */
    private List<String> findings(List<String> needles) throws IOException {
        return findings(data, needles);
    }

    static List<String> findings(Path data, List<String> needles) throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(data)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("the data directory holds the store").isNotEmpty();
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            for (String needle : needles) {
                for (Charset cs :
                        List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
                    int i = indexOf(bytes, needle.getBytes(cs));
                    if (i >= 0) out.add(data.relativize(f) + ": '" + needle + "' (" + cs + ") at " + i);
                }
            }
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
