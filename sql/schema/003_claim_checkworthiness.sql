-- Check-worthiness: how much a claim is worth checking (0-1), beside its kind.
-- Rows written before this migration get null: they were never scored.
alter table claims add column if not exists checkworthiness double;
