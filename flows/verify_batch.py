"""Prefect flow: verify a batch of articles. Thin wiring over claimwatch.batch, whose stages
`claimwatch run` runs too: here the pure pieces of a stage (parsing shares, fetching one
host, judging a share of pairs) are Prefect tasks, which a Dask task runner spreads over
workers, while every write to DuckDB stays in the flow's process."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from claimwatch import batch
from claimwatch.config import Settings, for_database, load_settings, with_registry
from claimwatch.output import visible
from flows.runners import task_runner

# Each stage's pieces as tasks: fetching a host is retried, as a network call may be.
PIECE_OPTIONS: dict[str, dict] = {
    "parse": {"name": "parse-share"},
    "fetch": {"name": "fetch-host", "retries": 2, "retry_delay_seconds": [2, 10]},
    "score": {"name": "judge-pairs"},
}


@task(cache_policy=NO_CACHE)
def piece(fn: Callable, item: object) -> object:
    """One pure piece of a stage (claimwatch.batch names them); runs on any worker."""
    return fn(item)


class TaskWork:
    """claimwatch.batch.Work as Prefect tasks, run by the flow's task runner."""

    def map(self, stage, fn, items, on_done=lambda result: None):
        if not items:
            return []
        futures = piece.with_options(**PIECE_OPTIONS[stage]).map(unmapped(fn), list(items))
        results = []
        for future in futures:
            results.append(future.result())
            on_done(results[-1])
        return results


class FlowLog(batch.Reporter):
    """A batch's progress in the flow run's log."""

    def __init__(self) -> None:
        self.logger = get_run_logger()

    def stage(self, name: str, total: int) -> None:
        self.logger.info("%s: %d to go", name, total)

    # Every text from outside (a file name, an article's words in a reason) is logged
    # escaped: a newline in it cannot start a line of its own that looks like a log line.
    def say(self, message: str) -> None:
        self.logger.debug(visible(message))

    def warn(self, message: str) -> None:
        self.logger.warning(visible(message))

    def finished(self, run: batch.ArticleRun) -> None:
        if run.error is not None:
            self.logger.warning("%s: not read: %s", visible(run.target), visible(str(run.error)))
        elif run.summary is not None:
            why = f": {run.summary.failure_reason}" if run.summary.status != "published" else ""
            self.logger.info("%s: %s%s", visible(run.target), run.summary.status, visible(why))


def flow_settings(
    sources_csv: str | None,
    db_path: str | None,
    offline: bool,
    force: bool,
    docs_dir: str | None = None,
    article_date: str | None = None,
    targets: Sequence[str] = (),
) -> Settings:
    """The settings a flow's parameters give (the rest from the environment). Given the
    articles it verifies, a flow without a registry uses the bundled one only for the
    bundled examples (config.with_registry; raises SettingError for any other)."""
    settings = load_settings().with_overrides(
        sources_csv=Path(sources_csv) if sources_csv else None,
        offline=offline or None,
        force=force or None,
        article_date=date.fromisoformat(article_date) if article_date else None,
    )
    if targets:
        settings = with_registry(settings, list(targets))
    docs = Path(docs_dir) if docs_dir else None
    if db_path:
        return for_database(settings, Path(db_path), docs)
    return settings.with_overrides(docs_dir=docs)


def verify_in_flow(targets: Sequence[str], settings: Settings) -> batch.Batch:
    """Run the batch stages with this flow's task runner doing the pure pieces."""
    return batch.verify_articles(targets, settings, TaskWork(), FlowLog())


def batch_markdown(results: Sequence[batch.Outcome]) -> str:
    """Return the batch's outcome as a markdown table."""
    lines = ["| article | status | claims | reason |", "|---|---|---|---|"]
    for one in results:
        status = one.summary.status if one.summary else "unreadable"
        claims = one.summary.n_claims if one.summary else 0
        reason = (one.summary.failure_reason if one.summary else one.error) or ""
        if status == "published":
            reason = ""
        lines.append(
            f"| {Path(one.target).name} | {status} | {claims} | {reason.replace('|', '/')} |"
        )
    return "\n".join(lines)


@flow(name="verify-batch", task_runner=task_runner())
def verify_batch_flow(
    article_paths: list[str],
    sources_csv: str | None = None,
    db_path: str | None = None,
    offline: bool = False,
    force: bool = False,
    docs_dir: str | None = None,
    article_date: str | None = None,
) -> list[batch.Outcome]:
    """Verify articles (files or http(s) URLs) as one batch: each article that validates is
    published, one that fails is quarantined alone, one that cannot be read is reported.
    With offline, only stored copies of the sources are used; with force, unchanged
    articles are scored and validated again."""
    settings = flow_settings(
        sources_csv, db_path, offline, force, docs_dir, article_date, article_paths
    )
    results = batch.outcomes(verify_in_flow(article_paths, settings))
    create_markdown_artifact(
        key="batch-outcome",
        markdown=batch_markdown(results),
        description=f"Outcome of {len(results)} articles",
    )
    return results
