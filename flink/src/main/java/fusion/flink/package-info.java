/**
 * The scale-out job: Kafka's topic of accepted calls read by Flink's {@code KafkaSource}, put in the
 * log's (receivedAt, messageId) order ({@link fusion.flink.LogRecord}), de-duplicated by messageId,
 * and applied by the store's own {@code Pipeline} over checkpointed Flink state ({@link
 * fusion.flink.StateTx}); {@link fusion.flink.ServingTablesSink} writes the PostgreSQL serving tables
 * and {@code log_progress} idempotently by log position. {@link fusion.flink.FusionJob} builds the
 * topology. See docs/SCALE-OUT.md.
 */
package fusion.flink;
