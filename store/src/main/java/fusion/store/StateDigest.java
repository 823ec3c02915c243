package fusion.store;

import java.util.Map;

/**
 * Row counts and a SHA-256 of every derived table's rows in key order, with doubles compared
 * bit for bit. Two stores with equal digests hold the same state, field by field.
 */
public record StateDigest(Map<String, Long> rows, Map<String, String> sha256) {
    /** Tables whose contents differ from {@code other}'s. */
    public java.util.List<String> differences(StateDigest other) {
        return sha256.keySet().stream()
                .filter(t -> !sha256.get(t).equals(other.sha256.get(t)))
                .sorted()
                .toList();
    }
}
