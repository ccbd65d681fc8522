"""What the commands share of the command line: the common options (--db, --docs, --dask,
--format, --articles) and the settings they give, read once from the environment with a
bad value reported in one line."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from claimwatch.config import (
    PROJECT_ROOT,
    SettingError,
    Settings,
    for_database,
    load_settings,
)
from claimwatch.output import VERDICT_STYLE, OutputFormat, fail

SAMPLE_ARTICLES = PROJECT_ROOT / "seeds" / "articles"
ArticlesOption = Annotated[
    Path,
    typer.Option(
        "--articles",
        help="Where <article>.txt lives when not beside its gold file.",
        show_default="seeds/articles in the project",
    ),
]
DbOption = Annotated[
    Path | None, typer.Option("--db", help="DuckDB file [default: data/claimwatch.duckdb]")
]
DocsOption = Annotated[
    Path | None,
    typer.Option(
        "--docs",
        help="Folder for the Great Expectations Data Docs [default: docs/ beside the database]",
    ),
]


DaskOption = Annotated[
    bool,
    typer.Option(
        "--dask", help="Fetch and score on a new Dask LocalCluster (one worker per core)."
    ),
]
DaskAddressOption = Annotated[
    str | None,
    typer.Option("--dask-address", help="Fetch and score on the Dask cluster at tcp://HOST:PORT."),
]


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")]


class ExportFormat(str, Enum):
    claimreview = "claimreview"
    parquet = "parquet"


RowLimitOption = Annotated[
    int,
    typer.Option(
        "--limit", min=0, help="Rows printed at most; 0 prints all (csv and json stream them)."
    ),
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Seconds before the statement is stopped.")
]
ForceWriteOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Write into a folder (or over a file) claimwatch did not make; only its own "
        "files there are replaced, nothing else is touched.",
    ),
]


def environment_settings() -> Settings:
    """The settings the CLAIMWATCH_* variables give; a bad value is a one-line error."""
    try:
        return load_settings()
    except SettingError as err:
        fail(str(err))


def settings_from(
    db: Path | None, sources: Path | None = None, docs: Path | None = None
) -> Settings:
    """The environment's settings with the command's options: --db moves the Data Docs
    and the GX project beside it, --docs puts the Data Docs where it says."""
    settings = environment_settings().with_overrides(sources_csv=sources, docs_dir=docs)
    return for_database(settings, db, docs) if db is not None else settings


def verdict_label(given: str) -> str:
    """Return the verdict label given in any case ("disputed", "not-enough-info"), or fail
    in one line naming the four."""
    label = re.sub(r"[\s_-]+", " ", given.strip()).upper()
    if label not in VERDICT_STYLE:
        fail(f"--verdict {given!r}: not a verdict label ({', '.join(VERDICT_STYLE)})")
    return label
