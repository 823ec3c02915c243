package fusion.core.model;

import java.time.Instant;
import java.util.List;

/**
 * One event at a contact point between a party and a brand: the unit everything in Fusion is
 * computed from (PRODUCT.md, "Interaction").
 *
 * @param id           the event's id (Segment {@code messageId}), unique
 * @param party        the resolved profile of the consumer, member or influencer
 * @param brand        the brand met, own or competitor
 * @param contactPoint where it happened
 * @param purpose      why
 * @param initiator    who started it
 * @param time         when it happened (event time, skew-corrected)
 * @param outcome      what came of it
 * @param coParties    other parties involved (the artist on stage, the sweater worn, the
 *                     restaurant): each becomes associated with {@code party}
 * @param description  free text from the event, quoted in ledger causes; may be empty
 */
public record Interaction(
        String id,
        String party,
        Brand brand,
        ContactPoint contactPoint,
        Purpose purpose,
        Initiator initiator,
        Instant time,
        Outcome outcome,
        List<String> coParties,
        String description) {

    public Interaction {
        requireText("messageId", id);
        requireText("party", party);
        if (brand == null) throw new InvalidInput("brand", "must not be null");
        if (contactPoint == null) throw new InvalidInput("contact_point", "must not be null");
        if (purpose == null) throw new InvalidInput("purpose", "must not be null");
        if (initiator == null) throw new InvalidInput("initiator", "must not be null");
        if (time == null) throw new InvalidInput("timestamp", "must not be null");
        if (outcome == null) throw new InvalidInput("outcome", "must not be null");
        coParties = coParties == null ? List.of() : List.copyOf(coParties);
        for (String p : coParties) {
            if (p.equals(party)) {
                throw new InvalidInput("co_parties", "must not contain the party itself ('" + p + "')");
            }
        }
        description = description == null ? "" : description;
    }

    private static void requireText(String field, String v) {
        if (v == null || v.isBlank()) {
            throw new InvalidInput(field, "must not be empty");
        }
    }

    /** The same interaction attributed to another profile (after an identity merge). */
    public Interaction withParty(String newParty) {
        return new Interaction(
                id, newParty, brand, contactPoint, purpose, initiator, time, outcome, coParties, description);
    }
}
