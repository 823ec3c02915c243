package fusion.store;

import java.time.Instant;

/** One logged call of a profile. {@code scored} is false for calls kept without an interaction. */
public record TimelineItem(
        long seq,
        String messageId,
        String type,
        String name,
        Instant time,
        String brand,
        String channel,
        String purpose,
        boolean scored) {}
