-- The evidence rows of every published run that took a side or came close, contradicting
-- first, for the dashboard's claim panels. Grain: one row per claim x candidate sentence.
select
    vp.claim_id,
    d.outlet,
    coalesce(src.original_url, d.url) as url,
    e.stance,
    e.similarity,
    e.coverage,
    e.reasons,
    s.sentence_text
from verdicts_published as vp
inner join evidence as e on e.run_id = vp.run_id and e.claim_id = vp.claim_id
inner join sentences as s on s.sentence_id = e.sentence_id
inner join documents as d on d.document_id = s.document_id
inner join sources as src on src.source_id = d.source_id
where e.stance <> 'NEUTRAL' or e.candidate_rank <= $neutral_shown
order by
    vp.claim_id,
    case e.stance when 'REFUTES' then 0 when 'SUPPORTS' then 1 else 2 end,
    e.similarity desc,
    e.candidate_rank
