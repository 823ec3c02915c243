package fusion.server.decisions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.Channel;
import fusion.core.model.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhooksTest {
    private static final String EMAIL = "{\"url\":\"https://crm.example.com/hook\",\"secret\":\"0123456789abcdef\"}";

    @Test
    void aWebhooksFileGivesOneEndpointPerChannelAndTheRetrySettings() {
        var c = Webhooks.parse(("{\"endpoints\":{\"email\":" + EMAIL + "},\"maxAttempts\":4,\"baseDelay\":\"PT2S\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(c.endpoint(Channel.EMAIL)).isPresent();
        assertThat(c.endpoint(Channel.APP)).isEmpty();
        assertThat(c.maxAttempts()).isEqualTo(4);
        assertThat(c.baseDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.maxDelay()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aRefusalNamesTheJsonPath() {
        assertThatThrownBy(() -> Webhooks.parse("{\"endpoints\":{\"fax\":{}}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("$.endpoints.fax");
        assertThatThrownBy(() ->
                        Webhooks.parse(("{\"endpoints\":{\"email\":{\"url\":\"https://x\",\"secret\":\"short\"}}}")
                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("$.endpoints.email")
                .hasMessageContaining("16");
        assertThatThrownBy(() -> Webhooks.parse(("{\"endpoints\":{\"email\":" + EMAIL + "},\"maxAtempts\":3}")
                        .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("$.maxAtempts");
        assertThatThrownBy(() -> Webhooks.parse(("{\"endpoints\":{\"email\":" + EMAIL + "},\"baseDelay\":\"1s\"}")
                        .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("$.baseDelay");
    }

    @Test
    void withoutAFileNothingIsDelivered() {
        assertThat(Webhooks.load(null)).isEmpty();
    }
}
