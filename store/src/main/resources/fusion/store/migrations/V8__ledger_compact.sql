-- Fusion schema, version 8: the ledger stored compactly (issue 18, docs/STORAGE.md "Ledger").
-- The kind becomes a small integer (0 event, 1 propagated, 2 merge); the contributions (JSON
-- text) and the state after the entry (hex text) become bytes holding the same doubles' raw bits
-- (fusion.store.sql.LedgerCodec), so every number reads back bit for bit as before: a row of
-- about 490 bytes becomes one of about 230. Both indexes stay (ledger_brand serves a brand's
-- daily series; its keys grow with time within each brand, so its inserts touch few pages).
-- Existing rows are converted in Java (SQL cannot write the format), in this migration's
-- transaction: a new table is filled in seq order, the old one dropped, the new one renamed and
-- indexed.

CREATE TABLE ledger_v8 (
    seq                {{KEY}},
    party              TEXT    NOT NULL,
    brand              TEXT    NOT NULL,
    time               BIGINT NOT NULL,
    event_id           TEXT    NOT NULL,
    kind               SMALLINT NOT NULL,
    experience_before  DOUBLE PRECISION    NOT NULL,
    experience_after   DOUBLE PRECISION    NOT NULL,
    fusion_before      DOUBLE PRECISION    NOT NULL,
    fusion_after       DOUBLE PRECISION    NOT NULL,
    faded              DOUBLE PRECISION    NOT NULL,
    note               TEXT    NOT NULL,
    contributions      {{BYTES}} NOT NULL,
    state              {{BYTES}} NOT NULL
);
--@java ledger_v8
DROP TABLE ledger;
ALTER TABLE ledger_v8 RENAME TO ledger;
CREATE INDEX ledger_pair ON ledger (party, brand, seq);
CREATE INDEX ledger_brand ON ledger (brand, time);
