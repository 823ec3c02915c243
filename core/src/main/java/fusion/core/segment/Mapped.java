package fusion.core.segment;

import fusion.core.model.Interaction;

/** What a call turned into: an interaction to score, or a call kept in the log without one. */
public sealed interface Mapped {
    /** A scored interaction. */
    record Scored(Interaction interaction) implements Mapped {}

    /**
     * Kept, not scored: identify/group/alias calls (they change profiles, brands and identities),
     * and track calls whose event name no mapping knows (counted, so they can be mapped later).
     */
    record Kept(String reason, boolean unknownEvent) implements Mapped {}
}
