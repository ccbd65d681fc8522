"""Write-audit-publish: validate a run's rows with Great Expectations, then publish or quarantine.

GX runs on per-run pandas DataFrames pulled from DuckDB: a GX SQL data source over
duckdb-engine was found to fail on table.row_count (MetricResolutionError), and the
dataframes keep validation scoped to exactly one run's rows."""

from __future__ import annotations

import json
import logging
import os
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from claimwatch import store
from claimwatch.config import PROJECT_ROOT, Settings

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SUITES = ("claims", "evidence", "verdicts")
DOCS_SITE = "claimwatch_docs"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@dataclass(frozen=True)
class Failure:
    suite: str
    expectation: str
    column: str | None
    detail: str

    def describe(self) -> str:
        where = f"{self.suite}.{self.column}" if self.column else self.suite
        return f"{where}: {self.expectation} ({self.detail})"


@dataclass(frozen=True)
class ValidationOutcome:
    success: bool
    failures: tuple[Failure, ...]
    docs_index: Path | None
    run_page: Path | None  # this run's Data Docs page: the first failing suite's, else verdicts'


def load_suite_spec(name: str) -> dict:
    """Return the suite definition in expectations/<name>.json."""
    return json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def run_frames(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, pd.DataFrame]:
    """Return the run's claims, evidence and verdicts as DataFrames."""
    frames = {}
    for suite in SUITES:
        frames[suite] = con.execute(store.query(f"run_{suite}"), {"run_id": run_id}).df()
    return frames


# A re-run may find more or fewer claims as the extractor changes, but not half or double.
ROW_COUNT_CHANGE = 0.5


def expectation_parameters(
    frames: dict[str, pd.DataFrame], article_id: str, previous_size: int | None = None
) -> dict[str, object]:
    """Return the runtime values referential and row-count expectations compare against."""
    if previous_size:
        low = int(previous_size * (1 - ROW_COUNT_CHANGE))
        high = int(previous_size * (1 + 1 / ROW_COUNT_CHANGE)) + 1
    else:
        low, high = 1, 100_000
    return {
        "claim_ids": sorted(frames["claims"]["claim_id"].tolist()),
        "article_ids": [article_id],
        "min_verdicts": max(1, low),
        "max_verdicts": high,
    }


def previous_run_size(con: duckdb.DuckDBPyConnection, run_id: str, article_id: str) -> int | None:
    """Return how many verdicts the article's previous published run wrote, if any."""
    row = con.execute(
        store.query("previous_run_size"), {"article_id": article_id, "run_id": run_id}
    ).fetchall()
    return int(row[0][0]) if row and row[0][0] else None


@lru_cache(maxsize=4)
def _context(gx_dir: str, docs_dir: str):
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=gx_dir)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    sites = context.variables.data_docs_sites or {}
    wanted = {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": docs_dir},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    if sites.get(DOCS_SITE) != wanted:
        for name in list(sites):
            context.delete_data_docs_site(name)
        context.add_data_docs_site(site_name=DOCS_SITE, site_config=wanted)
    return context


# Checkpoints made in this process, per GX context: a batch validates many runs, and
# writing the same suite, definition and checkpoint to the file store for each run cost a
# third of validating it.
_checkpoints: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _checkpoint_for(context, suite_name: str, build_docs: bool):
    made = _checkpoints.setdefault(context, {})
    if (suite_name, build_docs) not in made:
        made[suite_name, build_docs] = _checkpoint(context, suite_name, build_docs)
    return made[suite_name, build_docs]


def _checkpoint(context, suite_name: str, build_docs: bool = True):
    """Return (creating on first use) the checkpoint validating one table's run frame; with
    build_docs it also renders the Data Docs site after each validation."""
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    spec = load_suite_spec(suite_name)
    # Get, not add_or_update: replacing the data source would drop the assets of the
    # checkpoints made before it.
    try:
        source = context.data_sources.get("claimwatch_runs")
    except KeyError:
        source = context.data_sources.add_pandas(name="claimwatch_runs")
    try:
        asset = source.get_asset(suite_name)
    except LookupError:
        asset = source.add_dataframe_asset(name=suite_name)
    try:
        batch = asset.get_batch_definition("run")
    except KeyError:
        batch = asset.add_batch_definition_whole_dataframe("run")
    suite = gx.ExpectationSuite(name=suite_name, notes=spec.get("notes"))
    for item in spec["expectations"]:
        suite.add_expectation_configuration(
            ExpectationConfiguration(
                type=item["type"], kwargs=item["kwargs"], notes=item.get("notes")
            )
        )
    suite = context.suites.add_or_update(suite)
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"{suite_name}_run", data=batch, suite=suite)
    )
    actions = [UpdateDataDocsAction(name="update_docs", site_names=[DOCS_SITE])]
    return context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"{suite_name}_checkpoint" + ("" if build_docs else "_no_docs"),
            validation_definitions=[definition],
            actions=actions if build_docs else [],
            result_format={"result_format": "SUMMARY"},
        )
    )


def build_docs(settings: Settings) -> Path | None:
    """Render the Data Docs site from every stored validation (once, after a batch whose
    runs validated without it); return its index page."""
    context = _context(str(settings.gx_dir.resolve()), str(settings.docs_dir.resolve()))
    context.build_data_docs(site_names=[DOCS_SITE])
    index = settings.docs_dir.resolve() / "index.html"
    return index if index.exists() else None


def validate_run(
    con: duckdb.DuckDBPyConnection, run_id: str, article_id: str, settings: Settings
) -> ValidationOutcome:
    """Validate the run's rows against every suite; build Data Docs; return what failed."""
    frames = run_frames(con, run_id)
    params = expectation_parameters(frames, article_id, previous_run_size(con, run_id, article_id))
    settings.gx_dir.mkdir(parents=True, exist_ok=True)
    settings.docs_dir.mkdir(parents=True, exist_ok=True)
    context = _context(str(settings.gx_dir.resolve()), str(settings.docs_dir.resolve()))
    failures: list[Failure] = []
    for suite_name in SUITES:
        checkpoint = _checkpoint_for(context, suite_name, settings.build_docs)
        result = checkpoint.run(
            batch_parameters={"dataframe": frames[suite_name]},
            expectation_parameters=params,
            run_id=_gx_run_id(run_id, suite_name),
        )
        for validation in result.run_results.values():
            for outcome in validation.results:
                if outcome.success:
                    continue
                config = outcome.expectation_config
                failures.append(
                    Failure(
                        suite_name,
                        config.type,
                        config.kwargs.get("column"),
                        _detail(outcome),
                    )
                )
    index = settings.docs_dir.resolve() / "index.html"
    page_suite = failures[0].suite if failures else "verdicts"
    return ValidationOutcome(
        not failures,
        tuple(failures),
        index if index.exists() else None,
        run_page(settings.docs_dir.resolve(), run_id, page_suite),
    )


def run_page(docs_dir: Path, run_id: str, suite_name: str) -> Path | None:
    """Return the Data Docs page GX rendered for one suite of one run, if it exists."""
    pages = sorted(docs_dir.glob(f"validations/{suite_name}/{run_id}-{suite_name}/*/*.html"))
    return pages[-1] if pages else None


def _gx_run_id(run_id: str, suite_name: str):
    from great_expectations.core.run_identifier import RunIdentifier

    return RunIdentifier(run_name=f"{run_id}-{suite_name}")


def _detail(outcome) -> str:
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        return (
            "error: " + " ".join(str(outcome.exception_info.get("exception_message")).split())[:200]
        )
    result = outcome.result or {}
    if "unexpected_count" in result:
        sample = [short_value(value) for value in (result.get("partial_unexpected_list") or [])[:3]]
        return f"{result['unexpected_count']} unexpected, e.g. {sample}"
    if "observed_value" in result:
        return f"observed {result['observed_value']}"
    return "failed"


def short_value(value: object, limit: int = 80) -> object:
    """Return a failing value as a reason quotes it: a long text cut to limit characters."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    return value


def publish_or_quarantine(
    con: duckdb.DuckDBPyConnection, run_id: str, outcome: ValidationOutcome, counts: dict[str, int]
) -> str:
    """Mark the run published (visible in verdicts_published) or quarantined; return the status."""
    status = "published" if outcome.success else "quarantined"
    reason = None if outcome.success else "; ".join(f.describe() for f in outcome.failures)
    con.execute("begin transaction")
    page = outcome.run_page or outcome.docs_index
    store.finish_run(con, run_id, status, reason, str(page) if page else None, counts)
    con.execute("commit")
    return status
