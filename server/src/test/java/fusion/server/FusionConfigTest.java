package fusion.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.InvalidInput;
import fusion.server.access.Credentials;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FusionConfigTest {
    private static final Credentials CREDENTIALS = new Credentials("w", "a");

    @Test
    @DisplayName("issue 13: a port outside 0 to 65535 is refused naming the port and what is accepted")
    void aPortOutOfRangeIsRefused() {
        assertThatThrownBy(() -> FusionConfig.of("127.0.0.1", 65_536, CREDENTIALS))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("port: expected 0 to 65535 but was 65536");
        assertThatThrownBy(() -> FusionConfig.of("127.0.0.1", -1, CREDENTIALS))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("port: expected 0 to 65535 but was -1");
    }

    @Test
    @DisplayName("issue 13: a missing setting is refused naming it")
    void aMissingSettingIsRefusedNamingIt() {
        assertThatThrownBy(() -> FusionConfig.of(" ", 0, CREDENTIALS)).hasMessage("host: must not be empty");
        assertThatThrownBy(() -> FusionConfig.of("127.0.0.1", 0, null)).hasMessage("credentials: is required");
        assertThatThrownBy(() -> FusionConfig.of("127.0.0.1", 0, CREDENTIALS).withClock(null))
                .hasMessage("clock: is required");
        assertThatThrownBy(() -> FusionConfig.of("127.0.0.1", 0, CREDENTIALS).withAdmission(null))
                .hasMessage("admission: is required");
    }
}
