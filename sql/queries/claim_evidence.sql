-- The evidence behind a claim's published verdict: contradicting sentences first, then
-- supporting, then the rest, closest first.
-- Grain: one row per candidate sentence of the claim's latest published run.
-- Parameter: $claim_id.
select outlet, url, stance, similarity, coverage, reasons, sentence_text, candidate_rank
from evidence_published
where claim_id = $claim_id
order by stance_order, similarity desc, candidate_rank
