"""One settings object for the whole pipeline, read once from CLAIMWATCH_* variables."""

from __future__ import annotations

import os
from dataclasses import Field, dataclass, field, fields, replace
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


# claimwatch promises to run offline: the Prefect servers it starts (serve, --dask) and the
# Prefect client send no usage telemetry, unless the user's environment says otherwise.
# The temporary Prefect server a flow starts (serve --once, --dask) gets 180 s to come up
# rather than Prefect's 20: on a loaded 2-core machine the first start took 38 s.
OFFLINE_PREFECT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


def keep_prefect_offline() -> None:
    """Turn Prefect's telemetry off for this process and those it starts (call it before
    Prefect is imported: its settings are read then)."""
    for name, value in OFFLINE_PREFECT.items():
        os.environ.setdefault(name, value)


ENV_PREFIX = "CLAIMWATCH_"


def env(name: str, help: str, separator: str | None = None) -> dict[str, object]:
    """A field's metadata: its variable (CLAIMWATCH_<name>), what it sets, and for a list
    the character its items are separated by."""
    return {"env": name, "help": help, "separator": separator}


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know; pass it down, never re-read the environment."""

    db_path: Path = field(
        default=Path("data/claimwatch.duckdb"), metadata=env("DB", "the DuckDB database file")
    )
    # Data Docs and the GX project live in the database's own folder (<name>.claimwatch/
    # beside it), unless set: nothing lands in a folder claimwatch did not make.
    docs_dir: Path = field(
        default=Path("data/claimwatch.claimwatch/docs"),
        metadata=env("DOCS_DIR", "Great Expectations Data Docs [default: DB's folder/docs]"),
    )
    gx_dir: Path = field(
        default=Path("data/claimwatch.claimwatch/gx"),
        metadata=env("GX_DIR", "the Great Expectations project [default: DB's folder/gx]"),
    )
    # No default: an article is checked against the sources its user names. The bundled
    # example registry serves the bundled example articles only (see example_registry).
    sources_csv: Path | None = field(
        default=None,
        metadata=env("SOURCES", "the source registry CSV (required but for the examples)"),
    )
    spacy_model: str = field(
        default="en_core_web_sm", metadata=env("SPACY_MODEL", "the spaCy English pipeline")
    )
    top_k: int = field(default=20, metadata=env("TOP_K", "candidate sentences per claim"))
    user_agent: str = field(
        default="claimwatch/0.1 (+https://github.com/claimwatch/claimwatch)",
        metadata=env("USER_AGENT", "who fetches: name your newsroom and a contact"),
    )
    fetch_timeout_s: float = field(
        default=10.0, metadata=env("FETCH_TIMEOUT_S", "connect and read timeout, seconds")
    )
    fetch_retries: int = field(
        default=2, metadata=env("FETCH_RETRIES", "retries on errors, 429 and 5xx")
    )
    fetch_backoff_s: float = field(
        default=0.5, metadata=env("FETCH_BACKOFF_S", "first retry's wait, doubling, seconds")
    )
    max_article_bytes: int = field(
        default=5_000_000, metadata=env("MAX_ARTICLE_BYTES", "largest article file read")
    )
    max_document_bytes: int = field(
        default=5_000_000, metadata=env("MAX_DOCUMENT_BYTES", "largest source page read")
    )
    fetch_deadline_s: float = field(
        default=30.0,
        metadata=env("FETCH_DEADLINE_S", "a whole URL, retries and slow bodies included, s"),
    )
    max_redirects: int = field(default=5, metadata=env("MAX_REDIRECTS", "redirects followed"))
    host_delay_s: float = field(
        default=1.0, metadata=env("HOST_DELAY_S", "between two requests to one host, seconds")
    )
    per_host_limit: int = field(
        default=2, metadata=env("PER_HOST_LIMIT", "requests in flight to one host")
    )
    fetch_workers: int = field(default=4, metadata=env("FETCH_WORKERS", "hosts fetched at once"))
    parse_processes: int = field(
        default=max(1, min(2, os.cpu_count() or 1)),
        metadata=env("PARSE_PROCESSES", "processes a batch parses in (when it pays off)"),
    )
    respect_robots: bool = field(
        default=True, metadata=env("RESPECT_ROBOTS", "obey robots.txt (1) or not (0)")
    )
    # Addresses the SSRF guard lets through although they are loopback or private
    # ("127.0.0.1", "10.1.0.0/16"); empty in production unless you run a local mirror.
    allow_addresses: tuple[str, ...] = field(
        default=(),
        metadata=env("ALLOW_ADDRESSES", "private addresses fetching may reach, a,b", ","),
    )
    snapshot_roots: tuple[str, ...] = field(
        default=(),
        metadata=env("SNAPSHOT_ROOTS", "folders snapshots may be read from, a:b", os.pathsep),
    )
    offline: bool = field(default=False, metadata=env("OFFLINE", "use stored copies only"))
    force: bool = field(
        default=False, metadata=env("FORCE", "score and validate even when nothing changed")
    )
    lock_wait_s: float = field(
        default=600.0, metadata=env("LOCK_WAIT_S", "wait for another run's write lock, s")
    )
    read_wait_s: float = field(
        default=30.0, metadata=env("READ_WAIT_S", "a query's wait for a writing run, seconds")
    )
    build_docs: bool = field(
        default=True, metadata=env("BUILD_DOCS", "render Data Docs pages (1) or not (0)")
    )
    traceback: bool = field(
        default=False,
        metadata=env("TRACEBACK", "an unexpected error's whole traceback (1) or one line (0)"),
    )
    article_date: date | None = field(
        default=None,
        metadata=env("ARTICLE_DATE", "publication date of articles without one, YYYY-MM-DD"),
    )

    def with_overrides(self, **changes: object) -> Settings:
        """Return a copy with the given fields replaced (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


# Each setting's variable name (without the prefix), from the field definitions.
ENV_BY_FIELD = {setting.name: setting.metadata["env"] for setting in fields(Settings)}


def is_set(name: str) -> bool:
    """True when the environment sets CLAIMWATCH_<name> (to anything but empty)."""
    return bool(os.environ.get(ENV_PREFIX + name))


# The folders that live in the database's own folder, unless the environment names them:
# setting -> folder name.
IN_DATABASE_FOLDER = {"docs_dir": "docs", "gx_dir": "gx"}
# The bundled example registry, and the articles it was written for.
EXAMPLE_REGISTRY = PROJECT_ROOT / "seeds" / "sources.csv"
EXAMPLE_ARTICLES = PROJECT_ROOT / "seeds" / "articles"


def database_folder(db: Path) -> Path:
    """Return the folder of what claimwatch writes for the database db besides the file
    itself (Data Docs, the GX project, the dashboard, the writer's lock): <name>.claimwatch
    beside it, so a run adds the database and this folder, and nothing else."""
    return db.parent / f"{db.stem}.claimwatch"


def in_database_folder(db: Path) -> dict[str, Path]:
    """Return where the Data Docs and the GX project go for the database db, unless the
    environment (CLAIMWATCH_DOCS_DIR, CLAIMWATCH_GX_DIR) names their folders."""
    return {
        name: database_folder(db) / folder
        for name, folder in IN_DATABASE_FOLDER.items()
        if not is_set(ENV_BY_FIELD[name])
    }


def for_database(settings: Settings, db: Path, docs: Path | None = None) -> Settings:
    """Return settings for the database db: its Data Docs (docs, when given) and GX
    project in its folder, unless the environment names their folders."""
    return replace(settings, db_path=db, **in_database_folder(db)).with_overrides(docs_dir=docs)


def is_example_article(target: str) -> bool:
    """True for a bundled example article (seeds/articles/), which the bundled registry
    was written for."""
    path = Path(target)
    return path.is_file() and path.resolve().parent == EXAMPLE_ARTICLES.resolve()


def with_registry(settings: Settings, targets: list[str]) -> Settings:
    """Return settings with a source registry: the one given, or, when none is and every
    target is a bundled example article, the bundled example registry. Raises
    SettingError otherwise: claimwatch never checks an article against sources its user
    did not name."""
    if settings.sources_csv is not None:
        return settings
    if targets and all(is_example_article(t) for t in targets):
        return replace(settings, sources_csv=EXAMPLE_REGISTRY)
    raise SettingError(
        "no sources to check against: name a registry CSV with --sources my-sources.csv "
        "(or CLAIMWATCH_SOURCES); the bundled example registry serves the bundled example "
        "articles only (README: Check your own article)"
    )


class SettingError(ValueError):
    """A CLAIMWATCH_* variable holds a value its setting cannot take."""


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def parse_value(setting: Field, text: str) -> object:
    """Return text as the setting's type; raise SettingError naming the variable."""
    name = ENV_PREFIX + setting.metadata["env"]
    kind = setting.type
    try:
        if kind in ("Path", "Path | None"):
            return Path(text)
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
        if kind == "bool":
            word = text.strip().lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                raise ValueError("expected 1 or 0")
            return word in TRUE_WORDS
        if kind == "tuple[str, ...]":
            separator = setting.metadata["separator"]
            return tuple(item.strip() for item in text.split(separator) if item.strip())
        if kind == "date | None":
            return date.fromisoformat(text)
        return text
    except ValueError as err:
        raise SettingError(f"{name}={text!r}: {err}") from None


def settings_with_origins() -> tuple[Settings, dict[str, str]]:
    """Return settings from the CLAIMWATCH_* variables (defaults otherwise) and, for each
    field, where its value came from: the variable, derived from the database's place,
    or the default."""
    values: dict[str, object] = {}
    origins: dict[str, str] = {}
    for setting in fields(Settings):
        name = setting.metadata["env"]
        if is_set(name):
            values[setting.name] = parse_value(setting, os.environ[ENV_PREFIX + name])
            origins[setting.name] = f"environment ({ENV_PREFIX}{name})"
        else:
            origins[setting.name] = "default"
    derived = in_database_folder(Settings(**values).db_path)
    origins.update(dict.fromkeys(derived, "the database's folder"))
    return Settings(**values, **derived), origins


def load_settings() -> Settings:
    """Return settings from CLAIMWATCH_* environment variables, defaults otherwise."""
    return settings_with_origins()[0]


@dataclass(frozen=True)
class EffectiveSetting:
    """One setting as `claimwatch config` shows it."""

    setting: str
    value: object
    variable: str
    origin: str
    help: str


def effective_settings(db: Path | None = None) -> list[EffectiveSetting]:
    """Return every setting the environment (and --db, when given) gives, with its
    variable and where its value came from. Raises SettingError for a bad value."""
    settings, origins = settings_with_origins()
    if db is not None:
        moved = for_database(settings, db)
        for name in ("db_path", "docs_dir", "gx_dir"):
            if getattr(moved, name) != getattr(settings, name):
                origins[name] = "--db" if name == "db_path" else "the database's folder (--db)"
        settings = moved
    return [
        EffectiveSetting(
            item.name,
            getattr(settings, item.name),
            ENV_PREFIX + item.metadata["env"],
            origins[item.name],
            item.metadata["help"],
        )
        for item in fields(settings)
    ]
