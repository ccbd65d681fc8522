-- For each of the given claims, the stored claim it matched best (a match a reviewer
-- confirmed first, then the highest score) and that claim's cluster as stored; the
-- caller resolves clusters in article order (claimwatch.memory.remember.resolve_clusters),
-- since a claim of the same batch may be the match.
-- Grain: one row per claim. Parameter: $claim_ids.
with best as (
    select m.claim_id, m.matched_id
    from memory_matches as m
    where m.claim_id in (select unnest($claim_ids::varchar[]))
        and m.matched_kind = 'claim' and m.decision = 'matched'
    qualify row_number() over (
        partition by m.claim_id
        order by m.reviewed_by is not null desc, m.score desc, m.matched_id
    ) = 1
)

select c.claim_id, c.article_id, b.matched_id, co.cluster_id as matched_cluster
from claims as c
left join best as b on b.claim_id = c.claim_id
left join claim_clusters_of as co on co.claim_id = b.matched_id
where c.claim_id in (select unnest($claim_ids::varchar[]))
order by c.article_id, c.claim_id
