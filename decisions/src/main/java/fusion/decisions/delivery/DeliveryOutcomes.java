package fusion.decisions.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.InvalidInput;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import fusion.decisions.ActionKind;
import fusion.decisions.OutcomeReports;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns what the receiver reports about a delivered decision into an {@link Interaction}, so that
 * our own actions move the scores like any other contact:
 * <ul>
 *   <li>{@code delivered}: the brand reached the customer (brand-initiated, neutral);</li>
 *   <li>{@code opened}: the customer looked (consumer-initiated, neutral): the channel works for
 *       them, which feeds the observed channel preference;</li>
 *   <li>{@code accepted}: the customer took it. A fix (Plan B, recovery, video valet, information,
 *       courier return) meets the need, which closes the open matter; a renewal is a renewal; a
 *       reward or a surprise is value received, and a surprise is a wow moment;</li>
 *   <li>{@code declined}: consumer-initiated, neutral: a no is information, not a bad memory.</li>
 * </ul>
 * The interaction id is {@code <decision id>:<event>}, so a callback sent twice is de-duplicated by
 * ingestion like any repeated {@code messageId}.
 */
public final class DeliveryOutcomes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeliveryOutcomes() {}

    public enum Event {
        DELIVERED,
        OPENED,
        ACCEPTED,
        DECLINED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One callback from a receiver about one decision. */
    public record Callback(
            String decisionId,
            String customer,
            String brand,
            String actionId,
            ActionKind kind,
            Channel channel,
            Event event,
            Instant at) {
        public Callback {
            Objects.requireNonNull(decisionId, "decision_id");
            Objects.requireNonNull(customer, "customer");
            Objects.requireNonNull(brand, "brand");
            Objects.requireNonNull(actionId, "action_id");
            Objects.requireNonNull(kind, "type");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(at, "at");
        }

        public Callback withActionId(String v) {
            return new Callback(decisionId, customer, brand, v, kind, channel, event, at);
        }
    }

    public static Interaction toInteraction(Callback c) {
        boolean fromCustomer = c.event() != Event.DELIVERED;
        return new Interaction(
                c.decisionId() + ":" + c.event().label(),
                c.customer(),
                Brand.own(c.brand()),
                new ContactPoint(OutcomeReports.contactPoint(c.actionId()), c.channel()),
                purpose(c.kind()),
                fromCustomer ? Initiator.CONSUMER : Initiator.BRAND,
                c.at(),
                outcome(c),
                List.of(),
                c.event().label() + ": " + c.actionId());
    }

    static Purpose purpose(ActionKind kind) {
        return switch (kind) {
            case INFORMATION -> Purpose.RESEARCH;
            case RENEWAL -> Purpose.RENEWAL;
            case PLAN_B, VIDEO_VALET, SERVICE_RECOVERY, COURIER_RETURN, POLITENESS_REWARD, DELIGHT, IDEA_CREDIT ->
                Purpose.SERVICE;
        };
    }

    private static Outcome outcome(Callback c) {
        if (c.event() != Event.ACCEPTED) {
            return Outcome.NEUTRAL;
        }
        return switch (c.kind()) {
            case PLAN_B, VIDEO_VALET, SERVICE_RECOVERY, INFORMATION, COURIER_RETURN, RENEWAL ->
                Outcome.builder().need(Need.MET).sentiment(0.5).build();
            case POLITENESS_REWARD ->
                Outcome.builder().valueReceived(1).sentiment(0.5).build();
            case DELIGHT ->
                Outcome.builder().valueReceived(1).wow(true).sentiment(0.8).build();
            case IDEA_CREDIT -> Outcome.builder().sentiment(0.8).build();
        };
    }

    /**
     * Reads a callback body: {@code decision_id, customer, brand, action_id, type, channel, event, at}
     * (all strings, {@code at} ISO-8601). A bad field throws {@link InvalidInput} naming it.
     */
    public static Callback parse(byte[] json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new InvalidInput("body", "expected a JSON object but it did not parse: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new InvalidInput("body", "expected a JSON object");
        }
        ActionKind kind;
        try {
            kind = ActionKind.valueOf(text(n, "type").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(
                    "type", "unknown action type '" + n.get("type").asText() + "'");
        }
        Event event;
        try {
            event = Event.valueOf(text(n, "event").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(
                    "event",
                    "expected delivered, opened, accepted or declined but was '"
                            + n.get("event").asText() + "'");
        }
        Instant at;
        try {
            at = Instant.parse(text(n, "at"));
        } catch (DateTimeParseException e) {
            throw new InvalidInput(
                    "at", "expected ISO-8601 but was '" + n.get("at").asText() + "'");
        }
        return new Callback(
                text(n, "decision_id"),
                text(n, "customer"),
                text(n, "brand"),
                text(n, "action_id"),
                kind,
                Channel.parse("channel", text(n, "channel")),
                event,
                at);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new InvalidInput(field, "must be a non-empty string");
        }
        return v.asText();
    }
}
