-- The verdicts each run of a batch wrote, with what the audit checks beside them.
-- Grain: one row per run x claim. Parameter: $run_ids.
-- evidence_in_sentence: the evidence span shown really occurs in the stored sentence
-- (true when there is no evidence).
-- claim_in_run: the verdict's claim is one of the claims of the run's article.
with batch as (
    select run_id, article_id
    from runs
    where run_id in (select unnest($run_ids::varchar[]))
),

run_claims as (
    select b.run_id, c.claim_id
    from batch as b
    inner join claims as c on c.article_id = b.article_id
),

final as (
    select
        v.*,
        v.evidence_text is null
        or coalesce(contains(s.sentence_text, v.evidence_text), false) as evidence_in_sentence,
        rc.claim_id is not null as claim_in_run
    from verdicts as v
    inner join batch as b on b.run_id = v.run_id
    left join sentences as s on s.sentence_id = v.evidence_sentence_id
    left join run_claims as rc on rc.run_id = v.run_id and rc.claim_id = v.claim_id
)

select * from final
