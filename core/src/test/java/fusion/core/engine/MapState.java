package fusion.core.engine;

import fusion.core.model.Interaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** State in a map, for tests: applies steps back into itself and keeps every ledger entry. */
final class MapState implements StateView {
    final Map<String, Relationship> pairs = new LinkedHashMap<>();
    final List<LedgerEntry> ledger = new ArrayList<>();
    final Engine engine;

    MapState(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Optional<Relationship> relationship(String party, String brand) {
        return Optional.ofNullable(pairs.get(party + "|" + brand));
    }

    @Override
    public List<Relationship> relationshipsOf(String party) {
        return pairs.values().stream().filter(r -> r.party().equals(party)).toList();
    }

    Step apply(Interaction e) {
        Step s = engine.apply(this, e);
        for (Relationship r : s.relationships()) pairs.put(r.party() + "|" + r.brand(), r);
        ledger.addAll(s.ledger());
        return s;
    }

    MapState applyAll(List<Interaction> events) {
        events.forEach(this::apply);
        return this;
    }

    Relationship pair(String party, String brand) {
        return relationship(party, brand).orElseThrow();
    }

    Score score(String party, String brand, Instant at) {
        return engine.score(pair(party, brand), at);
    }
}
