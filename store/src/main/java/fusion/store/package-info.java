/**
 * Storage: the event log and the state derived from it. {@link fusion.store.Store} is the
 * contract every store implements; {@link fusion.store.Pipeline} is the shared per-call logic
 * (dedupe, resolve, map, log, merge, score) that runs inside a store's transaction, live and on
 * replay alike; {@link fusion.store.Replay} rebuilds a store from its log and compares.
 */
package fusion.store;
