-- The runs of a batch being validated, one row each, with what is checked per run rather
-- than per row: its claims and verdicts, how many verdicts the article's previous
-- published run wrote, and the share of that run's decided verdicts (SUPPORTED or
-- CONTRADICTED) this run turns into NOT ENOUGH INFO (null when it decided none).
-- Grain: one row per run. Parameter: $run_ids.
with batch as (
    select run_id, article_id
    from runs
    where run_id in (select unnest($run_ids::varchar[]))
),

claim_counts as (
    select b.run_id, count(c.claim_id) as n_claims
    from batch as b
    left join claims as c on c.article_id = b.article_id
    group by b.run_id
),

verdict_counts as (
    select b.run_id, count(v.claim_id) as n_verdicts
    from batch as b
    left join verdicts as v on v.run_id = b.run_id
    group by b.run_id
),

previous_run as (
    select b.run_id, arg_max(r.run_id, r.finished_at) as previous_run_id
    from batch as b
    inner join runs as r
        on
            r.article_id = b.article_id
            and r.status = 'published'
            and r.run_id <> b.run_id
    group by b.run_id
),

previous_sizes as (
    select p.run_id, count(v.claim_id) as previous_verdicts
    from previous_run as p
    left join verdicts as v on v.run_id = p.previous_run_id
    group by p.run_id
),

decisive_lost as (
    select
        p.run_id,
        avg(case when v.verdict = 'NOT ENOUGH INFO' then 1.0 else 0.0 end) as decisive_lost_share
    from previous_run as p
    inner join verdicts as pv
        on pv.run_id = p.previous_run_id and pv.verdict in ('SUPPORTED', 'CONTRADICTED')
    inner join verdicts as v on v.run_id = p.run_id and v.claim_id = pv.claim_id
    group by p.run_id
),

final as (
    select
        b.run_id,
        b.article_id,
        cc.n_claims,
        vc.n_verdicts,
        ps.previous_verdicts,
        dl.decisive_lost_share
    from batch as b
    inner join claim_counts as cc on cc.run_id = b.run_id
    inner join verdict_counts as vc on vc.run_id = b.run_id
    left join previous_sizes as ps on ps.run_id = b.run_id
    left join decisive_lost as dl on dl.run_id = b.run_id
)

select * from final
order by run_id
