-- The evidence rows each run of a batch wrote. Grain: one row per run x claim x candidate
-- sentence. Parameter: $run_ids.
-- claim_in_run: the row's claim is one of the claims of the run's article.
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
        e.*,
        rc.claim_id is not null as claim_in_run
    from evidence as e
    inner join batch as b on b.run_id = e.run_id
    left join run_claims as rc on rc.run_id = e.run_id and rc.claim_id = e.claim_id
)

select * from final
