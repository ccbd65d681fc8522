"""Serving a flow on a schedule with a shutdown that keeps its word: SIGTERM or Ctrl-C
stops the server within seconds, also when the Prefect server has gone away (Prefect's
own runner would keep retrying to pause the schedule there for a minute or more)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from prefect import Flow
from prefect.runner import Runner

from claimwatch.config import Settings

# How long a stopping server may spend pausing its schedule before it exits anyway.
SHUTDOWN_GRACE_S = 3.0
# Prefect's loggers that log a whole traceback for a lost connection to the server, which
# the server going away makes expected: their messages stay, as one line each.
ONE_LINE_LOGGERS = ("prefect.FlowRunCancellingObserver", "prefect.events.clients")

_deadline_armed = threading.Event()


def exit_after(seconds: float) -> None:
    """Make sure this process ends within seconds of now (once armed, stays armed)."""
    if _deadline_armed.is_set():
        return
    _deadline_armed.set()

    def stop() -> None:
        sys.stderr.write(
            f"claimwatch serve: the Prefect server did not answer within {seconds:g} s; "
            "stopped without pausing the schedule\n"
        )
        sys.stderr.flush()
        os._exit(0)  # runs execute in processes of their own: nothing of theirs is cut

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()


class PromptRunner(Runner):
    """Prefect's runner, bounded in how long it takes to stop on SIGTERM."""

    def handle_sigterm(self, *args, **kwargs) -> None:
        exit_after(SHUTDOWN_GRACE_S)
        super().handle_sigterm(*args, **kwargs)


def on_interrupt(signum: int, frame: object) -> None:
    """Ctrl-C: stop as Prefect does (pausing the schedule), but within the grace period."""
    exit_after(SHUTDOWN_GRACE_S)
    raise KeyboardInterrupt


class WithoutTraceback(logging.Filter):
    """Keep a record's message, drop its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({type(error).__name__}: {error})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def serve_on_schedule(
    flow: Flow, name: str, cron: str, parameters: dict[str, object], tags: list[str]
) -> None:
    """Serve flow on the cron schedule until SIGTERM or Ctrl-C; pause the schedule on the
    way out when the server answers in time."""
    for logger_name in ONE_LINE_LOGGERS:
        logging.getLogger(logger_name).addFilter(WithoutTraceback())
    runner = PromptRunner(name=name, pause_on_shutdown=True)
    runner.add_flow(flow, name=name, cron=cron, parameters=parameters, tags=tags)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, on_interrupt)
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        pass


class MonitorServer:
    """The monitor flow over one inbox with its settings: run one tick, or serve it on a
    schedule; with dask and no address, on one LocalCluster for the server's whole life."""

    def __init__(self, inbox: Path, settings: Settings, dask: bool, dask_address: str | None):
        if dask and not dask_address:
            from distributed import LocalCluster

            # One cluster for the life of the server, shared by every scheduled run.
            self.cluster = LocalCluster(threads_per_worker=1, processes=True)
            dask_address = self.cluster.scheduler_address
            print(f"Dask LocalCluster at {dask_address} (dashboard {self.cluster.dashboard_link})")
        self.parameters = {
            "inbox": str(inbox.resolve()),
            "sources_csv": str(settings.sources_csv.resolve()),
            "db_path": str(settings.db_path.resolve()),
            "dask_address": dask_address,
            "docs_dir": str(settings.docs_dir.resolve()),
        }

    def run_once(self) -> dict[str, list[str]]:
        """Run one tick now (no Prefect server needed); return what became of each article."""
        from flows.monitor import monitor_flow

        return monitor_flow(**self.parameters)

    @staticmethod
    def has_prefect_api() -> bool:
        """True when a Prefect server is configured to hold the schedule."""
        from prefect.settings import get_current_settings

        return get_current_settings().api.url is not None

    def serve(self, cron: str) -> None:
        """Serve the flow on cron until SIGTERM or Ctrl-C (see serve_on_schedule)."""
        from flows.monitor import monitor_flow

        serve_on_schedule(monitor_flow, "claimwatch-monitor", cron, self.parameters, ["claimwatch"])
