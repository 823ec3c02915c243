-- Fusion schema, version 10: on SQLite, the log's per-profile index and the ledger's pair index
-- kept as sorted runs (issue 18, docs/STORAGE.md "Sorted runs"). PostgreSQL keeps both indexes:
-- its WAL logs an index insert as a small record, not the whole page at every commit, and the runs
-- measured worse there; its views read the log and the ledger themselves.
-- A randomly keyed index dirties about one page per event, and SQLite writes each dirty page
-- whole to its WAL at every commit: the two indexes below cost ~4.7 KB written and 13-15 us of
-- CPU per event each (bench/results/sqlite-cost-2026-12-06.txt). Instead, each event adds its
-- entry to a small "recent" table (its few pages stay cached and a commit writes each once);
-- every 20,000 entries the writer moves the recent table, in key order, into a new run at the end
-- of the large table (keyed by run first, so a new run only appends pages); four runs of one level
-- are merged, slice by slice, into one of the next (fusion.store.sql.SortedRuns). The views give
-- every entry once: a read or an erasure asks them as it asked the index before.
CREATE TABLE profile_index_recent (
    profile     TEXT   NOT NULL,
    event_time  BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    PRIMARY KEY (profile, event_time, seq)
){{CLUSTERED}};

CREATE TABLE profile_index (
    run         BIGINT NOT NULL,
    profile     TEXT   NOT NULL,
    event_time  BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    PRIMARY KEY (run, profile, event_time, seq)
){{CLUSTERED}};

CREATE TABLE pair_index_recent (
    party  TEXT   NOT NULL,
    brand  TEXT   NOT NULL,
    seq    BIGINT NOT NULL,
    PRIMARY KEY (party, brand, seq)
){{CLUSTERED}};

CREATE TABLE pair_index (
    run    BIGINT NOT NULL,
    party  TEXT   NOT NULL,
    brand  TEXT   NOT NULL,
    seq    BIGINT NOT NULL,
    PRIMARY KEY (run, party, brand, seq)
){{CLUSTERED}};

-- Every run of both indexes: its level (a run of level L holds about 20,000 * 4^L entries), its
-- size, and, while it is being merged, the run it is merged into.
CREATE TABLE index_runs (
    name          TEXT    NOT NULL,
    run           BIGINT  NOT NULL,
    level         INTEGER NOT NULL,
    entries       BIGINT  NOT NULL,
    merging_into  BIGINT,
    PRIMARY KEY (name, run)
);

-- SQLite: the two indexes go, the entries already there become run 1 of each index (at a level no
-- merge reaches), and the views read the runs; PostgreSQL: the views read the log and the ledger
-- (fusion.store.sql.SortedRuns#migrate).
--@java sorted_runs
