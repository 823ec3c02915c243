-- Fusion schema, version 2: consent, erasure, credentials and the audit log.
-- consents is derived from the log like every table of version 1 (replay rebuilds it). The other
-- tables are records of their own, not derived: erasures and erased_messages must outlive the
-- events they erased, credentials and audit are about Fusion's users, not about customers.

CREATE TABLE consents (
    profile    TEXT    NOT NULL,
    purpose    TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    granted    BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    expires    BIGINT,
    source     TEXT    NOT NULL,
    event_seq  BIGINT NOT NULL,
    position   BIGINT NOT NULL
);
CREATE INDEX consents_profile ON consents (profile, event_seq, position);

-- One row per erasure, without personal data: when, by whom, how much went.
CREATE TABLE erasures (
    id          {{SERIAL}},
    at          BIGINT NOT NULL,
    actor       TEXT    NOT NULL,
    events      BIGINT NOT NULL,
    identities  BIGINT NOT NULL,
    millis      BIGINT NOT NULL
);

-- SHA-256 of each erased messageId, so a source re-sending erased events cannot bring them back.
CREATE TABLE erased_messages (
    digest  TEXT PRIMARY KEY
);

-- Write keys (kind 'write', per source) and API tokens (kind 'token', with a role), stored hashed.
CREATE TABLE credentials (
    id       TEXT    PRIMARY KEY,
    kind     TEXT    NOT NULL,
    name     TEXT    NOT NULL,
    role     TEXT    NOT NULL,
    hash     TEXT    NOT NULL UNIQUE,
    created  BIGINT NOT NULL,
    revoked  BIGINT
);

-- Who read or changed what about whom, and when.
CREATE TABLE audit (
    id       {{SERIAL}},
    at       BIGINT NOT NULL,
    actor    TEXT    NOT NULL,
    role     TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    subject  TEXT,
    status   BIGINT NOT NULL
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_subject ON audit (subject, at);
