"""Crash and concurrency safety with real processes: runs killed with SIGKILL mid-way, two
runs started at once, queries while a run writes."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from claimwatch.runlock import RunLocked, run_lock
from tests.conftest import EXE, SEED_ARTICLE, cli_env


def start_run(root: Path, **extra: str) -> subprocess.Popen:
    # --force: the seed is the same every time, and these runs must really write.
    return subprocess.Popen(
        [str(EXE), "run", str(SEED_ARTICLE), "--force"],
        env=cli_env(root, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def published_snapshot(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select run_id, claim_id, verdict, confidence from verdicts_published order by all"
        ).fetchall()
    finally:
        con.close()


def run_statuses(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute("select status from runs order by started_at").fetchall()]
    finally:
        con.close()


def test_killed_runs_leave_published_data_alone_and_the_next_run_completes(
    seeded_copy, tmp_path: Path
):
    db = seeded_copy.db_path
    before = published_snapshot(db)
    assert before
    for delay in (1.5, 4.0, 6.5):  # parser loading, extraction/fetching, storing/validating
        process = start_run(tmp_path)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert published_snapshot(db) == before, f"published data changed (killed at {delay}s)"
    finished = subprocess.run(
        [str(EXE), "run", str(SEED_ARTICLE), "--force"],
        check=False,
        env=cli_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert finished.returncode == 0, finished.stderr
    statuses = run_statuses(db)
    assert statuses[-1] == "published"
    assert "running" not in statuses, "a killed run is marked interrupted by the next one"
    after = published_snapshot(db)
    assert after != before and {row[0] for row in after} != {row[0] for row in before}


def test_two_runs_at_once_take_turns(tmp_path: Path):
    first = start_run(tmp_path)
    time.sleep(0.3)
    second = start_run(tmp_path)
    _, err_first = first.communicate(timeout=240)
    _, err_second = second.communicate(timeout=240)
    assert first.returncode == 0, err_first
    assert second.returncode == 0, err_second
    assert "waiting for lock" in err_first + err_second
    assert run_statuses(tmp_path / "claimwatch.duckdb") == ["published", "published"]


def test_a_run_that_cannot_get_the_lock_fails_fast_with_one_line_as_busy(tmp_path: Path):
    db = tmp_path / "claimwatch.duckdb"
    with run_lock(db, 0):
        # This process holds the lock; a second process gives up after one second.
        result = subprocess.run(
            [str(EXE), "run", str(SEED_ARTICLE)],
            check=False,
            env=cli_env(tmp_path, CLAIMWATCH_LOCK_WAIT_S="1"),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 5  # busy: not bad input (issue 29)
    assert "another run is still writing after 1s" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # the wait notice, then the error
    assert not db.exists() or run_statuses(db) == []


def test_the_lock_is_released_when_its_holder_dies(tmp_path: Path):
    db = tmp_path / "x.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import time; from pathlib import Path; from claimwatch.runlock import run_lock\n"
                f"with run_lock(Path({str(db)!r}), 0):\n"
                "    print('held', flush=True); time.sleep(60)"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(RunLocked), run_lock(db, 0.3):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    with run_lock(db, 2):
        pass  # taken at once: the dead holder's lock went with it


def test_queries_keep_working_while_a_run_writes(seeded_copy, tmp_path: Path):
    process = start_run(tmp_path)
    answers = []
    while process.poll() is None:
        query = subprocess.run(
            [str(EXE), "history"],
            check=False,
            env=cli_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
        answers.append(query.returncode)
        time.sleep(0.2)
    assert process.returncode == 0, process.stderr.read()
    assert answers and all(code == 0 for code in answers), answers
