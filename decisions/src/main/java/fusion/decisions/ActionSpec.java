package fusion.decisions;

import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the action catalogue.
 *
 * @param id          stable id ("plan-b-battery"), also what cooldowns count
 * @param kind        which plug-in decides whether it fits
 * @param channels    channels it can go out on, in the brand's order of preference
 * @param cooldown    not repeated for the customer within this
 * @param priority    higher first when several fit
 * @param purpose     the consent purpose it needs
 * @param eligibility extra gates
 * @param title       what the receiver shows ("A replacement battery, on us")
 * @param holdout     the share of people it is withheld from, to measure its uplift
 */
public record ActionSpec(
        String id,
        ActionKind kind,
        List<Channel> channels,
        Duration cooldown,
        int priority,
        ConsentPurpose purpose,
        Eligibility eligibility,
        String title,
        Holdout holdout) {
    /** Without a holdout. */
    public ActionSpec(
            String id,
            ActionKind kind,
            List<Channel> channels,
            Duration cooldown,
            int priority,
            ConsentPurpose purpose,
            Eligibility eligibility,
            String title) {
        this(id, kind, channels, cooldown, priority, purpose, eligibility, title, Holdout.NONE);
    }

    public ActionSpec {
        Objects.requireNonNull(holdout, "holdout");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(eligibility, "eligibility");
        title = title == null ? id : title;
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("action '" + id + "': channels must not be empty");
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("action '" + id + "': cooldown must not be negative");
        }
    }

    /** The same action with another holdout (for a simulation of one). */
    public ActionSpec withHoldout(Holdout other) {
        return new ActionSpec(id, kind, channels, cooldown, priority, purpose, eligibility, title, other);
    }
}
