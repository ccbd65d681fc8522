-- The claim a review is about, with its published machine verdict if any.
-- Grain: at most one row. Parameter: $claim_id.
select
    c.claim_id,
    c.claim_text,
    vp.machine_verdict,
    vp.run_id
from claims as c
left join verdicts_published as vp on vp.claim_id = c.claim_id
where c.claim_id = $claim_id
