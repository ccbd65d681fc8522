-- Articles whose latest published run left claims NOT ENOUGH INFO and that documents first
-- stored after that run might now answer. Grain: one row per article.
-- No parameters.
with latest as (
    select article_id, run_id, finished_at
    from runs
    where status = 'published'
    qualify row_number() over (partition by article_id order by finished_at desc) = 1
),

unverified as (
    select l.article_id, l.finished_at, count(*) as n_unverified
    from latest as l
    inner join verdicts as v on v.run_id = l.run_id
    where v.verdict = 'NOT ENOUGH INFO'
    group by l.article_id, l.finished_at
),

final as (
    select u.article_id, a.origin, u.n_unverified
    from unverified as u
    inner join articles as a on a.article_id = u.article_id
    where exists (
        select 1 from documents as d where d.first_fetched_at > u.finished_at
    )
)

select * from final
order by article_id
