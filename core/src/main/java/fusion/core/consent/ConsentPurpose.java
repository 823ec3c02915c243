package fusion.core.consent;

import fusion.core.model.InvalidInput;
import java.util.Locale;
import java.util.Optional;

/**
 * What a person's data may be used for. Each use Fusion makes of personal data names one of
 * these and is checked against the consent ledger at the moment of use.
 */
public enum ConsentPurpose {
    /** Measuring: scores, journeys and reports about the person. */
    ANALYTICS("analytics"),
    /** Adapting what the person sees to them: personalised content, scores served to a website. */
    PERSONALISATION("personalisation"),
    /** Reaching out unasked, per channel (email, sms, push, phone, post...). */
    MARKETING("marketing"),
    /** Handing the person's data to a third party. */
    SHARING("sharing"),
    /** What the service of a contract needs (an order's delivery, a repair, a subscription). */
    CONTRACT("contract");

    private final String label;

    ConsentPurpose(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * A purpose by its label or a common synonym (Segment consent categories: {@code Advertising},
     * {@code Functional}, {@code StrictlyNecessary}...); empty when the name is not a purpose.
     */
    public static Optional<ConsentPurpose> find(String name) {
        if (name == null) return Optional.empty();
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        return Optional.ofNullable(
                switch (n) {
                    case "analytics", "measurement", "statistics", "performance" -> ANALYTICS;
                    case "personalisation", "personalization", "functional", "preferences" -> PERSONALISATION;
                    case "marketing", "advertising", "ads", "targeting" -> MARKETING;
                    case "sharing", "thirdparty", "thirdparties", "datasharing", "sale" -> SHARING;
                    case "contract", "necessary", "strictlynecessary", "essential", "service" -> CONTRACT;
                    default -> null;
                });
    }

    /** Like {@link #find} but fails naming {@code field} when the name is not a purpose. */
    public static ConsentPurpose parse(String field, String name) {
        return find(name)
                .orElseThrow(() -> new InvalidInput(
                        field,
                        "unknown purpose '" + name
                                + "'; expected one of analytics, personalisation, marketing, sharing, contract"));
    }
}
