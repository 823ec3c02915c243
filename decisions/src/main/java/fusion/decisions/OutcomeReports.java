package fusion.decisions;

import fusion.core.model.Interaction;

/**
 * How Fusion's own reports of what came of a decision (a receiver's {@code delivered},
 * {@code opened}, {@code accepted}, {@code declined} callback) are told apart from what the
 * customer did or said: they happen at the contact point {@code decision-<action id>}. Their
 * outcome (need met, sentiment, value) is what the customer did and counts like any contact;
 * their description ({@code "accepted: plan-b-replacement"}) is Fusion's own label, not the
 * customer's words, so intents are never read from it.
 */
public final class OutcomeReports {
    /** The contact point of every report is this prefix and the action id. */
    public static final String CONTACT_POINT_PREFIX = "decision-";

    private OutcomeReports() {}

    /** The contact point at which outcomes of {@code actionId} are reported. */
    public static String contactPoint(String actionId) {
        return CONTACT_POINT_PREFIX + actionId;
    }

    /** True when {@code i} is Fusion's report of a decision's outcome, not the customer's own event. */
    public static boolean isReport(Interaction i) {
        return i.contactPoint().id().startsWith(CONTACT_POINT_PREFIX);
    }
}
