-- How many claims of each run got each verdict, for the summary table of a batch.
-- Grain: one row per run x verdict label. Parameter: $run_ids.
select v.run_id, v.verdict, count(*) as n_claims
from verdicts as v
inner join claims as c on c.claim_id = v.claim_id
where v.run_id in (select unnest($run_ids::varchar[]))
group by v.run_id, v.verdict
order by v.run_id, v.verdict
