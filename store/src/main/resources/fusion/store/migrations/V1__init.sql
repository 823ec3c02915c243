-- Fusion schema, version 1. The events table is the append-only log and the only source of
-- truth; every other table is derived from it and rebuilt exactly by replay.
-- One script for every store: {{KEY}} is the dialect's 64-bit primary key (SQLite's rowid alias,
-- PostgreSQL's BIGINT); sequence numbers are assigned by Fusion's single writer, not the database,
-- so a rolled-back batch leaves no gap and replay reproduces them exactly.

CREATE TABLE events (
    seq          {{KEY}},
    message_id   TEXT    NOT NULL UNIQUE,
    type         TEXT    NOT NULL,
    name         TEXT,
    profile      TEXT    NOT NULL,
    event_time   BIGINT NOT NULL,
    received_at  BIGINT NOT NULL,
    brand        TEXT,
    channel      TEXT,
    purpose      TEXT,
    scored       BIGINT NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX events_profile ON events (profile, event_time);

CREATE TABLE identities (
    identity   TEXT    PRIMARY KEY,
    profile    TEXT    NOT NULL,
    first_seq  BIGINT NOT NULL
);
CREATE INDEX identities_profile ON identities (profile);

CREATE TABLE profiles (
    id          TEXT    PRIMARY KEY,
    traits      TEXT    NOT NULL,
    first_seen  BIGINT NOT NULL,
    last_seen   BIGINT NOT NULL,
    events      BIGINT NOT NULL
);

CREATE TABLE merges (
    event_seq  BIGINT NOT NULL,
    survivor   TEXT    NOT NULL,
    absorbed   TEXT    NOT NULL,
    merged     BIGINT NOT NULL,
    reason     TEXT    NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX merges_survivor ON merges (survivor);

CREATE TABLE brands (
    id          TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    competitor  BIGINT NOT NULL,
    first_seq   BIGINT NOT NULL
);

CREATE TABLE relationships (
    party           TEXT    NOT NULL,
    brand           TEXT    NOT NULL,
    as_of           BIGINT NOT NULL,
    needs_met       DOUBLE PRECISION    NOT NULL,
    needs_failed    DOUBLE PRECISION    NOT NULL,
    ease_good       DOUBLE PRECISION    NOT NULL,
    ease_bad        DOUBLE PRECISION    NOT NULL,
    delight         DOUBLE PRECISION    NOT NULL,
    brand_gives     DOUBLE PRECISION    NOT NULL,
    consumer_gives  DOUBLE PRECISION    NOT NULL,
    association     DOUBLE PRECISION    NOT NULL,
    events          BIGINT NOT NULL,
    money           DOUBLE PRECISION    NOT NULL,
    first_seen      BIGINT NOT NULL,
    PRIMARY KEY (party, brand)
);

CREATE TABLE ledger (
    seq                {{KEY}},
    party              TEXT    NOT NULL,
    brand              TEXT    NOT NULL,
    time               BIGINT NOT NULL,
    event_id           TEXT    NOT NULL,
    kind               TEXT    NOT NULL,
    experience_before  DOUBLE PRECISION    NOT NULL,
    experience_after   DOUBLE PRECISION    NOT NULL,
    fusion_before      DOUBLE PRECISION    NOT NULL,
    fusion_after       DOUBLE PRECISION    NOT NULL,
    faded              DOUBLE PRECISION    NOT NULL,
    note               TEXT    NOT NULL,
    contributions      TEXT    NOT NULL,
    state              TEXT    NOT NULL
);
CREATE INDEX ledger_pair ON ledger (party, brand, seq);
CREATE INDEX ledger_brand ON ledger (brand, time);

CREATE TABLE unknown_events (
    name       TEXT    PRIMARY KEY,
    count      BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL
);
