-- The claims of one article with their published verdicts and what the claim memory
-- knows of each (seen_before), in article order.
-- Grain: one row per claim of the article. Parameter: $article_id.
select
    c.claim_id,
    c.claim_text,
    c.kind,
    c.sentence_index,
    c.span_start,
    c.span_end,
    vp.verdict,
    vp.confidence,
    vp.human_reviewed,
    vp.review_disagrees,
    nullif(cm.memory_note, '') as seen_before
from claims as c
left join verdicts_published as vp on vp.claim_id = c.claim_id
left join claim_memory as cm on cm.claim_id = c.claim_id
where c.article_id = $article_id
order by c.sentence_index, c.span_start, c.claim_id
