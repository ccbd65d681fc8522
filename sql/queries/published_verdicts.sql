-- Published verdicts, optionally for one article and one verdict label.
-- Grain: one row per claim of each article's latest published run.
-- Parameters: $article_id (null for all), $verdict (null for all).
with final as (
    select
        article_id,
        claim_id,
        claim_text,
        verdict,
        confidence,
        supporting_outlets,
        contradicting_outlets,
        evidence_outlet,
        evidence_url,
        reason
    from verdicts_published
    where ($article_id is null or article_id = $article_id)
      and ($verdict is null or verdict = $verdict)
    order by article_id, claim_id
)

select * from final
