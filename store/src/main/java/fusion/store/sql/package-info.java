/**
 * The SQL implementation of the store, on SQLite (the embedded default) or PostgreSQL. The writer
 * commits the waiting batches in one transaction (group commit, a savepoint per batch when there
 * are several) and keeps Caffeine caches of relationship states and the identity graph, of which a
 * rolled-back batch drops only what it loaded or wrote; queries run on separate read
 * connections. Schema scripts live in {@code resources/fusion/store/migrations}.
 */
package fusion.store.sql;
