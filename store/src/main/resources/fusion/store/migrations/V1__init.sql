-- Fusion schema, version 1. The events table is the append-only log and the only source of
-- truth; every other table is derived from it and rebuilt exactly by replay.

CREATE TABLE events (
    seq          INTEGER PRIMARY KEY,
    message_id   TEXT    NOT NULL UNIQUE,
    type         TEXT    NOT NULL,
    name         TEXT,
    profile      TEXT    NOT NULL,
    event_time   INTEGER NOT NULL,
    received_at  INTEGER NOT NULL,
    brand        TEXT,
    channel      TEXT,
    purpose      TEXT,
    scored       INTEGER NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX events_profile ON events (profile, event_time);

CREATE TABLE identities (
    identity   TEXT    PRIMARY KEY,
    profile    TEXT    NOT NULL,
    first_seq  INTEGER NOT NULL
);
CREATE INDEX identities_profile ON identities (profile);

CREATE TABLE profiles (
    id          TEXT    PRIMARY KEY,
    traits      TEXT    NOT NULL,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    events      INTEGER NOT NULL
);

CREATE TABLE merges (
    event_seq  INTEGER NOT NULL,
    survivor   TEXT    NOT NULL,
    absorbed   TEXT    NOT NULL,
    merged     INTEGER NOT NULL,
    reason     TEXT    NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX merges_survivor ON merges (survivor);

CREATE TABLE brands (
    id          TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    competitor  INTEGER NOT NULL,
    first_seq   INTEGER NOT NULL
);

CREATE TABLE relationships (
    party           TEXT    NOT NULL,
    brand           TEXT    NOT NULL,
    as_of           INTEGER NOT NULL,
    needs_met       REAL    NOT NULL,
    needs_failed    REAL    NOT NULL,
    ease_good       REAL    NOT NULL,
    ease_bad        REAL    NOT NULL,
    delight         REAL    NOT NULL,
    brand_gives     REAL    NOT NULL,
    consumer_gives  REAL    NOT NULL,
    association     REAL    NOT NULL,
    events          INTEGER NOT NULL,
    money           REAL    NOT NULL,
    first_seen      INTEGER NOT NULL,
    PRIMARY KEY (party, brand)
);
CREATE INDEX relationships_brand ON relationships (brand);

CREATE TABLE ledger (
    seq                INTEGER PRIMARY KEY,
    party              TEXT    NOT NULL,
    brand              TEXT    NOT NULL,
    time               INTEGER NOT NULL,
    event_id           TEXT    NOT NULL,
    kind               TEXT    NOT NULL,
    experience_before  REAL    NOT NULL,
    experience_after   REAL    NOT NULL,
    fusion_before      REAL    NOT NULL,
    fusion_after       REAL    NOT NULL,
    faded              REAL    NOT NULL,
    cause              TEXT    NOT NULL,
    contributions      TEXT    NOT NULL,
    state              TEXT    NOT NULL
);
CREATE INDEX ledger_pair ON ledger (party, brand, seq);
CREATE INDEX ledger_brand ON ledger (brand, time);

CREATE TABLE unknown_events (
    name       TEXT    PRIMARY KEY,
    count      INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
);
