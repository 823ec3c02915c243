package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("issue 16 audiences: the API")
class AudienceApiTest {
    @TempDir
    Path dir;

    private static String track(String user, String event, String messageId) {
        return "{\"batch\":[{\"type\":\"track\",\"messageId\":\"" + messageId + "\",\"userId\":\"" + user
                + "\",\"event\":\"" + event + "\"}]}";
    }

    private static List<String> members(Running s, String query) {
        JsonNode page = s.call("GET", "/api/audiences/rules/buyers/members" + query, Running.ADMIN, null)
                .body();
        List<String> out = new ArrayList<>();
        page.get("members").forEach(m -> out.add(m.asText()));
        return out;
    }

    @Test
    @DisplayName(
            "issue 16 audiences: validate names the JSON path, preview counts before saving, members follow new events, pages, history, and erasure removes the person")
    void lifecycle() throws Exception {
        try (Running s = new Running(dir)) {
            assertThat(s.postJson("/v1/batch", track("ana", "Order Completed", "a1"))
                            .status())
                    .isEqualTo(200);
            assertThat(s.postJson("/v1/batch", track("ana", "Order Completed", "a2"))
                            .status())
                    .isEqualTo(200);
            assertThat(s.postJson("/v1/batch", track("bob", "Product Viewed", "b1"))
                            .status())
                    .isEqualTo(200);
            assertThat(s.postJson("/v1/batch", track("cleo", "Order Completed", "c1"))
                            .status())
                    .isEqualTo(200);

            var bad = s.call(
                    "POST",
                    "/api/audiences/validate",
                    Running.ADMIN,
                    "{\"id\":\"buyers\",\"rule\":{\"all\":[{\"fact\":\"events\",\"gte\":1},{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":\"one\"}]}}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body().get("field").asText()).isEqualTo("$.all[1].gte");
            assertThat(bad.body().get("error").asText()).contains("expected a number");

            String rule = "{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":1}";
            var preview = s.call("POST", "/api/audiences/preview", Running.ADMIN, "{\"rule\":" + rule + "}");
            assertThat(preview.status()).isEqualTo(200);
            assertThat(preview.body().get("size").asInt())
                    .as("ana and cleo bought, bob did not")
                    .isEqualTo(2);
            assertThat(preview.body().get("people").asInt()).isEqualTo(3);
            assertThat(s.call("GET", "/api/audiences/rules", Running.ADMIN, null)
                            .body())
                    .as("nothing saved")
                    .isEmpty();

            var saved = s.call(
                    "POST",
                    "/api/audiences/rules",
                    Running.ADMIN,
                    "{\"id\":\"buyers\",\"name\":\"Buyers\",\"rule\":" + rule + "}");
            assertThat(saved.status()).isEqualTo(201);
            assertThat(saved.body().get("size").asInt()).isEqualTo(2);
            assertThat(saved.body().get("timeBased").asBoolean()).isFalse();

            var cycle = s.call(
                    "POST",
                    "/api/audiences/rules",
                    Running.ADMIN,
                    "{\"id\":\"buyers\",\"rule\":{\"not\":{\"audience\":\"buyers\"}}}");
            assertThat(cycle.status()).isEqualTo(400);
            assertThat(cycle.body().get("field").asText()).isEqualTo("$.not.audience");
            assertThat(cycle.body().get("error").asText()).contains("cycle");

            assertThat(s.postJson("/v1/batch", track("bob", "Order Completed", "b2"))
                            .status())
                    .isEqualTo(200);
            DecisionApiTest.await(
                    () -> s.call("GET", "/api/audiences/rules/buyers", Running.ADMIN, null)
                            .body(),
                    b -> b.get("size").asInt() == 3,
                    "bob to enter buyers after his purchase");
            assertThat(members(s, "?limit=2")).containsExactly("ana", "bob");
            assertThat(members(s, "?offset=2&limit=2")).containsExactly("cleo");
            assertThat(s.call("GET", "/api/audiences/rules/buyers/members?limit=0", Running.ADMIN, null)
                            .body()
                            .get("field")
                            .asText())
                    .isEqualTo("limit");

            JsonNode history = s.call("GET", "/api/audiences/rules/buyers/history", Running.ADMIN, null)
                    .body();
            assertThat(history.get("changes").get(0).get("profile").asText()).isEqualTo("bob");
            assertThat(history.get("changes").get(0).get("entered").asBoolean()).isTrue();
            List<Integer> sizes = new ArrayList<>();
            history.get("sizes").forEach(p -> sizes.add(p.get("size").asInt()));
            assertThat(sizes).containsExactly(2, 3);
            JsonNode bob = s.call("GET", "/api/profiles/bob/audiences", Running.ADMIN, null)
                    .body();
            assertThat(bob.get("audiences").get(0).asText()).isEqualTo("buyers");

            assertThat(s.call("DELETE", "/api/profiles/ana", Running.ADMIN, null)
                            .status())
                    .isEqualTo(200);
            DecisionApiTest.await(
                    () -> s.call("GET", "/api/audiences/rules/buyers", Running.ADMIN, null)
                            .body(),
                    b -> b.get("size").asInt() == 2,
                    "ana to leave buyers after her erasure");
            assertThat(members(s, "")).containsExactly("bob", "cleo");
            assertThat(s.call("GET", "/api/audiences/rules/buyers/history?changes=1000", Running.ADMIN, null)
                            .body()
                            .get("changes")
                            .toString())
                    .doesNotContain("ana");

            assertThat(s.call("GET", "/api/audiences/rules/nobody", Running.ADMIN, null)
                            .status())
                    .isEqualTo(404);
        }
    }
}
