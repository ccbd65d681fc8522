-- An article's claims in reading order. Grain: one row per claim.
-- Parameter: $article_id.
select claim_id
from claims
where article_id = $article_id
order by sentence_index, span_start, claim_id
