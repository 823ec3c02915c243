package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.ModelConfig;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every per-person endpoint answers to any of the person's identities. */
class PerPersonIdentitiesTest {
    @TempDir
    Path dir;

    /** A device browses, then signs up as ana-22: one person, profile id of the device, two identities. */
    private static void person(Running s) {
        Instant t = Instant.now().minusSeconds(3600);
        assertThat(s.postJson(
                                "/v1/batch",
                                "{\"batch\":["
                                        + "{\"type\":\"track\",\"anonymousId\":\"dev-22\",\"event\":\"Product Viewed\",\"timestamp\":\""
                                        + t
                                        + "\",\"properties\":{\"brand\":\"glitter\"}},"
                                        + "{\"type\":\"identify\",\"userId\":\"ana-22\",\"anonymousId\":\"dev-22\",\"timestamp\":\""
                                        + t.plusSeconds(60) + "\",\"traits\":{\"name\":\"Ana\"}},"
                                        + "{\"type\":\"track\",\"userId\":\"ana-22\",\"event\":\"Order Completed\",\"timestamp\":\""
                                        + t.plusSeconds(120)
                                        + "\",\"properties\":{\"brand\":\"glitter\",\"revenue\":30}}]}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    @DisplayName(
            "issue 12 item 22: the audit of a person is found by any of their identities, refused attempts included")
    void theAuditOfAPersonAnswersToEveryIdentity() {
        try (Running s = new Running(dir)) {
            person(s);
            String profile = s.get("/api/profiles/ana-22").body().path("id").asText();
            assertThat(profile)
                    .as("the profile is the device's, which came first")
                    .isEqualTo("dev-22");
            assertThat(s.get("/api/profiles/dev-22/timeline").status()).isEqualTo(200);
            assertThat(s.get("/api/profiles/ana-22/consents").status()).isEqualTo(200);
            String analyst = s.call("POST", "/api/tokens", Running.ADMIN, "{\"name\":\"eve\",\"role\":\"analyst\"}")
                    .body()
                    .path("secret")
                    .asText();
            assertThat(s.call("GET", "/api/profiles/ana-22/export", analyst, null)
                            .status())
                    .isEqualTo(403);

            // four requests about her: three reads (under the profile id) and one refused export (under ana-22)
            for (String id : List.of("ana-22", "dev-22")) {
                JsonNode entries = s.get("/api/audit?subject=" + id).body();
                List<String> actions = new ArrayList<>();
                entries.forEach(e -> actions.add(e.path("action").asText()));
                assertThat(actions)
                        .as("audit of %s", id)
                        .containsExactly(
                                "refused GET /api/profiles/{id}/export",
                                "read consent",
                                "read timeline",
                                "read profile");
            }
            assertThat(s.get("/api/audit?subject=ana-22&limit=2").body())
                    .as("the limit holds across identities")
                    .hasSize(2);
            assertThat(s.get("/api/audit?subject=nobody-at-all").body()).isEmpty();
        }
    }

    @Test
    @DisplayName(
            "issue 12 item 22: every per-person endpoint gives the same answer for the user id and the anonymous id")
    void everyPerPersonEndpointAnswersToEveryIdentity() {
        // a clock that stands still: scores fade with time, and both answers must be of the same instant
        Clock still = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        try (Running s = new Running(SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())), still)) {
            person(s);
            for (String path : List.of(
                    "",
                    "/relationships",
                    "/timeline",
                    "/ledger?brand=glitter",
                    "/consents",
                    "/export",
                    "/decisions",
                    "/value",
                    "/next-step")) {
                Running.Reply byUser = s.get("/api/profiles/ana-22" + path);
                Running.Reply byDevice = s.get("/api/profiles/dev-22" + path);
                assertThat(byUser.status()).as(path).isEqualTo(200);
                assertThat(byDevice.status()).as(path).isEqualTo(200);
                // answers carry instants of the request ("at", "exportedAt"): compare what is about her
                assertThat(strip(byUser.body())).as(path).isEqualTo(strip(byDevice.body()));
            }
        }
    }

    private static JsonNode strip(JsonNode n) {
        JsonNode copy = n.deepCopy();
        if (copy.isObject()) {
            List<String> names = new ArrayList<>();
            copy.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (name.equals("at") || name.endsWith("At") || name.equals("audit") || name.equals("fit")) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(name);
                } else {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).set(name, strip(copy.get(name)));
                }
            }
        } else if (copy.isArray()) {
            for (int i = 0; i < copy.size(); i++)
                ((com.fasterxml.jackson.databind.node.ArrayNode) copy).set(i, strip(copy.get(i)));
        }
        return copy;
    }
}
