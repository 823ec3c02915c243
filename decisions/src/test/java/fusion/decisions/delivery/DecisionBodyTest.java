package fusion.decisions.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import fusion.decisions.ActionKind;
import fusion.decisions.Decision;
import fusion.decisions.Reason;
import fusion.decisions.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DecisionBodyTest {

    @Test
    @DisplayName("issue 13: the body is exactly the documented fields in their fixed order, written out here by hand")
    void theBodyIsTheDocumentedFieldsInTheirFixedOrder() {
        // docs/DECISIONS.md: decision_id, customer, action_id, type, channel, purpose, decided_at,
        // send_at, reasons. A fixed order and no whitespace are what make the HMAC signature of a
        // retried delivery the same as the first one.
        String expected = "{\"decision_id\":\"d1\",\"customer\":\"alice\",\"action_id\":\"plan-b-replacement\","
                + "\"type\":\"plan_b\",\"channel\":\"email\",\"purpose\":\"contract\","
                + "\"decided_at\":\"2026-03-10T12:00:00Z\",\"send_at\":\"2026-03-10T12:00:00Z\","
                + "\"reasons\":[{\"code\":\"action_chosen\",\"sentence\":\"charger broken\"}]}";

        assertThat(new String(DecisionBody.of(WebhookDeliveryTest.act("d1", Channel.EMAIL)), StandardCharsets.UTF_8))
                .isEqualTo(expected);
    }

    @Test
    @DisplayName(
            "issue 13: quotes, newlines and non-ASCII letters in a reason are escaped as RFC 8259 says and sent as UTF-8")
    void reasonsAreEscapedAsJsonRequiresAndSentAsUtf8() {
        Instant sent = Instant.parse("2026-03-10T12:00:00Z");
        Instant decided = Instant.parse("2026-03-10T11:59:30Z");
        Decision.Act act = new Decision.Act(
                "d2",
                "zoë",
                "a1",
                ActionKind.PLAN_B,
                Channel.MESSAGING,
                ConsentPurpose.CONTRACT,
                decided,
                sent,
                List.of(Reason.of(ReasonCode.ACTION_CHOSEN, "she said \"no\"\nthen \\ yes")));

        byte[] body = DecisionBody.of(act);

        String expected = "{\"decision_id\":\"d2\",\"customer\":\"zo\u00eb\",\"action_id\":\"a1\",\"type\":\"plan_b\","
                + "\"channel\":\"messaging\",\"purpose\":\"contract\",\"decided_at\":\"2026-03-10T11:59:30Z\","
                + "\"send_at\":\"2026-03-10T12:00:00Z\",\"reasons\":[{\"code\":\"action_chosen\","
                + "\"sentence\":\"she said \\\"no\\\"\\nthen \\\\ yes\"}]}";
        assertThat(body).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        // ë is two bytes in UTF-8 (0xC3 0xAB), not an escape
        assertThat(body).containsSequence((byte) 0xC3, (byte) 0xAB);
    }
}
