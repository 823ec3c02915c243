package fusion.store;

import java.time.Instant;

/**
 * The record an erasure leaves: when, by whom, and how much went. It names no one: the person's
 * id is not kept.
 */
public record Erasure(long id, Instant at, String actor, long events, long identities, long millis) {}
