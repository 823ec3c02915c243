package fusion.store;

import java.time.Instant;

/** A search hit. */
public record ProfileSummary(String id, String name, long events, Instant lastSeen) {}
