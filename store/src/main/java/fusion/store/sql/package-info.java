/**
 * The SQL implementation of the store, on SQLite (the embedded default). The writer keeps one
 * transaction per batch and a cache of relationship states; queries run on separate read
 * connections. Schema scripts live in {@code resources/fusion/store/migrations}.
 */
package fusion.store.sql;
