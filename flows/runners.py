"""Which task runner the flows use: in-process threads by default, Dask when asked."""

from __future__ import annotations

import re
import socket

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


DASK_ADDRESS = re.compile(
    r"^(?:(?P<scheme>tcp|tls)://)?(?P<host>\[[0-9a-fA-F:.]+\]|[^:/\s]+):(?P<port>\d+)$"
)


def dask_address_problem(address: str, timeout_s: float = 5.0) -> str | None:
    """Return why a Dask scheduler address cannot be used (not tcp://HOST:PORT, or nothing
    answers there), or None. Checked before a run starts, so a typo is one line, not a
    minute of retries and a traceback."""
    match = DASK_ADDRESS.match(address.strip())
    if match is None:
        return f"--dask-address {address!r}: expected tcp://HOST:PORT (e.g. tcp://127.0.0.1:8786)"
    host, port = match["host"].strip("[]"), int(match["port"])
    if not 0 < port < 65536:
        return f"--dask-address {address!r}: port {port} is out of range"
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return None
    except OSError as err:
        reason = err.strerror or type(err).__name__
        return f"--dask-address {address!r}: no Dask scheduler answers there ({reason})"
