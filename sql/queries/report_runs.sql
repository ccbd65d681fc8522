-- The dashboard's runs page: every run, newest first, with why it did not publish.
-- Grain: one row per run.
select
    run_id,
    article_id,
    status,
    failure_reason,
    docs_path,
    n_expectations,
    n_expectations_failed,
    started_at,
    finished_at,
    date_diff('millisecond', started_at, finished_at) / 1000.0 as seconds
from runs
order by started_at desc, run_id
