package fusion.core.engine;

import java.util.List;

/** What one event did: the pairs' new states and the ledger entries that explain them. */
public record Step(List<Relationship> relationships, List<LedgerEntry> ledger) {
    public Step {
        relationships = List.copyOf(relationships);
        ledger = List.copyOf(ledger);
    }
}
