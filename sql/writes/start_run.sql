-- A new run in status 'running'. A retried flow run takes its unfinished run up again;
-- a finished one stays as it is. Parameters: $run_id, $article_id, $origin, $started_at.
insert into runs (run_id, article_id, origin, started_at, status)
values ($run_id, $article_id, $origin, $started_at, 'running')
on conflict (run_id) do update set status = 'running', failure_reason = null
where runs.status in ('running', 'interrupted', 'failed')
