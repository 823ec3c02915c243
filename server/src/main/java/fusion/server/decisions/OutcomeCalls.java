package fusion.server.decisions;

import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.segment.SegmentCall;
import fusion.decisions.delivery.DeliveryOutcomes;
import fusion.store.ProfileView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A receiver's outcome callback as a Segment track call ({@code Decision Delivered},
 * {@code Decision Opened}, {@code Decision Accepted}, {@code Decision Declined}), so that it goes
 * through ingestion, lands in the log (replay keeps it) and moves the scores like any contact.
 * The properties carry every field of {@link DeliveryOutcomes#toInteraction}, so the mapping
 * reproduces that interaction exactly; its id is the call's {@code messageId}, so a callback
 * sent twice is a duplicate.
 */
public final class OutcomeCalls {
    private OutcomeCalls() {}

    public static SegmentCall toCall(DeliveryOutcomes.Callback callback, ProfileView person, Instant receivedAt) {
        Interaction i = DeliveryOutcomes.toInteraction(callback);
        Outcome o = i.outcome();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("brand", i.brand().id());
        props.put("channel", i.contactPoint().channel().label());
        props.put("contact_point", i.contactPoint().id());
        props.put("purpose", i.purpose().label());
        props.put("initiator", i.initiator().label());
        props.put("description", i.description());
        props.put("decision_id", callback.decisionId());
        props.put("action_id", callback.actionId());
        if (o.need() != Need.UNKNOWN) props.put("need", o.need().label());
        if (o.hasSentiment()) props.put("sentiment", o.sentiment());
        if (o.valueReceived() != 0) props.put("value_received", o.valueReceived());
        if (o.wow()) props.put("wow", true);
        String identity = person.identities().isEmpty()
                ? "anon:" + person.id()
                : person.identities().get(0);
        String userId = identity.startsWith("user:") ? identity.substring(5) : null;
        String anonymousId = userId == null ? identity.substring(identity.indexOf(':') + 1) : null;
        return new SegmentCall(
                SegmentCall.Type.TRACK,
                i.id(),
                userId,
                anonymousId,
                eventName(callback.event()),
                null,
                null,
                null,
                props,
                Map.of(),
                Map.of("library", Map.of("name", "fusion-outcomes")),
                callback.at(),
                receivedAt);
    }

    static String eventName(DeliveryOutcomes.Event e) {
        String l = e.label();
        return "Decision " + Character.toUpperCase(l.charAt(0)) + l.substring(1);
    }

    static List<String> eventNames() {
        return List.of("Decision Delivered", "Decision Opened", "Decision Accepted", "Decision Declined");
    }
}
