-- The documents runs read through the memory: those on which another article's claim of
-- the same cluster was decided (a supporting or refuting sentence of its latest published
-- run), unless the run reads them already. Many runs (a batch) go in one query.
-- Grain: one row per run x document. Parameter: $run_ids.
with batch as (
    select run_id, article_id
    from runs
    where run_id in (select unnest($run_ids::varchar[]))
),

own_clusters as (
    select b.run_id, b.article_id, co.cluster_id
    from batch as b
    inner join claims as c on c.article_id = b.article_id
    inner join claim_clusters_of as co on co.claim_id = c.claim_id
),

members as (
    select distinct oc.run_id, co.claim_id
    from own_clusters as oc
    inner join claim_clusters_of as co on co.cluster_id = oc.cluster_id
    inner join claims as c on c.claim_id = co.claim_id
    where c.article_id <> oc.article_id
),

decided as (
    select distinct m.run_id, s.document_id, rd.outlet_group
    from members as m
    inner join verdicts_published as vp on vp.claim_id = m.claim_id
    inner join evidence as e on e.run_id = vp.run_id and e.claim_id = vp.claim_id
    inner join sentences as s on s.sentence_id = e.sentence_id
    inner join run_documents as rd on rd.run_id = vp.run_id and rd.document_id = s.document_id
    where e.stance in ('SUPPORTS', 'REFUTES') and not rd.is_excluded
),

final as (
    select d.run_id, d.document_id, min(d.outlet_group) as outlet_group
    from decided as d
    anti join run_documents as rd on rd.run_id = d.run_id and rd.document_id = d.document_id
    group by d.run_id, d.document_id
)

select * from final
order by run_id, document_id
