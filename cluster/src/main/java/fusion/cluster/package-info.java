/**
 * The scale-out path's commands, in their own jar so that the single node's server jar carries no
 * Flink: {@code ./fusion job} submits the flink module's job jar to a Flink cluster, and
 * {@code ./fusion cluster-demo} runs the whole path (Kafka, Flink, PostgreSQL, the ingest tier)
 * on one machine. docs/SCALE-OUT.md describes both.
 */
package fusion.cluster;
