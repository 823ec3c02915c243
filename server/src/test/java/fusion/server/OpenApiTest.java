package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
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
            assertThat(fusion.postJson("/v1/batch", "{\"batch\":[{\"type\":\"track\",\"userId\":\"ana\",\"event\":"
                    + "\"Order Completed\",\"properties\":{\"brand\":\"glitter\"}}]}").status()).isEqualTo(200);
            var doc = fusion.send(java.net.http.HttpRequest.newBuilder(fusion.uri("/openapi.json")).build());
            assertThat(doc.status()).isEqualTo(200);
            assertThat(doc.body().get("openapi").asText()).startsWith("3.1");
            Iterator<Map.Entry<String, JsonNode>> paths = doc.body().get("paths").fields();
            int checked = 0;
            while (paths.hasNext()) {
                var p = paths.next();
                String path = p.getKey().replace("{id}", "ana").replace("{brand}", "glitter")
                        + (p.getKey().endsWith("/ledger") ? "?brand=glitter" : "");
                int status = p.getValue().has("post") ? fusion.postJson(path, "{\"batch\":[]}").status()
                        : fusion.get(path).status();
                assertThat(status).as(p.getKey()).isNotEqualTo(404).isLessThan(500);
                checked++;
            }
            assertThat(checked).isGreaterThanOrEqualTo(12);
        }
    }
}
