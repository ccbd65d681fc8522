-- The evidence behind a claim's published verdict: the fact checks its cluster matched
-- first (publisher, rating and link), then contradicting sentences, then supporting, then
-- the rest, closest first.
-- Grain: one row per candidate sentence of the claim's latest published run, and one per
-- matched fact check. Parameter: $claim_id.
with sentences as (
    select
        outlet,
        url,
        stance,
        similarity,
        coverage,
        reasons,
        sentence_text,
        candidate_rank,
        stance_order
    from evidence_published
    where claim_id = $claim_id
),

checks as (
    select distinct
        coalesce(f.publisher, 'fact check') as outlet,
        f.review_url as url,
        'FACT CHECK' as stance,
        m.similarity,
        null::double as coverage,
        'rated ' || coalesce('"' || f.rating_text || '"', 'without a rating')
        || coalesce(' (' || f.label || ')', '') || ' on '
        || coalesce(strftime(f.date_published, '%Y-%m-%d'), 'an unknown day')
        || '; matched: ' || m.reason as reasons,
        f.claim_reviewed as sentence_text,
        0 as candidate_rank,
        -1 as stance_order
    from claim_clusters_of as co
    inner join claim_clusters_of as member on member.cluster_id = co.cluster_id
    inner join memory_matches as m
        on m.claim_id = member.claim_id and m.matched_kind = 'fact_check' and m.decision = 'matched'
    inner join fact_checks as f on f.fact_check_id = m.matched_id
    where co.claim_id = $claim_id
),

final as (
    select * from checks
    union all
    select * from sentences
)

select * exclude (stance_order)
from final
order by stance_order, similarity desc, candidate_rank
