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

from prefect import Flow
from prefect.runner import Runner

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
