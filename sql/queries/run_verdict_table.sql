-- What `claimwatch run` prints: each claim of the run with its verdict, in article order.
-- Grain: one row per claim. Parameter: $run_id.
with run_verdicts as (
    select * from verdicts where run_id = $run_id
),

final as (
    select
        c.claim_id,
        c.sentence_index,
        c.claim_text,
        c.speaker,
        c.via,
        v.verdict,
        v.confidence,
        v.n_supporting_outlets,
        v.n_contradicting_outlets,
        v.evidence_outlet,
        v.evidence_url,
        v.reason
    from run_verdicts as v
    inner join claims as c on c.claim_id = v.claim_id
    order by c.sentence_index, c.span_start, c.claim_id
)

select * from final
