-- Every claim of every article with its published (or reviewed) verdict, for the
-- dashboard's article pages. Grain: one row per claim.
select
    c.article_id,
    c.claim_id,
    c.claim_text,
    c.kind,
    c.speaker,
    c.span_start,
    c.span_end,
    c.slots,
    vp.verdict,
    vp.machine_verdict,
    vp.confidence,
    vp.supporting_outlets,
    vp.contradicting_outlets,
    vp.reason,
    vp.human_reviewed,
    vp.reviewer,
    vp.review_note,
    vp.review_disagrees,
    vp.run_id
from claims as c
left join verdicts_published as vp on vp.claim_id = c.claim_id
order by c.article_id, c.sentence_index, c.span_start, c.claim_id
