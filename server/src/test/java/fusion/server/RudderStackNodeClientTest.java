package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RudderStack's Node SDK ({@code @rudderstack/rudder-sdk-node} 3.x) pointed at Fusion. It gzips
 * its JSON and, through an axios quirk, labels it {@code application/x-www-form-urlencoded}.
 * The request it sends was captured from the real SDK by {@code server/src/test/node/capture.js}
 * (resources/clients/rudderstack-node.json, byte for byte); the live test drives the unchanged
 * SDK itself when it is installed ({@code npm ci --prefix server/src/test/node}).
 */
class RudderStackNodeClientTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("issue 12 item 1: the request RudderStack's Node SDK sends (gzip, form-urlencoded) is stored")
    void theCapturedRequestOfTheNodeSdkIsAccepted() throws Exception {
        JsonNode captured;
        try (InputStream in = getClass().getResourceAsStream("/clients/rudderstack-node.json")) {
            captured = Running.JSON.readTree(in);
        }
        JsonNode h = captured.get("headers");
        assertThat(h.get("content-type").asText()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(h.get("content-encoding").asText()).isEqualTo("gzip");
        byte[] body = Base64.getDecoder().decode(captured.get("bodyBase64").asText());
        List<String> headers = new ArrayList<>();
        for (String name : List.of("accept", "content-type", "user-agent", "content-encoding", "authorization")) {
            headers.add(name);
            headers.add(h.get(name).asText());
        }
        try (Running fusion = new Running(dir)) {
            var reply = fusion.post(captured.get("path").asText(), body, headers.toArray(String[]::new));
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
            assertThat(reply.body().get("accepted").asInt()).isEqualTo(1);
            assertThat(reply.body().get("scored").asInt()).isEqualTo(1);
            var rels = fusion.get("/api/profiles/rudder-user-1/relationships").body();
            assertThat(rels.get(0).get("brand").asText()).isEqualTo("brewline");
            assertThat(rels.get(0).get("money").asDouble()).isEqualTo(42.5);
        }
    }

    @Test
    @DisplayName("issue 12 item 1: the unchanged RudderStack Node SDK delivers its events to Fusion")
    void theRealNodeSdkDeliversItsEvents() throws Exception {
        NodeClients.assumeInstalled("@rudderstack/rudder-sdk-node");
        try (Running fusion = new Running(dir)) {
            var sent =
                    NodeClients.run("send.js", "http://127.0.0.1:" + fusion.server.port(), Running.WRITE_KEY, "rudi");
            assertThat(sent.exit()).as(sent.output()).isZero();
            assertThat(sent.output()).contains("delivered 3");
            var profile = fusion.get("/api/profiles/rudi-device").body();
            assertThat(profile.get("identities").toString()).contains("user:rudi", "anon:rudi-device");
            var rels = fusion.get("/api/profiles/rudi/relationships").body();
            assertThat(rels.get(0).get("events").asLong()).isEqualTo(2);
            assertThat(rels.get(0).get("money").asDouble()).isEqualTo(42.5);
        }
    }
}
