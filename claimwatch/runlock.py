"""One writer at a time: an advisory file lock beside the database. The operating system
drops it when the holding process dies, so a killed run never leaves a stale lock."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from claimwatch.errors import StoreBusy

POLL_S = 0.2


class RunLocked(StoreBusy):
    """Another run kept the database past the wait; the message says so in one line."""


def lock_path(db_path: Path) -> Path:
    """The writer's lock, in the database's own folder (config.database_folder)."""
    from claimwatch.config import database_folder

    return database_folder(db_path) / "writer.lock"


@contextmanager
def run_lock(
    db_path: Path, wait_s: float, progress: Callable[[str], None] = lambda message: None
) -> Iterator[None]:
    """Hold the database's writer lock for the block, waiting up to wait_s for another run
    to finish (saying so once), else raise RunLocked."""
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    deadline = time.monotonic() + wait_s
    told = False
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunLocked(
                        f"{db_path}: another run is still writing after {wait_s:g}s "
                        f"(lock {path}, holder pid {holder(path)}); try again when it ends"
                    ) from None
                if not told:
                    progress(
                        f"waiting for lock: another run (pid {holder(path)}) is writing {db_path}"
                    )
                    told = True
                time.sleep(POLL_S)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def holder(path: Path) -> str:
    try:
        return path.read_text().strip() or "?"
    except OSError:
        return "?"
