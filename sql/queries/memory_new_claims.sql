-- The claims of the articles a batch is about to score, as the memory compares them.
-- Grain: one row per claim. Parameter: $article_ids.
select claim_id, article_id, claim_text, norm_text, slots
from claims
where article_id in (select unnest($article_ids::varchar[]))
order by article_id, claim_id
