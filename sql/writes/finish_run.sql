-- A run's outcome: its status, why (when it did not publish), its Data Docs page, and the
-- counts known at the end (a null count keeps the stored one).
-- Parameters: $run_id, $status, $failure_reason, $docs_path, $finished_at, $n_claims,
-- $n_sources, $n_sources_ok, $n_expectations, $n_expectations_failed.
update runs
set
    status = $status,
    failure_reason = $failure_reason,
    docs_path = $docs_path,
    finished_at = $finished_at,
    n_claims = coalesce($n_claims, n_claims),
    n_sources = coalesce($n_sources, n_sources),
    n_sources_ok = coalesce($n_sources_ok, n_sources_ok),
    n_expectations = coalesce($n_expectations, n_expectations),
    n_expectations_failed = coalesce($n_expectations_failed, n_expectations_failed)
where run_id = $run_id
