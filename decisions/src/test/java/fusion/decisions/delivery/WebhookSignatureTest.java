package fusion.decisions.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final String SECRET = "whsec_0123456789abcdef";
    private final byte[] body = "{\"decision_id\":\"d1\"}".getBytes(StandardCharsets.UTF_8);
    private final Instant now = Instant.parse("2026-03-10T12:00:00Z");

    @Test
    void theHeaderHasTheTimeAndTheV1Mac() {
        String h = WebhookSignature.sign(SECRET, now, body);
        assertThat(h).matches("t=" + now.getEpochSecond() + ",v1=[0-9a-f]{64}");
        assertThat(WebhookSignature.verify(SECRET, h, body, now.plusSeconds(10)))
                .isTrue();
    }

    @Test
    void aChangedBodyAWrongSecretOrAnOldTimeFail() {
        String h = WebhookSignature.sign(SECRET, now, body);
        assertThat(WebhookSignature.verify(SECRET, h, "{}".getBytes(StandardCharsets.UTF_8), now))
                .isFalse();
        assertThat(WebhookSignature.verify("another_secret_123456", h, body, now))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, h, body, now.plus(Duration.ofMinutes(6))))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, null, body, now)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, "t=x,v1=zz", body, now)).isFalse();
    }

    @Test
    void duringARotationAnyV1EntryMayMatch() {
        String oldSig = WebhookSignature.sign("old_secret_0123456789", now, body);
        String newSig = WebhookSignature.sign(SECRET, now, body);
        String both = newSig + "," + oldSig.substring(oldSig.indexOf("v1="));
        assertThat(WebhookSignature.verify(SECRET, both, body, now)).isTrue();
        assertThat(WebhookSignature.verify("old_secret_0123456789", both, body, now))
                .isTrue();
    }

    @Test
    void theMacIsOverTimeDotBody() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = java.util.HexFormat.of()
                .formatHex(mac.doFinal((now.getEpochSecond() + "." + new String(body, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(WebhookSignature.sign(SECRET, now, body)).endsWith("v1=" + expected);
    }
}
