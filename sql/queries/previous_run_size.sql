-- How many verdicts the article's latest published run before this one wrote, for the
-- row-count-change check. Grain: one row (null count when there is no earlier run).
-- Parameters: $article_id, $run_id.
select count(v.claim_id) as n_verdicts
from (
    select run_id
    from runs
    where article_id = $article_id and status = 'published' and run_id <> $run_id
    order by finished_at desc
    limit 1
) as previous
left join verdicts as v on v.run_id = previous.run_id
