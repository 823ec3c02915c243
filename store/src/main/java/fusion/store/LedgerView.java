package fusion.store;

import java.time.Instant;

/** One stored ledger entry with its readable cause. */
public record LedgerView(
        long seq,
        String party,
        String brand,
        Instant time,
        String eventId,
        String kind,
        double experienceBefore,
        double experienceAfter,
        double fusionBefore,
        double fusionAfter,
        String cause) {}
