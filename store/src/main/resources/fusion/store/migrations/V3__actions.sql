-- Fusion schema, version 3: what the brand does. Brand actions (a concert, a campaign) declared
-- for impact analysis; decisions of the next-best-action service and their deliveries. These are
-- records of their own, not derived from the event log; a person's decisions and deliveries go
-- with them on erasure.

CREATE TABLE brand_actions (
    id           {{SERIAL}},
    brand        TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    starts       BIGINT NOT NULL,
    ends         BIGINT,
    declared     BIGINT NOT NULL,
    actor        TEXT    NOT NULL,
    description  TEXT    NOT NULL
);
CREATE INDEX brand_actions_brand ON brand_actions (brand, starts);

CREATE TABLE decisions (
    id        TEXT    PRIMARY KEY,
    profile   TEXT    NOT NULL,
    brand     TEXT,
    at        BIGINT NOT NULL,
    action    TEXT,
    channel   TEXT,
    send_at   BIGINT,
    outcome   TEXT    NOT NULL,
    reasons   TEXT    NOT NULL
);
CREATE INDEX decisions_profile ON decisions (profile, at);

CREATE TABLE deliveries (
    idempotency_key  TEXT    PRIMARY KEY,
    decision_id      TEXT    NOT NULL,
    profile          TEXT    NOT NULL,
    channel          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    attempts         BIGINT NOT NULL,
    last_error       TEXT,
    updated          BIGINT NOT NULL
);
CREATE INDEX deliveries_status ON deliveries (status, updated);
