-- `claimwatch articles`: every article with its date, its latest run's status and its
-- published scorecard; the text is read for the title (claimwatch.titles).
-- Grain: one row per article.
with latest_run as (
    select article_id, arg_max(run_id, started_at) as run_id
    from runs
    group by article_id
)

select
    a.article_id,
    a.article_text,
    a.published_date,
    r.status as latest_status,
    coalesce(sc.n_claims, 0) as n_claims,
    coalesce(sc.n_supported, 0) as n_supported,
    coalesce(sc.n_contradicted, 0) as n_contradicted,
    coalesce(sc.n_disputed, 0) as n_disputed,
    coalesce(sc.n_unverified, 0) as n_unverified,
    a.origin
from articles as a
left join latest_run as lr on lr.article_id = a.article_id
left join runs as r on r.run_id = lr.run_id
left join article_scorecard as sc on sc.article_id = a.article_id
order by a.published_date desc nulls last, a.article_id
