package fusion.core.engine;

import java.util.List;

/** What one event did: the pairs' new states and the ledger entries that explain them. */
public record Step(List<Relationship> relationships, List<LedgerEntry> ledger) {
    public Step {
        // unmodifiable views, not copies: this is allocated once per event on the hot path
        relationships = java.util.Collections.unmodifiableList(relationships);
        ledger = java.util.Collections.unmodifiableList(ledger);
    }
}
