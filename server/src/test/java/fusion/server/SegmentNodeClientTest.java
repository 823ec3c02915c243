package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
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
        Path clients = Path.of("src/test/node").toAbsolutePath();
        boolean installed = Files.isDirectory(clients.resolve("node_modules/@segment/analytics-node"));
        boolean required = System.getenv("CI") != null || System.getenv("FUSION_REQUIRE_NODE_CLIENTS") != null;
        if (!required) {
            Assumptions.assumeTrue(installed && onPath("node"),
                    "Segment's Node library is not installed: run npm ci --prefix server/src/test/node");
        }
        try (Running fusion = new Running(dir)) {
            Process node = new ProcessBuilder("node", "send-segment.js", "http://127.0.0.1:" + fusion.server.port(),
                    Running.WRITE_KEY, "sega").directory(clients.toFile()).redirectErrorStream(true).start();
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the library answered within 60 s").isTrue();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as(output).isZero();
            assertThat(output).contains("delivered 3");
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
        Path clients = Path.of("src/test/node").toAbsolutePath();
        boolean required = System.getenv("CI") != null || System.getenv("FUSION_REQUIRE_NODE_CLIENTS") != null;
        if (!required) {
            Assumptions.assumeTrue(Files.isDirectory(clients.resolve("node_modules/@segment/analytics-node"))
                    && onPath("node"), "Segment's Node library is not installed: run npm ci --prefix server/src/test/node");
        }
        try (Running fusion = new Running(dir)) {
            Process node = new ProcessBuilder("node", "send-segment.js", "http://127.0.0.1:" + fusion.server.port(),
                    "wk_wrong", "nobody").directory(clients.toFile()).redirectErrorStream(true).start();
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as(output).isEqualTo(1);
            assertThat(fusion.server.store().stats().events()).isZero();
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) return true;
        }
        return false;
    }
}
