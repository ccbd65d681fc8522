"""The scheduled path: the monitor flow over an inbox, re-checks, and `claimwatch serve`."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from claimwatch import batch, pipeline, store
from claimwatch.cli import app
from claimwatch.config import PROJECT_ROOT
from claimwatch.monitor import articles_to_recheck, pending_articles
from tests.conftest import EXE, SEED_ARTICLE, SEED_SOURCES, loopback_server, make_settings

OLYMPIC = PROJECT_ROOT / "seeds" / "articles" / "olympic-100m-2021-07-31.txt"


def published_runs(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from runs where status = 'published'").fetchone()[0]
    finally:
        con.close()


def test_monitor_verifies_new_inbox_articles_once(prefect_harness, tmp_path: Path, monkeypatch):
    from flows.monitor import monitor_flow

    monkeypatch.setenv("CLAIMWATCH_DOCS_DIR", str(tmp_path / "docs"))
    monkeypatch.setenv("CLAIMWATCH_GX_DIR", str(tmp_path / "gx"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_ARTICLE, inbox / "seed.txt")
    (inbox / "notes.pdf").write_bytes(b"%PDF not an article")  # ignored: not .txt/.md
    (inbox / "empty.txt").write_text("")
    secret = tmp_path / "secret.txt"
    secret.write_text(" date 2021-09-24 A file outside the inbox says 11 agencies met.\n")
    (inbox / "passwd.txt").symlink_to(secret)  # a link is skipped and reported, never read
    db = tmp_path / "monitor.duckdb"
    first = monitor_flow(str(inbox), str(SEED_SOURCES), str(db))
    assert first["verified"] == [str(inbox / "seed.txt")]
    assert first["failed"] == [str(inbox / "empty.txt")]  # reported, not fatal
    assert first["skipped"] == [str(inbox / "passwd.txt")]
    assert published_runs(db) == 1
    con = duckdb.connect(str(db), read_only=True)
    texts = [row[0] for row in con.execute("select article_text from articles").fetchall()]
    con.close()
    assert not any("outside the inbox" in text for text in texts)
    # Nothing new: nothing runs again.
    second = monitor_flow(str(inbox), str(SEED_SOURCES), str(db))
    assert second["verified"] == [] and second["rechecked"] == []
    assert published_runs(db) == 1
    # A new article is picked up.
    shutil.copy(OLYMPIC, inbox / "olympic.txt")
    third = monitor_flow(str(inbox), str(SEED_SOURCES), str(db))
    assert third["verified"] == [str(inbox / "olympic.txt")]
    assert published_runs(db) == 2


def test_unverified_claims_are_rechecked_when_new_documents_arrive(tmp_path: Path, nlp):
    one_source = tmp_path / "one.csv"
    rows = SEED_SOURCES.read_text(encoding="utf-8").splitlines()
    base = SEED_SOURCES.parent
    absolute = [rows[0]] + [line.replace("sources/", f"{base}/sources/", 1) for line in rows[1:]]
    one_source.write_text("\n".join(absolute[:2]) + "\n", encoding="utf-8")
    all_sources = tmp_path / "all.csv"
    all_sources.write_text("\n".join(absolute) + "\n", encoding="utf-8")
    # The registries name the bundled snapshots in their own folder: allow it.
    roots = (str(base),)
    batch.verify_article(SEED_ARTICLE, make_settings(tmp_path, one_source, snapshot_roots=roots))
    con = store.connect(tmp_path / "claimwatch.duckdb", read_only=True)
    try:
        assert articles_to_recheck(con) == []  # no document newer than the run
    finally:
        con.close()
    batch.verify_article(OLYMPIC, make_settings(tmp_path, all_sources, snapshot_roots=roots))
    con = store.connect(tmp_path / "claimwatch.duckdb", read_only=True)
    try:
        stale = articles_to_recheck(con)
        pending, _ = pending_articles(SEED_ARTICLE.parent, con, 5_000_000)
    finally:
        con.close()
    seed_id = pipeline.load_article(SEED_ARTICLE, make_settings(tmp_path), nlp).article.article_id
    assert seed_id in {article_id for article_id, _, _ in stale}
    assert SEED_ARTICLE not in pending and OLYMPIC not in pending


def test_serve_refuses_a_bad_cron_in_one_line(tmp_path: Path):
    result = CliRunner().invoke(
        app, ["serve", "--inbox", str(tmp_path / "in"), "--cron", "every minute"]
    )
    assert result.exit_code == 2
    assert "not a cron expression" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_serve_once_runs_the_monitor_over_the_inbox_as_one_batch(
    prefect_harness, tmp_path: Path, monkeypatch
):
    """One tick verifies the inbox as one batch: one validation of its runs, the broken
    article quarantined alone, the others published."""
    monkeypatch.setenv("CLAIMWATCH_DOCS_DIR", str(tmp_path / "docs"))
    monkeypatch.setenv("CLAIMWATCH_GX_DIR", str(tmp_path / "gx"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(OLYMPIC, inbox / "olympic.txt")
    shutil.copy(SEED_ARTICLE, inbox / "seed.txt")
    (inbox / "verbless.txt").write_text(
        " date 2021-09-24 Wonderful weather everywhere today and tomorrow.\n", encoding="utf-8"
    )
    db = tmp_path / "serve.duckdb"
    result = CliRunner().invoke(
        app,
        ["serve", "--inbox", str(inbox), "--db", str(db), "--once", "--sources", str(SEED_SOURCES)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 3, result.output  # a tick with a failed article says so
    assert "verified 2, failed 1, re-checked 0" in result.output
    assert "some articles failed" in result.output and "verbless.txt" in result.output
    assert published_runs(db) == 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        statuses = dict(con.execute("select origin, status from runs").fetchall())
    finally:
        con.close()
    assert statuses[str(inbox / "verbless.txt")] == "quarantined"
    pages = list((tmp_path / "docs" / "validations" / "verdicts").glob("*/*/*.html"))
    assert len(pages) == 1  # three runs, one validation


def test_prefect_yaml_entrypoints_load():
    import yaml
    from prefect.flows import load_flow_from_entrypoint

    spec = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    names = set()
    for deployment in spec["deployments"]:
        path, _, name = deployment["entrypoint"].partition(":")
        loaded = load_flow_from_entrypoint(f"{PROJECT_ROOT / path}:{name}")
        names.add(loaded.name)
        for schedule in deployment.get("schedules", []):
            from prefect.client.schemas.schedules import CronSchedule

            assert CronSchedule(cron=schedule["cron"])
    assert names == {"monitor-inbox", "verify-article"}


def test_serve_without_a_prefect_server_says_how_to_start_one(tmp_path: Path, monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    # Even inside the session's Prefect test harness, no API: the ephemeral case.
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        result = CliRunner().invoke(
            app, ["serve", "--inbox", str(tmp_path / "in"), "--sources", str(SEED_SOURCES)]
        )
    assert result.exit_code == 2
    assert "needs a Prefect server" in result.output and "PREFECT_API_URL" in result.output


STORY = """<html><head><title>Regulators ban crypto</title>
<meta property="article:published_time" content="2021-09-24T09:00:00Z"></head><body><article>
<h1>Regulators ban crypto</h1><p>Ten government agencies issued a joint statement on Friday
declaring every cryptocurrency transaction illegal, the central bank said.</p></article></body></html>"""


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def feed_server(tmp_path: Path) -> Iterator[str]:
    """A loopback server with an RSS feed whose one item is a news story; yields its URL."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "story.html").write_text(STORY, encoding="utf-8")
    with loopback_server(functools.partial(QuietFiles, directory=str(site))) as server:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        (site / "feed.xml").write_text(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            f"<item><title>Regulators ban crypto</title><link>{base}/story.html</link>"
            "<pubDate>Fri, 24 Sep 2021 09:00:00 GMT</pubDate></item></channel></rss>",
            encoding="utf-8",
        )
        yield base


def test_monitor_takes_up_new_feed_items_once(prefect_harness, tmp_path: Path, monkeypatch):
    from flows.monitor import monitor_flow

    with feed_server(tmp_path) as base:
        monkeypatch.setenv("CLAIMWATCH_DOCS_DIR", str(tmp_path / "docs"))
        monkeypatch.setenv("CLAIMWATCH_GX_DIR", str(tmp_path / "gx"))
        monkeypatch.setenv("CLAIMWATCH_ALLOW_ADDRESSES", "127.0.0.1")
        monkeypatch.setenv("CLAIMWATCH_HOST_DELAY_S", "0")
        monkeypatch.setenv("CLAIMWATCH_SNAPSHOT_ROOTS", str(SEED_SOURCES.parent))
        registry = tmp_path / "registry.csv"
        snapshot = SEED_SOURCES.parent / "sources" / "efe-2021-09-24.html"
        registry.write_text(
            f"url,outlet,tier,kind\n{base}/feed.xml,Wire,1,feed\n{snapshot},EFE,1,page\n",
            encoding="utf-8",
        )
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        db = tmp_path / "feeds.duckdb"
        first = monitor_flow(str(inbox), str(registry), str(db), recheck=False)
        assert first["verified"] == [f"{base}/story.html"], first
        con = duckdb.connect(str(db), read_only=True)
        origins = con.execute("select origin from runs where status = 'published'").fetchall()
        fetched = {r[0] for r in con.execute("select url from fetches").fetchall()}
        con.close()
        assert origins == [(f"{base}/story.html",)]
        assert f"{base}/story.html" not in fetched  # never its own evidence
        second = monitor_flow(str(inbox), str(registry), str(db), recheck=False)
        assert second["verified"] == []


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_serve_stops_promptly_on_signals_even_when_the_prefect_server_is_gone(tmp_path: Path):
    """A real Prefect server on 127.0.0.1 and `claimwatch serve` against it: Ctrl-C stops
    the server with its schedule paused; with the Prefect server killed first, SIGTERM
    still stops it, in one line, without a traceback. (Prefect's own runner took over a
    minute there; the grace period is flows.serving.SHUTDOWN_GRACE_S.)"""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMWATCH_", "PREFECT_"))}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
    )
    server = subprocess.Popen(
        [
            str(EXE.parent / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        health = f"http://127.0.0.1:{port}/api/health"
        assert wait_for(lambda: answers(health), 180), "the Prefect server did not start"
        serve_env = {**env, "PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}
        for signum, kill_server_first in ((signal.SIGINT, False), (signal.SIGTERM, True)):
            log = tmp_path / f"serve-{signum}.log"
            with log.open("wb") as out:
                serving = subprocess.Popen(
                    [str(EXE), "serve", "--inbox", str(tmp_path / "inbox")]
                    + ["--db", str(tmp_path / "serve.duckdb"), "--cron", "0 0 1 1 *"]
                    + ["--sources", str(SEED_SOURCES)],
                    env=serve_env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            try:
                assert wait_for(lambda log=log: b"SIGTERM stops" in log.read_bytes(), 120), (
                    log.read_text()
                )
                time.sleep(3)  # serving: polling the server for runs
                if kill_server_first:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait(30)
                    time.sleep(2)
                serving.send_signal(signum)
                # A hang detector, not a timing target: it stops in about 0.6 s with the
                # server up and 3 s without it, and took over 60 s before.
                serving.wait(15)
            finally:
                if serving.poll() is None:
                    serving.kill()
            text = log.read_text()
            assert serving.returncode == 0, text
            assert "Traceback" not in text, text
            if kill_server_first:
                assert "stopped without pausing the schedule" in text, text
            else:
                assert "All deployments have been paused" in text and "stopped" in text, text
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
