-- The evidence behind each published verdict, for users and for the CLI and dashboard:
-- the candidate sentences of the claim's latest published run with outlet and link.
-- stance_order sorts contradicting evidence first, then supporting, then the rest.
-- Grain: one row per published claim x candidate sentence.
create or replace view evidence_published as
select
    vp.article_id,
    vp.claim_id,
    vp.run_id,
    d.outlet,
    coalesce(src.original_url, d.url) as url,
    e.stance,
    case e.stance when 'REFUTES' then 0 when 'SUPPORTS' then 1 else 2 end as stance_order,
    e.similarity,
    e.coverage,
    e.reasons,
    s.sentence_text,
    e.candidate_rank
from verdicts_published as vp
inner join evidence as e on e.run_id = vp.run_id and e.claim_id = vp.claim_id
inner join sentences as s on s.sentence_id = e.sentence_id
inner join documents as d on d.document_id = s.document_id
inner join sources as src on src.source_id = d.source_id;
