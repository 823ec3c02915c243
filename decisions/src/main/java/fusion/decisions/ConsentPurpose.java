package fusion.decisions;

import java.util.Locale;

/**
 * What a contact uses the customer's data for, as the consent ledger records it. Service contacts
 * (fixing a problem the customer has) are asked for separately from marketing ones (offers,
 * renewals, surprises), so a customer who refuses marketing still gets their problem solved.
 */
public enum ConsentPurpose {
    SERVICE, MARKETING, PERSONALISATION;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
