package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.server.access.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the start banner says about the bootstrap secrets, and where it keeps generated ones. */
class SecretsBannerTest {
    @TempDir
    Path parent;

    private record Banner(Credentials credentials, String text) {}

    private Banner load(Path dir, Map<String, String> env) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Credentials c = Secrets.load(dir, env, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Banner(c, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("issue 12 item 11: secrets from the environment are named by their variable, never printed")
    void secretsFromTheEnvironmentAreNotPrinted() throws Exception {
        String key = "wk_from_env_7d1f0c2a9b";
        String token = "at_from_env_4e6a8c0b1d";
        Banner b = load(parent.resolve("data"), Map.of("FUSION_WRITE_KEY", key, "FUSION_ADMIN_TOKEN", token));
        assertThat(b.credentials().writeKey()).isEqualTo(key);
        assertThat(b.credentials().adminToken()).isEqualTo(token);
        assertThat(b.credentials().writeKeyFrom()).isEqualTo("FUSION_WRITE_KEY");
        assertThat(b.text())
                .doesNotContain(key)
                .doesNotContain(token)
                .contains("FUSION_WRITE_KEY")
                .contains("FUSION_ADMIN_TOKEN");
    }

    @Test
    @DisplayName("issue 12 item 11: generated secrets are printed once; on the next start the banner names the "
            + "0600 secrets file instead")
    void generatedSecretsArePrintedOnceThenNamedByTheirFile() throws Exception {
        Path dir = parent.resolve("data");
        Banner first = load(dir, Map.of());
        assertThat(first.text())
                .contains(first.credentials().writeKey())
                .contains(first.credentials().adminToken());

        Banner second = load(dir, Map.of());
        assertThat(second.credentials()).isEqualTo(first.credentials());
        Path file = dir.resolve("secrets.properties");
        assertThat(second.text())
                .doesNotContain(first.credentials().writeKey())
                .doesNotContain(first.credentials().adminToken())
                .contains(file.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
    }

    @Test
    @DisplayName("issue 12 item 11: with only the write key in the environment, the generated admin token is shown "
            + "and the write key is not")
    void aMixOfSourcesShowsOnlyWhatWasGenerated() throws Exception {
        String key = "wk_from_env_0a1b2c3d4e";
        Banner b = load(parent.resolve("data"), Map.of("FUSION_WRITE_KEY", key));
        assertThat(b.text())
                .doesNotContain(key)
                .contains("FUSION_WRITE_KEY")
                .contains(b.credentials().adminToken());
    }
}
