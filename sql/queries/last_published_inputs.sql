-- What the article's latest published run was computed from: its claims and its documents.
-- A new run with the same two sets would change nothing. Grain: one row per (kind, id).
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
)

select * from final
