-- Fusion schema, version 11: how far the sorted indexes' tables reach (issue 18, docs/STORAGE.md
-- "Sorted runs"). On SQLite the writer keeps the newest entries of both indexes in memory instead
-- of writing a row of the recent tables per event (two inserts and their pages at every commit
-- were about a fifth of its CPU); they reach the tables when a run's worth has gathered, or before
-- a statement of its own reads the views (an identity merge, an erasure). Every log and ledger
-- row numbered up to "through" has its entry in the tables; those after it are in memory only,
-- and a start rebuilds them from the log's tail. PostgreSQL keeps both indexes and has no runs:
-- the rows are written there too, so the schema is one, and are never read.
CREATE TABLE index_marks (
    name     TEXT    PRIMARY KEY,
    through  BIGINT  NOT NULL
);
-- when this runs, every entry is in the tables
INSERT INTO index_marks (name, through) SELECT 'profile', COALESCE(MAX(seq), 0) FROM events;
INSERT INTO index_marks (name, through) SELECT 'pair', COALESCE(MAX(seq), 0) FROM ledger;
