-- Stored model readings for the given entailment keys. Parameter: $entailment_keys.
-- Grain: one row per known entailment_key.
select es.entailment_key, es.entails, es.contradicts, es.neutral
from entailment_scores as es
where es.entailment_key in (select unnest($entailment_keys::varchar[]))
