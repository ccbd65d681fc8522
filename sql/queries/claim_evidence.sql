-- The evidence behind a claim's published verdict: contradicting sentences first, then
-- supporting, then the rest, closest first.
-- Grain: one row per candidate sentence of the claim's latest published run.
-- Parameter: $claim_id.
select
    d.outlet,
    coalesce(src.original_url, d.url) as url,
    e.stance,
    e.similarity,
    e.coverage,
    e.reasons,
    s.sentence_text,
    e.candidate_rank
from verdicts_published as vp
inner join evidence as e on e.run_id = vp.run_id and e.claim_id = vp.claim_id
inner join sentences as s on s.sentence_id = e.sentence_id
inner join documents as d on d.document_id = s.document_id
inner join sources as src on src.source_id = d.source_id
where vp.claim_id = $claim_id
order by
    case e.stance when 'REFUTES' then 0 when 'SUPPORTS' then 1 else 2 end,
    e.similarity desc,
    e.candidate_rank
