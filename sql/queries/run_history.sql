-- Runs, newest first: status, counts, how long each took, and why a run was quarantined,
-- failed or interrupted. Grain: one row per run.
with final as (
    select
        run_id,
        article_id,
        status,
        n_claims,
        n_sources_ok,
        n_sources,
        round(epoch(finished_at) - epoch(started_at), 1) as duration_s,
        failure_reason,
        started_at
    from runs
)

select * exclude (started_at)
from final
order by started_at desc
