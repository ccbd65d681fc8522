-- Each claim of a run with where it starts in its article and its verdict, for scoring a
-- benchmark's items by the article paragraph each claim comes from.
-- Grain: one row per claim of the run.
-- Parameter: $run_id.
select
    c.span_start,
    c.claim_text,
    v.verdict
from verdicts as v
inner join claims as c on c.claim_id = v.claim_id
where v.run_id = $run_id
order by c.span_start, c.claim_text
