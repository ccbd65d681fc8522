"""Prefect flow: verify one article. Thin wiring over claimwatch.pipeline's stage functions."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run

from claimwatch import pipeline, store
from claimwatch.config import Settings, load_settings
from claimwatch.match import Stance
from claimwatch.nlp import load_nlp
from claimwatch.runlock import run_lock
from claimwatch.sources import CachedDocument, FetchResult, Source, is_remote
from flows.runners import task_runner


class RunQuarantined(RuntimeError):
    """The run failed validation: the flow run ends Failed, and the summary goes with it."""

    def __init__(self, summary: pipeline.RunSummary) -> None:
        super().__init__(f"run {summary.run_id} quarantined: {summary.failure_reason}")
        self.summary = summary

    def __reduce__(self):
        return (RunQuarantined, (self.summary,))  # results are pickled between processes


def same_run(context, parameters: dict) -> str:
    """Cache key for a stage: the stage and the run. A retried flow run keeps its run_id, so
    the stages it finished return their stored results instead of running again; another
    run never shares them."""
    return f"{context.task.name}:{parameters['run_id']}"


STAGE_CACHE = {"cache_key_fn": same_run, "persist_result": True}
# New pairs per judge-pairs task: enough to outweigh a task's overhead on a Dask worker.
JUDGE_SHARE = 250


@task(name="parse-article")
def parse_article_task(path: Path | str, settings: Settings) -> pipeline.ParsedArticle:
    # An article already extracted by this extractor version is not parsed again.
    return pipeline.prepare_article(path, settings, load_nlp(settings.spacy_model))


@task(name="fetch-host", retries=2, retry_delay_seconds=[2, 10])
def fetch_host_task(
    sources: list[Source], settings: Settings, cache: dict[str, CachedDocument]
) -> list[FetchResult]:
    """Fetch one host's sources (conditionally where the cache holds a copy)."""
    return pipeline.fetch_sources(sources, settings, get_run_logger().info, cache)


def fetch_stage(
    sources: list[Source],
    claim_texts: list[str],
    parsed: pipeline.ParsedArticle,
    settings: Settings,
) -> list[FetchResult]:
    """Read the registry's feeds, then fetch the pages host by host, each host a task the
    task runner may place on any worker; results come back in registry order."""
    logger = get_run_logger()
    pages, feed_results = pipeline.expand_feeds(
        sources, claim_texts, parsed.article, settings, logger.info
    )
    con = store.connect(settings.db_path, read_only=True)
    try:
        cache = store.load_http_cache(con)  # validators for conditional GETs
    finally:
        con.close()
    groups = pipeline.by_host(pages)
    futures = fetch_host_task.map(
        groups,
        unmapped(settings),
        [{s.url: cache[s.url] for s in group if s.url in cache} for group in groups],
    )
    results = [r for future in futures for r in future.result()]
    return feed_results + pipeline.in_registry_order(pages, results)


@task(name="extract-claims", **STAGE_CACHE)
def extract_claims_task(
    db_path: Path, parsed: pipeline.ParsedArticle, settings: Settings, run_id: str
) -> list[tuple[str, str]]:
    con = store.connect(db_path)
    try:
        return pipeline.article_claims(
            con, parsed, load_nlp(settings.spacy_model), get_run_logger().info
        )
    finally:
        con.close()


@task(name="store-documents", **STAGE_CACHE)
def store_documents_task(
    db_path: Path,
    run_id: str,
    parsed: pipeline.ParsedArticle,
    results: list[FetchResult],
    settings: Settings,
) -> int:
    con = store.connect(db_path)
    try:
        return pipeline.store_documents(
            con, run_id, parsed.article, results, load_nlp(settings.spacy_model)
        )
    finally:
        con.close()


@task(name="skip-if-unchanged", **STAGE_CACHE)
def unchanged_task(
    db_path: Path,
    run_id: str,
    parsed: pipeline.ParsedArticle,
    claim_ids: list[str],
    results: list[FetchResult],
    counts: dict[str, int],
    settings: Settings,
) -> pipeline.RunSummary | None:
    con = store.connect(db_path)
    try:
        return pipeline.finish_if_unchanged(
            con, run_id, parsed, claim_ids, results, counts, settings, get_run_logger().info
        )
    finally:
        con.close()


@task(name="find-candidates", **STAGE_CACHE)
def candidates_task(db_path: Path, run_id: str, article_id: str, top_k: int) -> pipeline.Candidates:
    con = store.connect(db_path, read_only=True)
    try:
        return pipeline.find_candidates(con, run_id, article_id, top_k)
    finally:
        con.close()


@task(name="judge-pairs")
def judge_task(pairs: list[tuple[str, dict]], known: dict) -> pipeline.Judged:
    """Judge one share of the new pairs; pure, so it runs on any worker."""
    return pipeline.judge_rows(pairs, known)


@task(name="record-scores", **STAGE_CACHE)
def record_task(
    db_path: Path,
    run_id: str,
    article_id: str,
    candidates: pipeline.Candidates,
    fresh: dict[str, Stance],
    no_sources: str | None,
) -> int:
    con = store.connect(db_path)
    try:
        verdicts = pipeline.record_scores(
            con, run_id, article_id, candidates, fresh, no_sources, get_run_logger().info
        )
        return len(verdicts)
    finally:
        con.close()


def score_stage(
    db_path: Path, run_id: str, article_id: str, top_k: int, no_sources: str | None
) -> int:
    """Find candidates, judge the new pairs in shares across the task runner's workers,
    and record evidence and verdicts from this process, the one writer."""
    candidates = candidates_task(db_path, run_id, article_id, top_k)
    todo = candidates.unscored()
    shares = [todo[i : i + JUDGE_SHARE] for i in range(0, len(todo), JUDGE_SHARE)]
    con = store.connect(db_path, read_only=True)
    try:
        known = pipeline.known_entailments(con, todo)
    finally:
        con.close()
    judged = [future.result() for future in judge_task.map(shares, unmapped(known))]
    con = store.connect(db_path)
    try:
        for share in judged:
            pipeline.save_entailments(con, share.entailments)
    finally:
        con.close()
    fresh = dict(pair for share in judged for pair in share.stances)
    return record_task(db_path, run_id, article_id, candidates, fresh, no_sources)


@task(name="validate-and-publish", **STAGE_CACHE)
def validate_task(
    db_path: Path, run_id: str, article_id: str, counts: dict[str, int], settings: Settings
) -> pipeline.RunSummary:
    con = store.connect(db_path)
    try:
        return pipeline.validate_and_publish(con, run_id, article_id, counts, settings)
    finally:
        con.close()


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


def stable_run_id() -> str:
    """Return the run id of this flow run: the same on every retry of it."""
    flow_run_id = flow_run.get_id()
    started = flow_run.get_scheduled_start_time()
    if not flow_run_id or started is None:
        return pipeline.new_run_id()
    return started.strftime("%Y%m%dT%H%M%S") + "-" + str(flow_run_id).replace("-", "")[:6]


def run_stages(
    parsed: pipeline.ParsedArticle, sources: list[Source], settings: Settings
) -> pipeline.RunSummary:
    """Start the run, then claims, fetch, store, score and validate, each a task."""
    run_id = stable_run_id()
    con = store.connect(settings.db_path)
    try:
        store.mark_interrupted(con)  # holding the lock: 'running' rows were killed runs
        store.start_run(con, run_id, parsed.article)  # a retry takes its run up again
    finally:
        con.close()
    try:
        claim_pairs = extract_claims_task(settings.db_path, parsed, settings, run_id)
        claim_texts = [text for _, text in claim_pairs]
        results = fetch_stage(sources, claim_texts, parsed, settings)
        store_documents_task(settings.db_path, run_id, parsed, results, settings)
        counts = pipeline.run_counts(claim_pairs, results)
        skipped = unchanged_task(
            settings.db_path, run_id, parsed, [i for i, _ in claim_pairs], results, counts, settings
        )
        if skipped is not None:
            return skipped
        score_stage(
            settings.db_path,
            run_id,
            parsed.article.article_id,
            settings.top_k,
            pipeline.no_sources_reason(results),
        )
        return validate_task(settings.db_path, run_id, parsed.article.article_id, counts, settings)
    except BaseException as err:
        con = store.connect(settings.db_path)
        try:
            store.finish_run(con, run_id, "failed", f"{type(err).__name__}: {err}"[:500], None)
        finally:
            con.close()
        raise


@flow(name="verify-article", flow_run_name=run_name, task_runner=task_runner())
def verify_article_flow(
    article_path: str,
    sources_csv: str | None = None,
    db_path: str | None = None,
    offline: bool = False,
    force: bool = False,
) -> pipeline.RunSummary:
    """Verify one article file against the source registry and publish it if it validates.
    With offline, only stored copies of the sources are used; with force, an unchanged
    article is scored and validated again."""
    settings = load_settings().with_overrides(
        db_path=Path(db_path) if db_path else None,
        sources_csv=Path(sources_csv) if sources_csv else None,
        offline=offline or None,
        force=force or None,
    )
    parsed = parse_article_task(
        article_path if is_remote(article_path) else Path(article_path), settings
    )
    sources = pipeline.sources_for(parsed, pipeline.load_sources(settings))
    logger = get_run_logger()
    # One writer at a time; the tasks below run inside this flow's hold on the lock.
    with run_lock(settings.db_path, settings.lock_wait_s, logger.info):
        summary = run_stages(parsed, sources, settings)
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
