package fusion.decisions;

import java.time.Instant;

/** What an {@link ActionType} looks at: the customer, what was inferred about them, and when. */
public record Situation(CustomerContext customer, IntentInference.Inference inference, Instant now) {}
