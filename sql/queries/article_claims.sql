-- The claims of one article with their published verdicts, in article order.
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
    vp.review_disagrees
from claims as c
left join verdicts_published as vp on vp.claim_id = c.claim_id
where c.article_id = $article_id
order by c.sentence_index, c.span_start, c.claim_id
