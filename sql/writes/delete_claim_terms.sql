-- The index terms of claims about to be stored again. Parameter: $claim_ids.
delete from claim_terms where claim_id in (select unnest($claim_ids::varchar[]))
