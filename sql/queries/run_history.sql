-- Runs, newest first, with their status and why a run was quarantined or failed.
-- Grain: one row per run.
with final as (
    select
        run_id,
        article_id,
        status,
        n_claims,
        n_sources_ok,
        n_sources,
        failure_reason
    from runs
    order by started_at desc
)

select * from final
