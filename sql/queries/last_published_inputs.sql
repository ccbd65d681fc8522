-- What the article's latest published run was computed from: its claims, its documents
-- and the code version. A new run with the same three would change nothing. Grain: one row per (kind, id).
-- Parameter: $article_id.
with latest as (
    select run_id
    from latest_published_runs
    where article_id = $article_id
),

final as (
    select l.run_id, 'claim' as kind, v.claim_id as id
    from latest as l
    inner join verdicts as v on v.run_id = l.run_id
    union all
    select l.run_id, 'document' as kind, rd.document_id as id
    from latest as l
    inner join run_documents as rd on rd.run_id = l.run_id
    -- documents read through the claim memory are the cluster's, not the article's inputs
    where not coalesce(rd.via_memory, false)
    union all
    select l.run_id, 'code' as kind, rc.code_version as id
    from latest as l
    inner join run_code_versions as rc on rc.run_id = l.run_id
)

select * from final
