-- Fusion schema, version 5: audiences and their activation (docs/AUDIENCES.md). Definitions are
-- records of their own; membership, its entered/left changes and the size series are derived from
-- the log but kept here so that a restart neither forgets an audience nor invents changes for it.
-- A destination sends an audience's members somewhere; the outbox holds what is still to be sent
-- (or given up on: a dead letter keeps its body). A person's rows go with them on erasure.

CREATE TABLE audience_definitions (
    id       TEXT    PRIMARY KEY,
    name     TEXT    NOT NULL,
    rule     TEXT    NOT NULL,
    created  BIGINT  NOT NULL,
    updated  BIGINT  NOT NULL
);

CREATE TABLE audience_members (
    audience  TEXT    NOT NULL,
    profile   TEXT    NOT NULL,
    PRIMARY KEY (audience, profile)
);
CREATE INDEX audience_members_profile ON audience_members (profile);

-- entered is 1 for entered, 0 for left; seq orders the changes of one audience.
CREATE TABLE audience_changes (
    seq       {{SERIAL}},
    audience  TEXT    NOT NULL,
    profile   TEXT    NOT NULL,
    at        BIGINT  NOT NULL,
    entered   INTEGER NOT NULL
);
CREATE INDEX audience_changes_audience ON audience_changes (audience, seq);
CREATE INDEX audience_changes_profile ON audience_changes (profile);

CREATE TABLE audience_sizes (
    seq       {{SERIAL}},
    audience  TEXT    NOT NULL,
    at        BIGINT  NOT NULL,
    size      BIGINT  NOT NULL
);
CREATE INDEX audience_sizes_audience ON audience_sizes (audience, seq);

-- config is the destination's JSON as saved (kind, audience, purpose, channel, target...).
CREATE TABLE audience_destinations (
    id       TEXT    PRIMARY KEY,
    audience TEXT    NOT NULL,
    config   TEXT    NOT NULL,
    created  BIGINT  NOT NULL,
    updated  BIGINT  NOT NULL
);

-- What is to be sent to a destination, one row per idempotency key: an entered/left event
-- (profile set) or a chunk of a full export. status: pending, delivered, dead. A file
-- destination's pending events wait here until its next file is written.
CREATE TABLE activation_outbox (
    idempotency_key  TEXT    PRIMARY KEY,
    destination      TEXT    NOT NULL,
    profile          TEXT,
    kind             TEXT    NOT NULL,
    at               BIGINT  NOT NULL,
    body             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    attempts         BIGINT  NOT NULL,
    last_status      BIGINT  NOT NULL,
    last_error       TEXT,
    next_at          BIGINT  NOT NULL,
    updated          BIGINT  NOT NULL
);
CREATE INDEX activation_outbox_due ON activation_outbox (status, next_at);
CREATE INDEX activation_outbox_destination ON activation_outbox (destination, status);
CREATE INDEX activation_outbox_profile ON activation_outbox (profile);

-- One row per export run: its report as JSON (written, left out by reason, file, status).
CREATE TABLE activation_exports (
    id           TEXT    PRIMARY KEY,
    destination  TEXT    NOT NULL,
    at           BIGINT  NOT NULL,
    report       TEXT    NOT NULL
);
CREATE INDEX activation_exports_destination ON activation_exports (destination, at);
