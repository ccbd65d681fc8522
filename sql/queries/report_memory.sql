-- What the claim memory shows in a claim's dashboard panel: the claim's earlier
-- appearances (the other claims of its cluster, in other articles, with their published
-- verdicts) and the fact checks its cluster matched, with publisher, rating and link.
-- Grain: one row per claim x appearance or fact check.
with appearances as (
    select
        co.claim_id,
        'appearance' as kind,
        a.origin as source,
        a.origin as url,
        o.claim_text as text,
        vp.verdict as rating,
        cast(a.published_date as varchar) as day
    from claim_clusters_of as co
    inner join claim_clusters_of as member
        on member.cluster_id = co.cluster_id and member.claim_id <> co.claim_id
    inner join claims as o on o.claim_id = member.claim_id
    inner join claims as c on c.claim_id = co.claim_id
    inner join articles as a on a.article_id = o.article_id
    left join verdicts_published as vp on vp.claim_id = o.claim_id
    where o.article_id <> c.article_id
),

checks as (
    select distinct
        co.claim_id,
        'fact_check' as kind,
        coalesce(f.publisher, 'fact check') as source,
        f.review_url as url,
        f.claim_reviewed as text,
        coalesce(f.rating_text, f.label) || coalesce(' (' || f.label || ')', '') as rating,
        cast(f.date_published as varchar) as day
    from claim_clusters_of as co
    inner join claim_clusters_of as member on member.cluster_id = co.cluster_id
    inner join memory_matches as m
        on m.claim_id = member.claim_id and m.matched_kind = 'fact_check' and m.decision = 'matched'
    inner join fact_checks as f on f.fact_check_id = m.matched_id
),

final as (
    select * from appearances
    union all
    select * from checks
)

select * from final
order by claim_id, kind, day, source, text
