-- Published verdicts, optionally for one article and one verdict label, in article order.
-- Grain: one row per claim of each article's latest published run.
-- Parameters: $article_id (null for all), $verdict (null for all).
with final as (
    select
        vp.article_id,
        vp.claim_id,
        vp.claim_text,
        vp.verdict,
        vp.confidence,
        vp.supporting_outlets,
        vp.contradicting_outlets,
        vp.evidence_outlet,
        vp.evidence_url,
        vp.reason,
        vp.machine_verdict,
        vp.human_reviewed,
        vp.review_note,
        vp.review_disagrees,
        nullif(cm.memory_note, '') as seen_before,
        coalesce(cm.needs_review, false) as memory_needs_review,
        c.sentence_index,
        c.span_start
    from verdicts_published as vp
    inner join claims as c on c.claim_id = vp.claim_id
    left join claim_memory as cm on cm.claim_id = vp.claim_id
    where ($article_id is null or vp.article_id = $article_id)
      and ($verdict is null or vp.verdict = $verdict)
)

select * exclude (sentence_index, span_start)
from final
order by article_id, sentence_index, span_start, claim_id
