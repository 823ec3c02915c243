-- Fusion schema, version 6: violations of the tracking plan (docs/SEGMENT.md), kept so that a
-- restart does not forget them. One row per counter (source, event, kind, field); its newest
-- samples (at most 5, written by the server, which replaces them on each write) beside it. A sample
-- names a messageId and the problem, never a person.

CREATE TABLE plan_violations (
    source   TEXT    NOT NULL,
    event    TEXT    NOT NULL,
    kind     TEXT    NOT NULL,
    field    TEXT    NOT NULL,
    total    BIGINT  NOT NULL,
    blocked  BIGINT  NOT NULL,
    first_at BIGINT  NOT NULL,
    PRIMARY KEY (source, event, kind, field)
);

CREATE TABLE plan_violation_samples (
    source     TEXT    NOT NULL,
    event      TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    field      TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    message_id TEXT    NOT NULL,
    at         BIGINT  NOT NULL,
    problem    TEXT    NOT NULL,
    blocked    INTEGER NOT NULL,
    PRIMARY KEY (source, event, kind, field, seq)
);
