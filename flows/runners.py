"""Which task runner the flows use: in-process threads by default, Dask when asked."""

from __future__ import annotations

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

# Tasks in flight at once in-process: hosts fetched side by side, scoring chunks in turn.
IN_PROCESS_WORKERS = 4


def task_runner(dask: bool = False, address: str | None = None) -> TaskRunner:
    """Return the runner: an existing Dask cluster at address (tcp://host:8786), a new
    LocalCluster with one single-threaded worker process per core when dask is set, or
    threads in this process."""
    if address or dask:
        from prefect_dask import DaskTaskRunner

        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs={"threads_per_worker": 1, "processes": True})
    return ThreadPoolTaskRunner(max_workers=IN_PROCESS_WORKERS)
