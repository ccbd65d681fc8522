-- A fact check imported again takes the terms of this import, not those of the last.
delete from fact_check_terms
where fact_check_id in (select unnest($fact_check_ids::varchar[]));
