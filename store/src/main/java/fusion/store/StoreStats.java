package fusion.store;

import java.util.Map;

/** Counts for the health endpoint and the dashboard. */
public record StoreStats(
        long events,
        long profiles,
        long relationships,
        long ledgerEntries,
        long brands,
        Map<String, Long> unknownEvents) {}
