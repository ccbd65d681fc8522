-- A claim matched again replaces the machine's earlier matches (a later memory may hold
-- more); what a reviewer confirmed or rejected stays.
delete from memory_matches
where claim_id in (select unnest($claim_ids::varchar[])) and reviewed_by is null;
