package fusion.decisions;

import java.util.Locale;

/** The types of action a catalogue entry can declare; each has one {@link ActionType} plug-in. */
public enum ActionKind {
    PLAN_B,
    VIDEO_VALET,
    COURIER_RETURN,
    POLITENESS_REWARD,
    SERVICE_RECOVERY,
    INFORMATION,
    RENEWAL,
    DELIGHT,
    IDEA_CREDIT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ActionKind parse(String value) {
        String key = value.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return ActionKind.valueOf(key);
    }
}
