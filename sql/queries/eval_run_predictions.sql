-- What an evaluation reads of one run: each claim's verdict and confidence, and every
-- candidate sentence with its rank, similarity and stance (for the two baselines).
-- Grain: one row per claim x candidate (one row with null candidate columns when none).
-- Parameter: $run_id.
select
    c.claim_text,
    v.verdict,
    v.confidence,
    e.candidate_rank,
    e.similarity,
    e.stance,
    s.sentence_text
from verdicts as v
inner join claims as c on c.claim_id = v.claim_id
left join evidence as e on e.run_id = v.run_id and e.claim_id = v.claim_id
left join sentences as s on s.sentence_id = e.sentence_id
where v.run_id = $run_id
order by c.claim_text, e.candidate_rank
