package fusion.decisions.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where delivery keeps its memory: which body went out under which key, each attempt, and the dead
 * letters. In memory by default ({@link InMemoryDeliveryLog}); a SQL one keeps it across restarts.
 */
public interface DeliveryLog {

    /**
     * Binds {@code bodySha256} to {@code key} if the key is new; returns the hash already bound
     * otherwise. The sender refuses to send a different body under a key already used.
     */
    Optional<String> bindBody(String key, String bodySha256);

    /** One attempt and what came of it: an HTTP status, or 0 and the error. */
    void attempt(String key, int attempt, int status, String error, Instant at);

    void delivered(String key, int attempts, Instant at);

    void deadLetter(DeadLetter letter);

    List<DeadLetter> deadLetters();

    /** Attempts recorded for a key, oldest first. */
    List<Attempt> attempts(String key);

    record Attempt(String key, int attempt, int status, String error, Instant at) {}
}
