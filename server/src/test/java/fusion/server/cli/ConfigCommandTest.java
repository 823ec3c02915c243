package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
    @TempDir
    Path dir;

    private static String run(String... args) {
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return code + "\n" + out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }

    private Path file() throws Exception {
        return Files.writeString(
                dir.resolve("fusion.properties"),
                "port=7100\ningest.places=8\n"
                        + "store=postgresql://fusion:hunter2@db:5432/fusion\nadmin-token=at_topsecret\n");
    }

    @Test
    @DisplayName("issue 13: fusion config prints every setting in force with its source, secrets redacted")
    void configPrintsEverySettingWithItsSource() throws Exception {
        String out = run("config", "--config", file().toString(), "--port", "7300", "--data", dir.toString());
        assertThat(out)
                .startsWith("0\n")
                .contains("Configuration in force")
                .doesNotContain("hunter2")
                .doesNotContain("at_topsecret");
        assertThat(line(out, "port ")).contains("7300").contains("flag").contains("--port / FUSION_PORT");
        assertThat(line(out, "ingest.places ")).contains(" 8 ").contains("file");
        assertThat(line(out, "ingest.wait ")).contains("2s").contains("default");
        assertThat(line(out, "admin-token ")).contains("<redacted>").contains("file");
        assertThat(line(out, "write-key ")).contains("(unset: generated into " + dir.resolve("secrets.properties"));
        assertThat(line(out, "store ")).contains("db:5432/fusion");
        // the scoring model's table follows
        assertThat(out).contains("experience_half_life_days", "max_propagation");
    }

    @Test
    @DisplayName("issue 13: fusion config --json gives each setting's value, source, flag and variable")
    void configAsJson() throws Exception {
        String out = run("config", "--json", "--config", file().toString(), "--port", "7300");
        assertThat(out).startsWith("0\n").doesNotContain("hunter2").doesNotContain("at_topsecret");
        JsonNode root = new ObjectMapper().readTree(out.substring(2));
        JsonNode port = setting(root, "port");
        assertThat(port.get("value").asText()).isEqualTo("7300");
        assertThat(port.get("source").asText()).isEqualTo("flag");
        assertThat(port.get("env").asText()).isEqualTo("FUSION_PORT");
        assertThat(setting(root, "ingest.places").get("source").asText()).isEqualTo("file");
        assertThat(setting(root, "host").get("value").asText()).isEqualTo("127.0.0.1");
        assertThat(setting(root, "host").get("source").asText()).isEqualTo("default");
        assertThat(setting(root, "admin-token").get("value").asText()).isEqualTo("<redacted>");
        assertThat(root.get("precedence").toString()).isEqualTo("[\"flag\",\"env\",\"file\",\"default\"]");
        assertThat(root.get("model").size()).isEqualTo(fusion.core.engine.Parameter.values().length);
    }

    @Test
    @DisplayName("issue 13: fusion config refuses a bad setting with exit status 2, naming the flag and the variable")
    void aBadSettingIsRefused() {
        String out = run("config", "--ingest-places", "0");
        assertThat(out)
                .startsWith("2\n")
                .contains("--ingest-places (FUSION_INGEST_PLACES, file key ingest.places): "
                        + "expected 1 to 1024 (given '0' by flag --ingest-places)");
    }

    @Test
    @DisplayName("issue 13: fusion config --help says the order of the sources")
    void helpSaysTheOrder() {
        assertThat(run("config", "--help"))
                .startsWith("0\n")
                .contains("--json")
                .contains("--config=FILE")
                .contains("flag wins over the environment");
    }

    private static String line(String out, String start) {
        return out.lines()
                .filter(l -> l.startsWith(start))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in\n" + out));
    }

    private static JsonNode setting(JsonNode root, String key) {
        for (JsonNode n : root.get("settings")) {
            if (n.get("key").asText().equals(key)) return n;
        }
        throw new AssertionError("no setting " + key);
    }
}
