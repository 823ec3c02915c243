/**
 * The scale-out job: Kafka's topic of accepted calls read by Flink's {@code KafkaSource}, put in the
 * log's (receivedAt, messageId) order ({@link fusion.flink.LogRecord}), de-duplicated by messageId,
 * and applied by the store's own {@code Pipeline} over checkpointed Flink state: identities in one
 * ordered stage ({@link fusion.flink.StateTx}), relationship states and the engine keyed by profile
 * ({@link fusion.flink.Score}); {@link fusion.flink.ServingTablesSink} joins both halves and writes the PostgreSQL serving tables
 * and {@code log_progress} idempotently by log position. {@link fusion.flink.FusionJob} builds the
 * topology. See docs/SCALE-OUT.md.
 */
package fusion.flink;
