"""One settings object for the whole pipeline, read once from CLAIMWATCH_* variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


# claimwatch promises to run offline: the Prefect servers it starts (serve, --dask) and the
# Prefect client send no usage telemetry, unless the user's environment says otherwise.
OFFLINE_PREFECT = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}


def keep_prefect_offline() -> None:
    """Turn Prefect's telemetry off for this process and those it starts (call it before
    Prefect is imported: its settings are read then)."""
    for name, value in OFFLINE_PREFECT.items():
        os.environ.setdefault(name, value)


def _env(name: str, default: str) -> str:
    return os.environ.get(f"CLAIMWATCH_{name}", default)


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know; pass it down, never re-read the environment."""

    db_path: Path = Path("data/claimwatch.duckdb")
    docs_dir: Path = Path("data/docs")
    gx_dir: Path = Path("data/gx")
    sources_csv: Path = PROJECT_ROOT / "seeds" / "sources.csv"
    spacy_model: str = "en_core_web_sm"
    top_k: int = 20
    user_agent: str = "claimwatch/0.1 (+https://github.com/claimwatch/claimwatch)"
    fetch_timeout_s: float = 10.0
    fetch_retries: int = 2
    fetch_backoff_s: float = 0.5
    max_article_bytes: int = 5_000_000
    max_document_bytes: int = 5_000_000
    fetch_deadline_s: float = 30.0  # a whole URL, retries and slow bodies included
    max_redirects: int = 5
    host_delay_s: float = 1.0  # between two requests to one host
    per_host_limit: int = 2  # requests in flight to one host
    fetch_workers: int = 4
    # Processes a batch parses its articles in (when it has enough of them to pay off).
    parse_processes: int = max(1, min(2, os.cpu_count() or 1))
    respect_robots: bool = True
    # Addresses the SSRF guard lets through although they are loopback or private
    # ("127.0.0.1", "10.1.0.0/16"); empty in production unless you run a local mirror.
    allow_addresses: tuple[str, ...] = ()
    # Folders a registry may read snapshot files from besides its own folder.
    snapshot_roots: tuple[str, ...] = ()
    offline: bool = False
    force: bool = False  # score and validate again even when nothing changed
    lock_wait_s: float = 600.0  # how long a run waits for another run to finish writing
    read_wait_s: float = 30.0  # how long a query waits for a run to release the database
    # Render each validation's Data Docs pages (a batch is one validation per suite).
    build_docs: bool = True
    # The publication date of articles that have no date line (or replacing theirs): --date.
    article_date: date | None = None

    def with_overrides(self, **changes: object) -> Settings:
        """Return a copy with the given fields replaced (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def for_database(settings: Settings, db: Path, docs: Path | None = None) -> Settings:
    """Return settings for the database db: its Data Docs (docs, when given) and GX
    project beside it, unless the environment names their folders."""
    return settings.with_overrides(
        db_path=db,
        docs_dir=docs or (None if _env("DOCS_DIR", "") else db.parent / "docs"),
        gx_dir=None if _env("GX_DIR", "") else db.parent / "gx",
    )


def load_settings() -> Settings:
    """Return settings from CLAIMWATCH_* environment variables, defaults otherwise."""
    defaults = Settings()
    db_path = Path(_env("DB", str(defaults.db_path)))
    return Settings(
        db_path=db_path,
        # Data Docs and the GX project live beside the database they describe.
        docs_dir=Path(_env("DOCS_DIR", str(db_path.parent / "docs"))),
        gx_dir=Path(_env("GX_DIR", str(db_path.parent / "gx"))),
        sources_csv=Path(_env("SOURCES", str(defaults.sources_csv))),
        spacy_model=_env("SPACY_MODEL", defaults.spacy_model),
        top_k=int(_env("TOP_K", str(defaults.top_k))),
        user_agent=_env("USER_AGENT", defaults.user_agent),
        fetch_timeout_s=float(_env("FETCH_TIMEOUT_S", str(defaults.fetch_timeout_s))),
        fetch_retries=int(_env("FETCH_RETRIES", str(defaults.fetch_retries))),
        fetch_deadline_s=float(_env("FETCH_DEADLINE_S", str(defaults.fetch_deadline_s))),
        host_delay_s=float(_env("HOST_DELAY_S", str(defaults.host_delay_s))),
        per_host_limit=int(_env("PER_HOST_LIMIT", str(defaults.per_host_limit))),
        parse_processes=int(_env("PARSE_PROCESSES", str(defaults.parse_processes))),
        respect_robots=_env("RESPECT_ROBOTS", "1") not in {"0", "false", "no"},
        lock_wait_s=float(_env("LOCK_WAIT_S", str(defaults.lock_wait_s))),
        read_wait_s=float(_env("READ_WAIT_S", str(defaults.read_wait_s))),
        allow_addresses=tuple(
            a.strip() for a in _env("ALLOW_ADDRESSES", "").split(",") if a.strip()
        ),
        snapshot_roots=tuple(r for r in _env("SNAPSHOT_ROOTS", "").split(os.pathsep) if r),
    )
