-- The verdicts a run wrote, with what the audit checks beside them.
-- Grain: one row per claim. Parameter: $run_id.
-- evidence_in_sentence: the evidence span shown really occurs in the stored sentence
-- (true when there is no evidence).
-- decisive_lost: the article's latest published run called this claim SUPPORTED or
-- CONTRADICTED and this run calls it NOT ENOUGH INFO (null when that run did not decide
-- it, or there is none), so a run that loses most decided verdicts can be stopped.
with previous_run as (
    select r.run_id
    from runs as r
    where
        r.status = 'published'
        and r.run_id <> $run_id
        and r.article_id = (select article_id from runs where run_id = $run_id)
    order by r.finished_at desc
    limit 1
),

previous_verdicts as (
    select v.claim_id, v.verdict
    from verdicts as v
    inner join previous_run as p on p.run_id = v.run_id
),

final as (
    select
        v.*,
        v.evidence_text is null
        or coalesce(contains(s.sentence_text, v.evidence_text), false) as evidence_in_sentence,
        case
            when pv.verdict in ('SUPPORTED', 'CONTRADICTED')
                then v.verdict = 'NOT ENOUGH INFO'
        end as decisive_lost
    from verdicts as v
    left join sentences as s on s.sentence_id = v.evidence_sentence_id
    left join previous_verdicts as pv on pv.claim_id = v.claim_id
    where v.run_id = $run_id
)

select * from final
