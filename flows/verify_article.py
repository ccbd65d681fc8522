"""Prefect flow: verify one article, a batch of one (flows/verify_batch.py runs the same
stages of claimwatch.batch for many)."""

from __future__ import annotations

from pathlib import Path

from prefect import flow
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run

from claimwatch import pipeline, store
from flows.runners import task_runner
from flows.verify_batch import flow_settings, verify_in_flow


class RunQuarantined(RuntimeError):
    """The run failed validation: the flow run ends Failed, and the summary goes with it."""

    def __init__(self, summary: pipeline.RunSummary) -> None:
        super().__init__(f"run {summary.run_id} quarantined: {summary.failure_reason}")
        self.summary = summary

    def __reduce__(self):
        return (RunQuarantined, (self.summary,))  # results are pickled between processes


def scorecard_markdown(db_path: Path, summary: pipeline.RunSummary) -> str:
    """Return the run's scorecard as a markdown table."""
    con = store.connect(db_path, read_only=True)
    try:
        # An unchanged run scored nothing: the verdicts that stand are its twin's.
        shown = summary.same_as or summary.run_id
        rows = con.execute(store.query("run_verdict_table"), {"run_id": shown}).fetchall()
    finally:
        con.close()
    lines = [
        f"# claimwatch run {summary.run_id}",
        (
            f"Status **{summary.status}** · {summary.n_claims} claims · "
            f"{summary.n_sources_ok}/{summary.n_sources} sources · Data Docs: {summary.run_page}"
        ),
        *([f"Unchanged: the verdicts of run {summary.same_as} stand."] if summary.same_as else []),
        "",
        "| claim | verdict | confidence | why |",
        "|---|---|---|---|",
    ]
    for row in rows:
        text, verdict, confidence, reason = row[2], row[5], row[6], row[11]
        lines.append(
            f"| {text.replace('|', '/')} | {verdict} | {confidence:.2f} | {reason.replace('|', '/')} |"
        )
    return "\n".join(lines)


def run_name() -> str:
    """Return a readable flow-run name: the article's file name without extension."""
    return "verify-" + Path(flow_run.parameters["article_path"]).stem


@flow(name="verify-article", flow_run_name=run_name, task_runner=task_runner())
def verify_article_flow(
    article_path: str,
    sources_csv: str | None = None,
    db_path: str | None = None,
    offline: bool = False,
    force: bool = False,
    docs_dir: str | None = None,
    article_date: str | None = None,
) -> pipeline.RunSummary:
    """Verify one article file or URL against the source registry and publish it if it
    validates. With offline, only stored copies of the sources are used; with force, an
    unchanged article is scored and validated again."""
    settings = flow_settings(
        sources_csv, db_path, offline, force, docs_dir, article_date, [article_path]
    )
    done = verify_in_flow([article_path], settings)
    run = done.runs[0]
    if run.error is not None:
        raise run.error
    summary = run.summary
    create_markdown_artifact(
        key="article-scorecard",
        markdown=scorecard_markdown(settings.db_path, summary),
        description=f"Scorecard of run {summary.run_id}",
    )
    if summary.status not in {"published", "unchanged"}:
        raise RunQuarantined(summary)
    return summary


if __name__ == "__main__":
    import sys

    verify_article_flow(sys.argv[1])
