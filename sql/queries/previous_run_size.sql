-- How many verdicts the article's latest published run before this one wrote, for the
-- row-count-change check. Grain: one row, or none when there is no earlier run.
-- Parameters: $article_id, $run_id.
with previous as (
    select run_id
    from runs
    where article_id = $article_id and status = 'published' and run_id <> $run_id
    order by finished_at desc
    limit 1
)

select count(v.claim_id) as n_verdicts
from previous as p
left join verdicts as v on v.run_id = p.run_id
group by p.run_id
