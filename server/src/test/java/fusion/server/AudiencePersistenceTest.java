package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("issue 16 activation item 1: audience definitions survive a restart")
class AudiencePersistenceTest {
    @TempDir
    Path dir;

    /** The store the server runs on; {@code reopen}: the same one as before. */
    protected fusion.store.Store store(boolean reopen) {
        return fusion.store.sql.SqlStore.sqlite(dir, FusionServer.pipeline(fusion.core.engine.ModelConfig.defaults()));
    }

    private static String track(String user, String event, String messageId) {
        return "{\"batch\":[{\"type\":\"track\",\"messageId\":\"" + messageId + "\",\"userId\":\"" + user
                + "\",\"event\":\"" + event + "\"}]}";
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(field == null ? n.asText() : n.get(field).asText()));
        return out;
    }

    @Test
    @DisplayName(
            "issue 16 activation item 1: an audience saved before a restart is there after it, with its members, its history and no invented changes")
    void definitionsSurviveARestart() throws Exception {
        String history;
        try (Running s = new Running(store(false), java.time.Clock.systemUTC())) {
            assertThat(s.postJson("/v1/batch", track("ana", "Order Completed", "a1"))
                            .status())
                    .isEqualTo(200);
            assertThat(s.postJson("/v1/batch", track("bob", "Product Viewed", "b1"))
                            .status())
                    .isEqualTo(200);
            var saved = s.call(
                    "POST",
                    "/api/audiences/rules",
                    Running.ADMIN,
                    "{\"id\":\"buyers\",\"name\":\"Buyers\",\"rule\":{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":1}}");
            assertThat(saved.status()).isEqualTo(201);
            assertThat(s.postJson("/v1/batch", track("bob", "Order Completed", "b2"))
                            .status())
                    .isEqualTo(200);
            DecisionApiTest.await(
                    () -> s.call("GET", "/api/audiences/rules/buyers", Running.ADMIN, null)
                            .body(),
                    b -> b.get("size").asInt() == 2,
                    "bob to enter buyers after his purchase");
            history = s.call("GET", "/api/audiences/rules/buyers/history", Running.ADMIN, null)
                    .body()
                    .toString();
        }
        try (Running s = new Running(store(true), java.time.Clock.systemUTC())) {
            var list = s.call("GET", "/api/audiences/rules", Running.ADMIN, null);
            assertThat(texts(list.body(), "id")).as("the definition is back").containsExactly("buyers");
            JsonNode one = s.call("GET", "/api/audiences/rules/buyers", Running.ADMIN, null)
                    .body();
            assertThat(one.get("name").asText()).isEqualTo("Buyers");
            assertThat(one.get("rule").get("purpose").asText()).isEqualTo("purchase");
            JsonNode page = s.call("GET", "/api/audiences/rules/buyers/members", Running.ADMIN, null)
                    .body();
            assertThat(texts(page.get("members"), null))
                    .as("ana bought before the audience was saved, bob after")
                    .containsExactly("ana", "bob");
            assertThat(s.call("GET", "/api/audiences/rules/buyers/history", Running.ADMIN, null)
                            .body()
                            .toString())
                    .as("the entered changes and size series are the ones from before the restart; a restart adds none")
                    .isEqualTo(history);
        }
    }
}
