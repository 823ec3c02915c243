/**
 * Storage: the event log and the state derived from it. {@link fusion.store.Store} is the single
 * node's aggregate, made of the narrower seams callers depend on: {@link fusion.store.EventLog}
 * (append, read from a position, erase), {@link fusion.store.ServingReads} (what the read API
 * serves), {@link fusion.store.Interactions} (the scored interactions, for live statistics) and
 * {@link fusion.store.BrandActions}, plus the {@link fusion.store.Access} and
 * {@link fusion.store.DecisionRecords} sub-stores. {@link fusion.store.Pipeline} is the shared
 * per-call logic (dedupe, resolve, map, log, merge, score) that runs inside the writer's
 * transaction, live and on replay alike; {@link fusion.store.Replay} rebuilds a store from its log
 * (or catches one up from a log position) and compares.
 */
package fusion.store;
