package fusion.decisions.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.model.Channel;
import fusion.decisions.Decision;
import org.junit.jupiter.api.Test;

class DecisionBodyTest {

    @Test
    void theSameDecisionAlwaysGivesTheSameBytes() {
        Decision.Act act = WebhookDeliveryTest.act("d1", Channel.EMAIL);
        assertThat(DecisionBody.of(act)).isEqualTo(DecisionBody.of(WebhookDeliveryTest.act("d1", Channel.EMAIL)));
    }

    @Test
    void theBodyCarriesTheDecisionAndItsReasons() throws Exception {
        JsonNode n = new ObjectMapper().readTree(DecisionBody.of(WebhookDeliveryTest.act("d1", Channel.EMAIL)));
        assertThat(n.get("decision_id").asText()).isEqualTo("d1");
        assertThat(n.get("type").asText()).isEqualTo("plan_b");
        assertThat(n.get("channel").asText()).isEqualTo("email");
        assertThat(n.get("purpose").asText()).isEqualTo("contract");
        assertThat(n.get("send_at").asText()).isEqualTo("2026-03-10T12:00:00Z");
        assertThat(n.get("reasons").get(0).get("code").asText()).isEqualTo("action_chosen");
    }
}
