-- The claims an extractor version found in an article, in article order (no rows if that
-- version never ran on it). Grain: one row per claim.
-- Parameters: $article_id, $extractor_version.
with found as (
    select unnest(claim_ids) as claim_id
    from extractions
    where article_id = $article_id and extractor_version = $extractor_version
)

select c.claim_id, c.claim_text
from found as f
inner join claims as c on c.claim_id = f.claim_id
order by c.sentence_index, c.span_start, c.claim_id
