-- Fusion schema, version 14: how far the profiles' activity (first_seen, last_seen, events)
-- reaches (issue 18, docs/STORAGE.md "Profile activity"). On SQLite the writer no longer updates a
-- profile's row at every commit that logs one of its events: committed activity waits in memory,
-- readers see it there, and the writer writes each profile's newest activity into the table with
-- the relationship snapshots, moving this mark (a log seq) in the same transaction. A profile's
-- activity is the earliest and latest event_time of its log rows and their count, so a start adds
-- the log's rows after the mark, grouped by profile. PostgreSQL still updates at every commit and
-- never reads the mark.
-- when this runs, the table holds every profile's activity (an upsert: a store written by a later
-- version and marked older again, as a test does, has the row; WHERE true is SQLite's way to
-- tell the SELECT from the ON CONFLICT clause)
INSERT INTO index_marks (name, through) SELECT 'activity', COALESCE(MAX(seq), 0) FROM events WHERE true
ON CONFLICT (name) DO UPDATE SET through = excluded.through;
