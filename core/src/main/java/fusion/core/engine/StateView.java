package fusion.core.engine;

import java.util.List;
import java.util.Optional;

/**
 * The engine's read-only window on current state. The server backs it with its store and cache,
 * replay with a fresh store, a Flink job with keyed state, a test with a map.
 */
public interface StateView {
    Optional<Relationship> relationship(String party, String brand);

    /** Every pair of {@code party}, in any order (the engine sorts what it uses). */
    List<Relationship> relationshipsOf(String party);
}
