-- What a ClaimReview needs of each published claim: the claim, its verdict (the reviewer's
-- when reviewed), who said it, where and when it appeared, and when it was judged.
-- Grain: one row per reviewed claim of each article's latest published run; with
-- $include_unreviewed also the machine's decided verdicts (never NOT ENOUGH INFO unreviewed).
select
    vp.claim_id,
    vp.claim_text,
    vp.verdict,
    vp.machine_verdict,
    vp.human_reviewed,
    vp.reviewer,
    vp.review_note,
    cast(coalesce(vp.reviewed_at, r.finished_at) as date) as review_date,
    vp.speaker,
    vp.reason,
    a.origin as appearance,
    a.published_date as appearance_date
from verdicts_published as vp
inner join runs as r on r.run_id = vp.run_id
inner join articles as a on a.article_id = vp.article_id
where vp.human_reviewed or ($include_unreviewed and vp.verdict <> 'NOT ENOUGH INFO')
order by a.published_date, vp.article_id, vp.claim_id
