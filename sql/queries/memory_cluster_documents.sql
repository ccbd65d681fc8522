-- The documents a run reads through the memory: those on which another article's claim of
-- the same cluster was decided (a supporting or refuting sentence of its latest published
-- run), unless the run reads them already. Grain: one row per document.
-- Parameters: $run_id, $article_id.
with own_clusters as (
    select co.claim_id, co.cluster_id
    from claim_clusters_of as co
    inner join claims as c on c.claim_id = co.claim_id
    where c.article_id = $article_id
),

members as (
    select distinct co.claim_id
    from claim_clusters_of as co
    inner join own_clusters as oc on oc.cluster_id = co.cluster_id
    inner join claims as c on c.claim_id = co.claim_id
    where c.article_id <> $article_id
),

decided as (
    select distinct s.document_id, rd.outlet_group
    from members as m
    inner join verdicts_published as vp on vp.claim_id = m.claim_id
    inner join evidence as e on e.run_id = vp.run_id and e.claim_id = vp.claim_id
    inner join sentences as s on s.sentence_id = e.sentence_id
    inner join run_documents as rd on rd.run_id = vp.run_id and rd.document_id = s.document_id
    where e.stance in ('SUPPORTS', 'REFUTES') and not rd.is_excluded
)

select d.document_id, min(d.outlet_group) as outlet_group
from decided as d
where d.document_id not in (select document_id from run_documents where run_id = $run_id)
group by d.document_id
order by d.document_id
