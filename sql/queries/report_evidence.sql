-- The evidence rows of every published run that took a side or came close, contradicting
-- first, for the dashboard's claim panels. Grain: one row per claim x candidate sentence.
-- Parameter: $neutral_shown (NEUTRAL candidates kept per claim, by rank).
select claim_id, outlet, url, stance, similarity, coverage, reasons, sentence_text
from evidence_published
where stance <> 'NEUTRAL' or candidate_rank <= $neutral_shown
order by claim_id, stance_order, similarity desc, candidate_rank
