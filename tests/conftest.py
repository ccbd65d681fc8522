"""Shared fixtures: real DuckDB files, a real HTTP server on 127.0.0.1, one seeded run."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# pytest-xdist's workers (make test runs two) are given COLUMNS=80, which would make every
# table claimwatch prints to a pipe 80 columns wide; a plain pytest run has none.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)

from claimwatch.batch import verify_article
from claimwatch.config import PROJECT_ROOT, Settings
from claimwatch.nlp import load_nlp
from claimwatch.pipeline import RunSummary

# A loaded 2-core machine can take far longer than Prefect's 20 s to start a server: the
# session's test server and any a command starts in a test wait this long instead.
PREFECT_STARTUP_S = 180
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(PREFECT_STARTUP_S))

# What makes a test slow enough for `make test-all` only (marked `slow`): a Prefect
# server, a browser, a Dask cluster, an emulated CPU, or processes killed and raced on
# purpose.
SLOW_FIXTURES = {"prefect_harness", "browser"}
SLOW_MODULES = {"test_safety.py"}
SLOW_WORDS = ("dask_cluster", "emulated_cpu")

SEED_ARTICLE = PROJECT_ROOT / "seeds" / "articles" / "pboc-2021-09-24.txt"
SEED_SOURCES = PROJECT_ROOT / "seeds" / "sources.csv"
FIXTURE_PAGES = Path(__file__).parent / "fixtures" / "pages"
# The installed command, for tests that run it as a user does: a process of its own.
EXE = Path(sys.executable).parent / "claimwatch"


def make_settings(root: Path, sources: Path = SEED_SOURCES, **overrides: object) -> Settings:
    """Return settings whose database, docs and GX project all live under root."""
    return Settings(
        db_path=root / "claimwatch.duckdb",
        docs_dir=root / "docs",
        gx_dir=root / "gx",
        sources_csv=sources,
        fetch_timeout_s=1.0,
        fetch_retries=1,
        fetch_backoff_s=0.01,
        host_delay_s=0.0,
        # Tests fetch from their own server on 127.0.0.1 and nothing else.
        allow_addresses=("127.0.0.1/32",),
    ).with_overrides(**overrides)


def cli_env(root: Path, **extra: str) -> dict[str, str]:
    """The environment for running the command in a process of its own: the caller's
    without its CLAIMWATCH_ settings, every path under root, the bundled registry."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMWATCH_")}
    env.update(
        {
            "CLAIMWATCH_DB": str(root / "claimwatch.duckdb"),
            "CLAIMWATCH_DOCS_DIR": str(root / "docs"),
            "CLAIMWATCH_GX_DIR": str(root / "gx"),
            "CLAIMWATCH_SOURCES": str(SEED_SOURCES),
            "COLUMNS": "200",
            **extra,
        }
    )
    return env


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tiers' tests `slow`: `make test` leaves them out, `make test-all` runs them."""
    for item in items:
        if (
            SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
            or item.path.name in SLOW_MODULES
            or any(word in item.name for word in SLOW_WORDS)
        ):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def nlp():
    return load_nlp("en_core_web_sm")


@pytest.fixture
def browser():
    """Debian's headless Chromium, driven by Playwright (make browser installs it)."""
    from playwright.sync_api import sync_playwright

    from benchmarks.report_site import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@dataclass
class SeededRun:
    settings: Settings
    summary: RunSummary


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory, nlp) -> SeededRun:
    """The seed article verified once against the bundled sources (read-only for tests)."""
    settings = make_settings(tmp_path_factory.mktemp("seeded"))
    return SeededRun(settings, verify_article(SEED_ARTICLE, settings))


@pytest.fixture
def seeded_copy(seeded: SeededRun, tmp_path: Path) -> Settings:
    """A private copy of the seeded database, for tests that write."""
    target = tmp_path / "claimwatch.duckdb"
    shutil.copy(seeded.settings.db_path, target)
    return make_settings(tmp_path)


@dataclass
class FixtureServer:
    base_url: str
    hits: dict[str, int] = field(default_factory=dict)
    user_agents: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A loopback handler that logs nothing and sends whole bodies."""

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def send(self, code: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on purpose (timeouts, size caps)


class _Handler(QuietHandler):
    server_state: FixtureServer

    def do_GET(self) -> None:
        state = self.server.state  # type: ignore[attr-defined]
        state.hits[self.path] = state.hits.get(self.path, 0) + 1
        state.user_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/error500":
            self.send(500, b"server error", "text/plain")
        elif self.path == "/slow":
            time.sleep(3)
            self.send(200, b"<html><body><p>Too late.</p></body></html>", "text/html")
        elif self.path == "/binary":
            self.send(200, bytes(range(256)) * 10, "application/octet-stream")
        elif self.path.startswith("/pages/"):
            page = FIXTURE_PAGES / self.path.removeprefix("/pages/")
            if page.is_file():
                self.send(200, page.read_bytes(), "text/html; charset=utf-8")
            else:
                self.send(404, b"not found", "text/plain")
        else:
            self.send(404, b"not found", "text/plain")


class IPv6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


@contextmanager
def loopback_server(
    handler, address: str = "127.0.0.1"
) -> Iterator[http.server.ThreadingHTTPServer]:
    """Serve handler on a loopback address (127.0.0.1 unless another in 127.0.0.0/8 or
    ::1 is asked for; a free port) from a daemon thread for the block."""
    kind = IPv6Server if ":" in address else http.server.ThreadingHTTPServer
    server = kind((address, 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def http_server() -> Iterator[FixtureServer]:
    """A real HTTP server on 127.0.0.1 serving fixture pages, a 500, a slow page and bytes."""
    with loopback_server(_Handler) as server:
        state = FixtureServer(f"http://127.0.0.1:{server.server_address[1]}")
        server.state = state  # type: ignore[attr-defined]
        yield state


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    # One Prefect test server for the whole run, with time to start on a loaded machine.
    with prefect_test_harness(server_startup_timeout=PREFECT_STARTUP_S):
        yield
