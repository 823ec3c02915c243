-- Fusion schema, version 9: the log cuts that erasures in cluster mode still owe, and an index for
-- the uplift route.
--
-- log_cuts: one row per erasure command an ingest server wrote into the Kafka topic. It holds no
-- personal data: the command's id and position (the person's ids are read back from the command
-- itself in Kafka when the job has applied it), the person's last position in each partition once
-- found ("0=12,2=40": partition=offset), the partitions cut so far (partition=new log start offset)
-- and when the erasure was asked and done. Any ingest server of the cluster finishes a pending row,
-- claiming it with SELECT ... FOR UPDATE SKIP LOCKED (docs/SCALE-OUT.md, "Erasure in a cluster").
-- The single node never writes it.

CREATE TABLE log_cuts (
    erasure         TEXT    PRIMARY KEY,
    topic           TEXT    NOT NULL,
    partition       INTEGER NOT NULL,
    command_offset  BIGINT  NOT NULL,
    requested       BIGINT  NOT NULL,
    actor           TEXT    NOT NULL,
    last_offsets    TEXT,
    cut             TEXT    NOT NULL,
    next_try        BIGINT  NOT NULL,
    error           TEXT,
    done            BIGINT
);
CREATE INDEX log_cuts_pending ON log_cuts (topic, done, requested);

-- GET /api/actions/{id}/uplift reads the decisions of one action in time order.
CREATE INDEX decisions_action ON decisions (action, at, id);
