package fusion.store;

import java.time.Instant;
import java.util.List;

/**
 * A party's relationship with one brand, scored at {@code at}.
 *
 * @param associationOnly the two share events through others (a co-involved party) but have not
 *                        interacted directly
 */
public record RelationshipView(
        String party,
        String brand,
        boolean competitor,
        Instant at,
        double experience,
        double fusion,
        double brandSide,
        double consumerSide,
        double association,
        long events,
        double money,
        Instant firstSeen,
        Instant lastEvent,
        boolean associationOnly,
        List<LedgerView> ledger) {}
