-- Every claim of every article with its published (or reviewed) verdict and the outlets
-- that took a side on it, for the dashboard's article pages and claim lists.
-- Grain: one row per claim.
with sided_outlets as (
    select
        claim_id,
        list_sort(list(distinct outlet)) as outlets
    from evidence_published
    where stance in ('SUPPORTS', 'REFUTES')
    group by claim_id
)

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
    vp.run_id,
    coalesce(so.outlets, []) as outlets
from claims as c
left join verdicts_published as vp on vp.claim_id = c.claim_id
left join sided_outlets as so on so.claim_id = c.claim_id
order by c.article_id, c.sentence_index, c.span_start, c.claim_id
