-- Stored stances for the given pair keys (a run's candidates). Parameter: $pair_keys.
-- Grain: one row per known pair_key.
select ps.pair_key, ps.similarity, ps.coverage, ps.stance, ps.reasons, ps.probability
from pair_scores as ps
where ps.pair_key in (select unnest($pair_keys::varchar[]))
