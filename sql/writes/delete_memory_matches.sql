-- A claim matched again replaces its earlier matches (a later memory may hold more).
delete from memory_matches where claim_id in (select unnest($claim_ids::varchar[]));
