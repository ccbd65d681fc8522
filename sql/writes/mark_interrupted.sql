-- Runs still 'running' when the writer lock is free belong to a process that died.
-- Parameter: $finished_at.
update runs
set
    status = 'interrupted',
    finished_at = $finished_at,
    failure_reason = 'the process running it stopped before it finished'
where status = 'running'
