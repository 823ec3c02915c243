package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI description is served, and every path it documents exists on the live server. */
class OpenApiTest {
    @TempDir
    Path dir;

    @Test
    void everyDocumentedPathIsServed() {
        try (Running fusion = new Running(dir)) {
            assertThat(fusion.postJson(
                                    "/v1/batch",
                                    "{\"batch\":[{\"type\":\"track\",\"userId\":\"ana\",\"event\":"
                                            + "\"Order Completed\",\"properties\":{\"brand\":\"glitter\"}}]}")
                            .status())
                    .isEqualTo(200);
            var doc = fusion.send(java.net.http.HttpRequest.newBuilder(fusion.uri("/openapi.json"))
                    .build());
            assertThat(doc.status()).isEqualTo(200);
            assertThat(doc.body().get("openapi").asText()).startsWith("3.1");
            Iterator<Map.Entry<String, JsonNode>> paths =
                    doc.body().get("paths").properties().iterator();
            int checked = 0;
            while (paths.hasNext()) {
                var p = paths.next();
                String path = p.getKey()
                                .replace("{id}", "ana")
                                .replace("{brand}", "glitter")
                                .replace("{purpose}", "marketing")
                        + (p.getKey().endsWith("/ledger") ? "?brand=glitter" : "")
                        + (p.getKey().equals("/api/audiences") ? "?purpose=marketing" : "");
                for (String method : List.of("get", "post", "delete")) {
                    if (!p.getValue().has(method)) continue;
                    if (method.equals("delete") && p.getKey().equals("/api/profiles/{id}")) continue; // would erase ana
                    Running.Reply r = path.startsWith("/v1/")
                            ? fusion.postJson(path, "{\"batch\":[]}")
                            : fusion.call(
                                    method.toUpperCase(java.util.Locale.ROOT),
                                    path,
                                    Running.ADMIN,
                                    method.equals("get") ? null : "{}");
                    // a 404 from Fusion names what is missing; a route that does not exist has no such body
                    boolean served = r.status() != 404 || r.body().has("error");
                    assertThat(served)
                            .as(method + " " + p.getKey() + ": " + r.raw().body())
                            .isTrue();
                    assertThat(r.status()).as(method + " " + p.getKey()).isLessThan(500);
                    checked++;
                }
            }
            assertThat(checked).isGreaterThanOrEqualTo(30);
        }
    }
}
