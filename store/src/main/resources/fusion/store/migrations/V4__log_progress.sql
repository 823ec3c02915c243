-- Fusion schema, version 4: how far the Flink job has come in the Kafka topic of accepted calls.
-- The job's sink writes a partition's next offset in the same transaction as the serving rows
-- derived from the records before it, so this row and those rows never disagree; the ingest tier
-- reads it against the topic's end offsets for the lag on /health (docs/SCALE-OUT.md). The single
-- node never writes it.

CREATE TABLE log_progress (
    topic        TEXT    NOT NULL,
    partition    INTEGER NOT NULL,
    next_offset  BIGINT  NOT NULL,
    PRIMARY KEY (topic, partition)
);
