"""Verifying on Dask from the command line: one article or a batch as a Prefect flow
whose parsing, fetching and scoring run on a Dask cluster (a new LocalCluster, or the
one at an address), and what the flow's end state means for the command."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from claimwatch.config import Settings
from claimwatch.errors import ArticleError, RegistryError, StoreError
from claimwatch.output import EXIT_FAILED, fail


def check_dask_address(address: str) -> None:
    """Fail in one line unless a Dask scheduler answers at address."""
    from flows.runners import dask_address_problem

    problem = dask_address_problem(address)
    if problem:
        fail(problem)


def run_on_dask(flow, target: object, settings: Settings, address: str | None) -> object:
    """Run a verify flow on Dask (a LocalCluster, or the cluster at address); return what
    it returned or the exception it ended with."""
    from flows.runners import task_runner

    state = flow.with_options(task_runner=task_runner(True, address))(
        target,
        str(settings.sources_csv),
        str(settings.db_path),
        settings.offline,
        settings.force,
        str(settings.docs_dir),
        settings.article_date.isoformat() if settings.article_date else None,
        return_state=True,
    )
    return state.result(raise_on_failure=False)


def flow_result(outcome: object) -> object:
    """Return a flow's result; raise the bad-input errors it ended with (reported in one
    line like any), and fail in one line on any other."""
    if isinstance(outcome, (ArticleError, RegistryError, StoreError)):
        raise outcome
    if isinstance(outcome, BaseException):
        fail(f"the flow failed: {type(outcome).__name__}: {outcome}", EXIT_FAILED)
    return outcome


def batch_on_dask(targets: Sequence[str], settings: Settings, address: str | None):
    """Run the verify-batch flow with a Dask task runner (one LocalCluster for the whole
    batch, or the cluster at address); return every article's outcome."""
    from flows.verify_batch import verify_batch_flow

    return flow_result(run_on_dask(verify_batch_flow, list(targets), settings, address))


def verify_on_dask(target: Path | str, settings: Settings, address: str | None):
    """Run the verify-article flow with a Dask task runner: a LocalCluster, or the cluster
    at address. Returns the run's summary, quarantined runs included."""
    from flows.verify_article import RunQuarantined, verify_article_flow

    outcome = run_on_dask(verify_article_flow, str(target), settings, address)
    if isinstance(outcome, RunQuarantined):
        return outcome.summary  # reported below like any quarantined run
    return flow_result(outcome)
