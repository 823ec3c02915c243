/**
 * Activation: sending an audience's members somewhere (docs/AUDIENCES.md, destinations). A
 * destination is a signed webhook, a Kafka topic, or CSV/Parquet files; entered/left events stream
 * to it through the store's outbox, and a full export sends the current members. Consent is
 * checked at the moment of sending, delivery is at least once with idempotency keys, retries with
 * backoff and dead letters, and an erasure removes the person from everything not yet sent.
 */
package fusion.server.activation;
