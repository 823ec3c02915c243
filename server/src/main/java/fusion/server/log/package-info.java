/**
 * Where the ingest tier puts accepted calls. On a single node that is the store itself (its
 * {@code events} log, written in the same transaction as every table derived from it); with
 * {@code --log kafka://HOST:PORT/TOPIC} it is a Kafka topic that the Flink job reads, and the
 * server keeps no state of its own about ingest, so several can run side by side. Either way a
 * call is acknowledged only once the log holds it durably. See docs/SCALE-OUT.md.
 */
package fusion.server.log;
