package fusion.decisions;

import java.util.Locale;

/** Machine-readable reasons a decision carries; {@link Reason} adds the human sentence. */
public enum ReasonCode {
    // why an action was chosen
    INTENT,
    ACTION_CHOSEN,
    CHANNEL_STATED_PREFERENCE,
    CHANNEL_OBSERVED,
    CHANNEL_CATALOGUE_ORDER,
    CONSENT_GIVEN,
    QUIET_HOURS_DEFERRED,
    // why an action (or every action) was not
    NEED_UNMET,
    UNMET_NEED_NO_FIX,
    NOT_A_FIX,
    NOT_RELEVANT,
    NOT_IN_AUDIENCE,
    HOLDOUT,
    NOTHING_RELEVANT,
    COOLDOWN,
    LOW_VALUE,
    NO_CONSENT,
    CAPPED_CHANNEL,
    CAPPED_OVERALL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
