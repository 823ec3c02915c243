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

-- A decision (an act or a "nothing") with its reasons as JSON; status follows an act's delivery:
-- recorded (no webhooks), scheduled (deferred by quiet hours), queued, delivered, withheld, dead.
CREATE TABLE decisions (
    id        TEXT    PRIMARY KEY,
    profile   TEXT    NOT NULL,
    brand     TEXT,
    at        BIGINT NOT NULL,
    action    TEXT,
    kind      TEXT,
    channel   TEXT,
    purpose   TEXT,
    send_at   BIGINT,
    outcome   TEXT    NOT NULL,
    status    TEXT    NOT NULL,
    reasons   TEXT    NOT NULL
);
CREATE INDEX decisions_profile ON decisions (profile, at);
CREATE INDEX decisions_due ON decisions (status, send_at);

-- One row per idempotency key (the decision id): the SHA-256 its body is bound to, the attempts
-- as lines "n<TAB>status<TAB>epoch ms<TAB>error", and, once dead-lettered, the exact body.
CREATE TABLE deliveries (
    idempotency_key  TEXT    PRIMARY KEY,
    decision_id      TEXT    NOT NULL,
    profile          TEXT    NOT NULL,
    channel          TEXT    NOT NULL,
    body_sha256      TEXT    NOT NULL,
    body             TEXT,
    status           TEXT    NOT NULL,
    attempts         BIGINT NOT NULL,
    last_status      BIGINT NOT NULL,
    last_error       TEXT,
    attempt_log      TEXT    NOT NULL,
    updated          BIGINT NOT NULL
);
CREATE INDEX deliveries_status ON deliveries (status, updated);
