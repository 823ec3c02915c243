package fusion.server.audiences;

import fusion.core.consent.ConsentPurpose;
import fusion.store.RelationshipView;
import java.time.Instant;

/** What a rule may ask about one person at one instant; each answer is loaded only when a rule asks. */
interface Facts {
    String profile();

    Instant now();

    /** The person's scored interactions, in log order. */
    EventHistory history();

    /** A trait from the profile (string, number, boolean, list or map), or null. */
    Object trait(String name);

    /** The person's relationship with {@code brand} at {@link #now}, or null when they have none. */
    RelationshipView relationship(String brand);

    /** Probability alive (BG/NBD), or null when the model is not fitted or knows nothing of them. */
    Double probabilityAlive();

    /** Discounted lifetime value, or null as for {@link #probabilityAlive}. */
    Double lifetimeValue();

    /** The churn model's risk that the person lapses at {@code brand} in the next 30 days, or null when not scored. */
    Double churnRisk(String brand);

    boolean consent(ConsentPurpose purpose, String channel);

    /** Whether the person is in {@code audience} (already evaluated in this pass: dependencies come first). */
    boolean member(String audience);
}
