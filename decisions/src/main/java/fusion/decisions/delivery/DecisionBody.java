package fusion.decisions.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.decisions.Decision;
import fusion.decisions.Reason;

/**
 * The webhook body of a decision. Built from the decision alone, so the same decision always gives
 * the same bytes: a retry, or a re-send from the dead letters, carries exactly what was signed
 * first.
 */
public final class DecisionBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecisionBody() {}

    public static byte[] of(Decision.Act act) {
        ObjectNode o = JSON.createObjectNode();
        o.put("decision_id", act.decisionId());
        o.put("customer", act.customer());
        o.put("action_id", act.actionId());
        o.put("type", act.kind().label());
        o.put("channel", act.channel().label());
        o.put("purpose", act.purpose().label());
        o.put("decided_at", act.decidedAt().toString());
        o.put("send_at", act.sendAt().toString());
        ArrayNode reasons = o.putArray("reasons");
        for (Reason r : act.reasons()) {
            reasons.addObject().put("code", r.code().label()).put("sentence", r.sentence());
        }
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }
}
