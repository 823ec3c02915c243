package fusion.decisions;

import fusion.core.model.Channel;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What the customer is about, read from their trajectory.
 *
 * @param kind     what kind of intent
 * @param subject  what it is about: the product, the ticket, the membership
 * @param since    when the evidence for it began
 * @param channel  the channel of the latest evidence
 * @param strength how much evidence: research events, contacts spent on a complaint, polite acts
 * @param evidence id of the latest interaction that shows it
 */
public record Intent(Kind kind, String subject, Instant since, Channel channel, int strength, String evidence) {

    public enum Kind {
        /** Looking at a product more than once and not buying yet. */
        RESEARCHING,
        /** Asked something and got no satisfying answer yet. */
        OPEN_QUESTION,
        /** Complained and no resolution followed. */
        OPEN_COMPLAINT,
        /** Something ran out, broke or was lost, not yet replaced. */
        LOST_OR_BROKEN,
        /** The latest experience was bad (need failed, rude staff, angry). */
        BAD_EXPERIENCE,
        /** A membership or subscription renewal is coming due (or just overdue). */
        RENEWAL_DUE,
        /** Bought something recently. */
        RECENT_PURCHASE,
        /** Has been polite to our staff. */
        POLITE_BEHAVIOUR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Intent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(evidence, "evidence");
    }

    public String sentence() {
        return switch (kind) {
            case RESEARCHING -> "researching '" + subject + "' (" + strength + " visits)";
            case OPEN_QUESTION -> "has an open question about '" + subject + "'";
            case OPEN_COMPLAINT ->
                "has an open complaint about '" + subject + "' (" + strength + " extra contacts or channel switches)";
            case LOST_OR_BROKEN -> "'" + subject + "' ran out, broke or was lost";
            case BAD_EXPERIENCE -> "had a bad experience: '" + subject + "'";
            case RENEWAL_DUE -> "renewal of '" + subject + "' is due";
            case RECENT_PURCHASE -> "recently bought '" + subject + "' on " + channel.label();
            case POLITE_BEHAVIOUR -> "was polite to our staff " + strength + " time(s)";
        };
    }
}
