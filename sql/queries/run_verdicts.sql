-- The verdicts a run wrote, with what the audit checks beside them.
-- Grain: one row per claim. Parameter: $run_id.
-- evidence_in_sentence: the evidence span shown really occurs in the stored sentence
-- (true when there is no evidence).
with final as (
    select
        v.*,
        v.evidence_text is null
        or coalesce(contains(s.sentence_text, v.evidence_text), false) as evidence_in_sentence
    from verdicts as v
    left join sentences as s on s.sentence_id = v.evidence_sentence_id
    where v.run_id = $run_id
)

select * from final
