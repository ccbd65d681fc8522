-- Matches waiting for a reviewer: each proposed match of a published claim, with both texts.
-- Grain: one row per proposal. Parameter: $article_id (null for all).
select
    m.claim_id,
    c.claim_text,
    m.matched_kind,
    m.matched_id,
    coalesce(mc.claim_text, f.claim_reviewed) as matched_text,
    coalesce(f.publisher, ma.origin) as matched_source,
    m.score,
    m.reason
from memory_matches as m
inner join claims as c on c.claim_id = m.claim_id
left join claims as mc on m.matched_kind = 'claim' and mc.claim_id = m.matched_id
left join articles as ma on ma.article_id = mc.article_id
left join fact_checks as f on m.matched_kind = 'fact_check' and f.fact_check_id = m.matched_id
where m.decision = 'proposed' and ($article_id is null or c.article_id = $article_id)
order by c.article_id, m.claim_id, m.score desc, m.matched_id
