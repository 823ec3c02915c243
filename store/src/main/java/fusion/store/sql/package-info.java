/**
 * The SQL implementation of the store, on SQLite (the embedded default) or PostgreSQL. The writer
 * commits the waiting batches in one transaction (group commit, a savepoint per batch) and keeps a
 * cache of relationship states; queries run on separate read
 * connections. Schema scripts live in {@code resources/fusion/store/migrations}.
 */
package fusion.store.sql;
