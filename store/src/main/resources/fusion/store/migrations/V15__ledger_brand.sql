-- Fusion schema, version 15: the ledger's brand, time index goes (issue 18, docs/STORAGE.md
-- "Ledger"). A brand's daily series read the brand's whole ledger in time order through it; it now
-- reads each of the brand's pairs through the pair index every profile read uses, and merges them
-- in Java to the same figures. The index cost SQLite's writer 1-3 ms of CPU per 1000 events and
-- about 250 bytes written per event under the load driver.
DROP INDEX IF EXISTS ledger_brand;
