-- Fusion schema, version 12: how far the relationships table reaches (issue 18, docs/STORAGE.md
-- "Relationship snapshots"). On SQLite the writer no longer upserts a pair's row at every commit
-- that changes its state: committed states wait in memory, readers see them there, and the writer
-- writes the newest of each pair into the table every few seconds, moving this mark in the same
-- transaction. Every state committed after the mark is carried by a ledger row after it (a state
-- no ledger row carries is written with its commit, which moves the mark), so a start writes the
-- newest state of each pair among the ledger rows after the mark into the table. PostgreSQL still
-- upserts at every commit and never reads the mark.
-- when this runs, the table holds every state
INSERT INTO index_marks (name, through) SELECT 'relationships', COALESCE(MAX(seq), 0) FROM ledger;
