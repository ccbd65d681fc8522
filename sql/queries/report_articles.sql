-- The dashboard's index: every article with its latest run and published scorecard.
-- Grain: one row per article.
with latest_run as (
    select article_id, arg_max(run_id, started_at) as run_id
    from runs
    group by article_id
),

-- reviews per article, counted in one pass rather than twice per article
review_counts as (
    select
        article_id,
        count(*) filter (where human_reviewed) as n_reviewed,
        count(*) filter (where review_disagrees) as n_review_flags
    from verdicts_published
    group by article_id
)

select
    a.article_id,
    a.origin,
    a.published_date,
    lr.run_id as latest_run_id,
    r.status as latest_status,
    r.failure_reason as latest_reason,
    sc.run_id as published_run_id,
    coalesce(sc.n_claims, 0) as n_claims,
    coalesce(sc.n_supported, 0) as n_supported,
    coalesce(sc.n_contradicted, 0) as n_contradicted,
    coalesce(sc.n_disputed, 0) as n_disputed,
    coalesce(sc.n_unverified, 0) as n_unverified,
    coalesce(rv.n_reviewed, 0) as n_reviewed,
    coalesce(rv.n_review_flags, 0) as n_review_flags
from articles as a
left join latest_run as lr on lr.article_id = a.article_id
left join runs as r on r.run_id = lr.run_id
left join article_scorecard as sc on sc.article_id = a.article_id
left join review_counts as rv on rv.article_id = a.article_id
order by a.published_date desc nulls last, a.article_id
