-- How each run fared in its validation: the expectations evaluated over its rows (every
-- suite's, summed) and how many of them failed for it. The dashboard shows them per run.
-- Runs validated before this migration (and runs never validated) have null.
alter table runs add column if not exists n_expectations integer;
alter table runs add column if not exists n_expectations_failed integer;
