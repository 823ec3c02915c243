package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment's own Node library ({@code @segment/analytics-node} 3.x), unchanged, pointed at Fusion
 * with its {@code host} option: it batches, sends JSON with Basic auth to {@code /v1/batch} and
 * reports each event delivered or failed. Installed by {@code npm ci --prefix server/src/test/node}
 * (CI does; elsewhere the test says how to run it).
 */
class SegmentNodeClientTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("Segment's unchanged Node library delivers identify and track calls that Fusion stores and scores")
    void theRealSegmentNodeLibraryDeliversItsEvents() throws Exception {
        NodeClients.assumeInstalled("@segment/analytics-node");
        try (Running fusion = new Running(dir)) {
            var sent = NodeClients.run(
                    "send-segment.js", "http://127.0.0.1:" + fusion.server.port(), Running.WRITE_KEY, "sega");
            assertThat(sent.exit()).as(sent.output()).isZero();
            assertThat(sent.output()).contains("delivered 3");
            // the identify linked the device to the user, so the anonymous ticket is the user's too
            var profile = fusion.get("/api/profiles/sega-device").body();
            assertThat(profile.get("identities").toString()).contains("user:sega", "anon:sega-device");
            var rels = fusion.get("/api/profiles/sega/relationships").body();
            assertThat(rels.get(0).get("brand").asText()).isEqualTo("brewline");
            assertThat(rels.get(0).get("events").asLong()).isEqualTo(2);
            assertThat(rels.get(0).get("money").asDouble()).isEqualTo(42.5);
        }
    }

    @Test
    @DisplayName("Segment's Node library reports a wrong write key as not delivered (Fusion answers 401)")
    void aWrongWriteKeyIsReportedByTheLibrary() throws Exception {
        NodeClients.assumeInstalled("@segment/analytics-node");
        try (Running fusion = new Running(dir)) {
            var sent = NodeClients.run(
                    "send-segment.js", "http://127.0.0.1:" + fusion.server.port(), "wk_wrong", "nobody");
            assertThat(sent.exit()).as(sent.output()).isEqualTo(1);
            assertThat(fusion.server.store().stats().events()).isZero();
        }
    }
}
