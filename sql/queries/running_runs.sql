-- Runs still marked 'running'. Grain: one row per run.
-- No parameters.
select run_id
from runs
where status = 'running'
