package fusion.decisions.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link DeliveryLog} in memory: for tests, demos and one-process deployments that accept losing
 * it on restart.
 */
public final class InMemoryDeliveryLog implements DeliveryLog {
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final Map<String, List<Attempt>> attempts = new ConcurrentHashMap<>();
    private final Map<String, Instant> delivered = new ConcurrentHashMap<>();
    private final List<DeadLetter> dead = new CopyOnWriteArrayList<>();

    @Override
    public Optional<String> bindBody(String key, String bodySha256) {
        return Optional.ofNullable(bodies.putIfAbsent(key, bodySha256));
    }

    @Override
    public void attempt(String key, int attempt, int status, String error, Instant at) {
        attempts.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
                .add(new Attempt(key, attempt, status, error, at));
    }

    @Override
    public void delivered(String key, int attemptCount, Instant at) {
        delivered.put(key, at);
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        dead.add(letter);
    }

    @Override
    public List<DeadLetter> deadLetters() {
        return List.copyOf(dead);
    }

    @Override
    public List<Attempt> attempts(String key) {
        return List.copyOf(attempts.getOrDefault(key, new ArrayList<>()));
    }

    public boolean isDelivered(String key) {
        return delivered.containsKey(key);
    }
}
