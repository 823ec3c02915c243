/**
 * Benchmarks, measured by the scripts in {@code bench/} and never by tests: the engine under JMH,
 * each store's ingest rate, the raw insert ceiling, the SQL alternative a user might build instead,
 * and a load driver that posts Segment batches to a running server on loopback. Each is bounded in
 * time and writes its figures for a result file under {@code bench/results/}.
 */
package fusion.bench;
