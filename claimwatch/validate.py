"""Write-audit-publish: validate a run's rows with Great Expectations, then publish or quarantine.

GX runs on per-run pandas DataFrames pulled from DuckDB: a GX SQL data source over
duckdb-engine was found to fail on table.row_count (MetricResolutionError), and the
dataframes keep validation scoped to exactly one run's rows."""

from __future__ import annotations

import json
import logging
import os
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from claimwatch import store
from claimwatch.config import PROJECT_ROOT, Settings
from claimwatch.datadocs import escaped_results, make_offline, rendered_since

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
# "runs" holds one row per run, for what is checked per run (row counts, lost verdicts).
SUITES = ("runs", "claims", "evidence", "verdicts")
# Failing rows name their run, so one validation of a batch can fail one run alone.
RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["run_id"]}
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
    n_expectations: int = 0  # evaluated over the run's rows, every suite's

    @property
    def n_failed(self) -> int:
        """Expectations that failed for this run (one may fail on several columns' rows)."""
        return len({(f.suite, f.expectation, f.column) for f in self.failures})


def load_suite_spec(name: str) -> dict:
    """Return the suite definition in expectations/<name>.json."""
    return json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def batch_frames(con: duckdb.DuckDBPyConnection, run_ids: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Return the runs' rows as DataFrames, one per suite, each row carrying its run_id."""
    frames = {
        suite: con.execute(store.query(f"batch_{suite}"), {"run_ids": list(run_ids)}).df()
        for suite in SUITES
    }
    frames["runs"] = with_verdict_bounds(frames["runs"])
    return frames


# A re-run may find more or fewer claims as the extractor changes, but not half or triple.
ROW_COUNT_CHANGE = 0.5
# Without a previous run, any count a batch could hold.
FIRST_RUN_BOUNDS = (1, 100_000)


def verdict_bounds(previous_size: int | None) -> tuple[int, int]:
    """Return the (fewest, most) verdicts a run may write, given its article's previous
    published run's count."""
    if not previous_size:
        return FIRST_RUN_BOUNDS
    low = int(previous_size * (1 - ROW_COUNT_CHANGE))
    high = int(previous_size * (1 + 1 / ROW_COUNT_CHANGE)) + 1
    return max(1, low), high


def with_verdict_bounds(runs: pd.DataFrame) -> pd.DataFrame:
    """Add min_verdicts and max_verdicts to the runs frame, from previous_verdicts."""
    bounds = [
        verdict_bounds(None if pd.isna(size) else int(size)) for size in runs["previous_verdicts"]
    ]
    return runs.assign(
        min_verdicts=[low for low, _ in bounds], max_verdicts=[high for _, high in bounds]
    )


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


def _checkpoint_for(context, suite_name: str):
    made = _checkpoints.setdefault(context, {})
    if suite_name not in made:
        made[suite_name] = _checkpoint(context, suite_name)
    return made[suite_name]


def _checkpoint(context, suite_name: str):
    """Return (creating on first use) the checkpoint validating one suite's batch frame. It
    renders no Data Docs: validate_runs renders the pages of all suites at once."""
    import great_expectations as gx
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
    return context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"{suite_name}_checkpoint",
            validation_definitions=[definition],
            actions=[],
            result_format=RESULT_FORMAT,
        )
    )


def validate_run(
    con: duckdb.DuckDBPyConnection, run_id: str, article_id: str, settings: Settings
) -> ValidationOutcome:
    """Validate one run's rows against every suite; return what failed."""
    return validate_runs(con, [run_id], settings)[run_id]


def validate_runs(
    con: duckdb.DuckDBPyConnection, run_ids: Sequence[str], settings: Settings
) -> dict[str, ValidationOutcome]:
    """Validate the rows of many runs in one pass of every suite, and return each run's
    own outcome: a failing row fails only the run it belongs to; a failure that names no
    row (a missing column) fails them all."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    frames = batch_frames(con, run_ids)
    settings.gx_dir.mkdir(parents=True, exist_ok=True)
    settings.docs_dir.mkdir(parents=True, exist_ok=True)
    context = _context(str(settings.gx_dir.resolve()), str(settings.docs_dir.resolve()))
    name = run_ids[0] if len(run_ids) == 1 else f"batch-{run_ids[0]}-{len(run_ids)}"
    failures: dict[str, list[Failure]] = {run_id: [] for run_id in run_ids}
    rendered: list = []  # the validation results and suites whose Data Docs pages to render
    n_expectations = 0
    for suite_name in SUITES:
        checkpoint = _checkpoint_for(context, suite_name)
        result = checkpoint.run(
            batch_parameters={"dataframe": frames[suite_name]},
            run_id=_gx_run_id(name, suite_name),
        )
        rendered += [*result.run_results, ExpectationSuiteIdentifier(name=suite_name)]
        # GX renders the stored results with their values as they are: store them escaped.
        for key, validation in result.run_results.items():
            context.validation_results_store.set(key, escaped_results(validation))
        for validation in result.run_results.values():
            n_expectations += len(validation.results)
            for outcome in validation.results:
                if outcome.success:
                    continue
                for run_id, detail in failing_runs(outcome, run_ids).items():
                    config = outcome.expectation_config
                    failures[run_id].append(
                        Failure(suite_name, config.type, failing_column(config.kwargs), detail)
                    )
    if settings.build_docs:
        # Once for the batch, and only its own pages (and the index): a full rebuild would
        # grow with every validation ever stored.
        # A second of slack: a file system may store coarser times than time.time() gives,
        # and rewriting a page twice changes nothing.
        started = time.time() - 1
        context.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=rendered)
        make_offline(settings.docs_dir, rendered_since(settings.docs_dir, started))
    index = settings.docs_dir.resolve() / "index.html"
    docs_dir = settings.docs_dir.resolve()
    return {
        run_id: ValidationOutcome(
            not failed,
            tuple(failed),
            index if index.exists() else None,
            run_page(docs_dir, name, failed[0].suite if failed else "verdicts"),
            n_expectations,
        )
        for run_id, failed in failures.items()
    }


def failing_column(kwargs: dict) -> str | None:
    """Return the column a failure is reported under: the expectation's column, the first
    of a pair (column_A) or the last of a compound key (the one that is not run_id)."""
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return kwargs["column_A"]
    columns = kwargs.get("column_list") or []
    return columns[-1] if columns else None


def failing_runs(outcome, run_ids: Sequence[str]) -> dict[str, str]:
    """Return {run_id: detail} for the runs a failed expectation names in its failing rows,
    or for every run when it names none (a table-level failure or an error)."""
    result = outcome.result or {}
    rows = result.get("unexpected_index_list")
    raised = (outcome.exception_info or {}).get("raised_exception")
    if raised or not rows or not isinstance(rows[0], dict):
        return {run_id: _detail(outcome) for run_id in run_ids}
    by_run: dict[str, list[object]] = {}
    for row in rows:
        values = [v for k, v in row.items() if k != "run_id"]
        by_run.setdefault(str(row["run_id"]), []).append(
            values[0] if len(values) == 1 else tuple(values)
        )
    return {
        run_id: f"{len(values)} unexpected, e.g. {[short_value(plain(v)) for v in values[:3]]}"
        for run_id, values in by_run.items()
    }


def plain(value: object) -> object:
    """Return a numpy scalar (or a tuple of them) as the plain Python value it holds."""
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    return value.item() if hasattr(value, "item") else value


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
    counts = {
        **counts,
        "n_expectations": outcome.n_expectations,
        "n_expectations_failed": outcome.n_failed,
    }
    store.finish_run(con, run_id, status, reason, str(page) if page else None, counts)
    con.execute("commit")
    return status
