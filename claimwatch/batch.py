"""Verifying many articles as one batch: each stage runs once over all of them.

    parse     read every article; parse those whose claims are not stored for this text and
              extractor, in shares through nlp.pipe
    extract   start a run per article and store its claims
    fetch     read the feeds once and fetch every page any article needs once
    store     store documents and each run's fetch rows; an unchanged article ends here
    score     find each run's candidates; judge the new pairs of many runs together, the
              model reading each distinct pair of texts once
    validate  one Great Expectations pass over every run left; each run is published or
              quarantined on its own rows

STAGES is that list; `claimwatch run` and the Prefect flows (flows/verify_batch.py) both
run it. The pure pieces of a stage (parsing shares, fetching a host, judging a share of
pairs) go through a Work, which runs them in this process or, in the flows, as Prefect
tasks that a Dask cluster may spread. Everything that writes DuckDB runs here, the one
writer, inside the run lock.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

import duckdb
from spacy.language import Language

from claimwatch import store
from claimwatch.article import (
    Article,
    ArticleError,
    dated,
    mask_boilerplate,
    missing_date_warning,
    parse_date_header,
)
from claimwatch.config import Settings
from claimwatch.entailment import Entailment
from claimwatch.extract.component import COMPONENT
from claimwatch.ids import content_id
from claimwatch.nlp import load_nlp
from claimwatch.pipeline import (
    Candidates,
    Judged,
    ParsedArticle,
    RunSummary,
    articles_claims,
    by_host,
    describe,
    feed_pages,
    fetch_sources,
    find_candidates_many,
    finish_if_unchanged,
    judge_rows,
    known_entailments,
    load_article,
    new_run_id,
    no_sources_reason,
    publish_validated,
    quarantine_unread,
    read_feeds,
    record_run,
    run_counts,
    save_stances,
    sources_for,
    store_corpus,
    store_runs_documents,
    without_parse,
)
from claimwatch.runlock import run_lock
from claimwatch.sources import FetchResult, Source, is_remote, load_registry, offline_result
from claimwatch.stance.judge import Stance
from claimwatch.validate import validate_runs
from claimwatch.version import extractor_version, model_id
from claimwatch.webarticle import read_article_text

T = TypeVar("T")
R = TypeVar("R")

# Articles per parsing share: enough for nlp.pipe to batch, few enough to show progress.
PARSE_SHARE = 8
# Parsing shares it takes before worker processes pay off.
PROCESS_PARSE_SHARES = 2
# New pairs per judging share: enough to outweigh a task's overhead on a Dask worker.
JUDGE_SHARE = 250
# Runs whose candidates are held in memory at once while scoring: a run has a few hundred
# candidate rows, and a batch of a thousand articles must not hold them all.
SCORE_RUNS = 40
# Held while this process parses (see parse_share).
PARSER_LOCK = threading.Lock()


class Work(Protocol):
    """Runs the pure pieces of a stage; on_done sees each result as it arrives."""

    def map(
        self,
        stage: str,
        fn: Callable[[T], R],
        items: Sequence[T],
        on_done: Callable[[R], None] = ...,
    ) -> list[R]: ...


@dataclass(frozen=True)
class LocalWork:
    """Work on this machine: fetching on threads (it waits on the network); parsing, when
    a batch has more than one share of it, in worker processes (it is all CPU); the rest
    in this process."""

    threads: int = 4
    processes: int = 1

    def map(self, stage, fn, items, on_done=lambda result: None):
        if stage == "fetch" and len(items) > 1:
            with ThreadPoolExecutor(max_workers=self.threads) as pool:
                return collect(pool.map(fn, items), on_done)
        if stage == "parse" and self.processes > 1 and len(items) >= PROCESS_PARSE_SHARES:
            # Forked where the platform can (as spaCy's own nlp.pipe(n_process=...) does):
            # a child starts with the parser this process loaded, in no time.
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            workers = min(self.processes, len(items))
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                return collect(pool.map(fn, items), on_done)
        return collect(map(fn, items), on_done)


def collect(results: Iterable[R], on_done: Callable[[R], None]) -> list[R]:
    """Return the results as a list, telling on_done of each as it arrives."""
    done = []
    for result in results:
        on_done(result)
        done.append(result)
    return done


class Reporter:
    """What a batch says as it goes; the CLI shows it, a flow logs it. The default says nothing."""

    def stage(self, name: str, total: int) -> None:
        """A stage starts, with total steps to go."""

    def advance(self, steps: int = 1) -> None:
        """Steps of the current stage are done."""

    def say(self, message: str) -> None:
        """A line of progress (a fetch, a wait on the lock)."""

    def warn(self, message: str) -> None:
        """Something the user should know that does not stop the run (no date line)."""

    def finished(self, run: ArticleRun) -> None:
        """A run has its outcome (or its article could not be read)."""


@dataclass
class ArticleRun:
    """One article on its way through a batch."""

    target: str
    parsed: ParsedArticle | None = None
    error: Exception | None = None  # why the article could not be read
    run_id: str | None = None
    claim_pairs: list[tuple[str, str]] = field(default_factory=list)
    pages: list[Source] = field(default_factory=list)
    results: list[FetchResult] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    summary: RunSummary | None = None

    @property
    def going(self) -> bool:
        """Still to be taken through the next stage."""
        return self.error is None and self.summary is None

    @property
    def article(self) -> Article:
        assert self.parsed is not None
        return self.parsed.article


@dataclass
class Batch:
    settings: Settings
    registry: list[Source]
    runs: list[ArticleRun]
    stage_seconds: list[tuple[str, float]] = field(default_factory=list)

    def going(self) -> list[ArticleRun]:
        return [run for run in self.runs if run.going]


class Writer:
    """The batch's one writing connection, opened on first use; fetching lets go of it so
    that readers get in meanwhile."""

    def __init__(self, settings: Settings, progress: Callable[[str], None]) -> None:
        self.settings = settings
        self.progress = progress
        self.con: duckdb.DuckDBPyConnection | None = None

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self.con is None:
            # A reader (a `claimwatch sql` within its time limit, a report) may hold the file:
            # wait for it as long as for another run's lock.
            self.con = store.connect(
                self.settings.db_path, wait_s=self.settings.lock_wait_s, progress=self.progress
            )
        return self.con

    def release(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None


@dataclass(frozen=True)
class StageContext:
    """What every stage works with besides the batch."""

    writer: Writer
    work: Work
    report: Reporter


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Hold a stage's many small writes in one transaction: one commit instead of one per
    statement (each commit writes the log), and a stage that fails leaves none of them."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def chunks(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


# parse ------------------------------------------------------------------------------


def read_target(target: str, settings: Settings) -> str | None:
    """Return a local article's text (None for a URL, read when parsed), or raise ArticleError."""
    if is_remote(target):
        return None
    return dated(read_article_text(Path(target), settings.max_article_bytes), settings.article_date)


def known_claims(
    settings: Settings,
    nlp: Language,
    texts: dict[int, str],
    progress: Callable[[str], None] = lambda message: None,
) -> dict[int, tuple[tuple[str, str], ...]]:
    """Return, by index, the claims this extractor stored for each very text (waiting,
    and saying so, while another process has the database, as long as for a run's lock)."""
    if not texts or not settings.db_path.exists() or settings.force:
        return {}
    version = extractor_version(model_id(nlp))
    con = store.connect(
        settings.db_path, read_only=True, wait_s=settings.lock_wait_s, progress=progress
    )
    try:
        found = {}
        for index, text in texts.items():
            known = store.stored_claims(con, content_id("article", text.strip()), version)
            if known is not None:
                found[index] = tuple(known)
        return found
    finally:
        con.close()


def parse_share(
    settings: Settings, share: Sequence[tuple[int, str, str | None]]
) -> list[tuple[int, ParsedArticle | Exception]]:
    """Parse a share of articles, (index, target, text or None for a URL), with one
    nlp.pipe pass, and return each one's claims (its parse let go) or why it failed.
    Pure: any worker may parse any share."""
    # One parse at a time per process: a flow's thread task runner may run two shares at
    # once, and a spaCy pipeline is not made to be shared between threads.
    with PARSER_LOCK:
        return parse_locked(settings, share)


def parse_locked(
    settings: Settings, share: Sequence[tuple[int, str, str | None]]
) -> list[tuple[int, ParsedArticle | Exception]]:
    nlp = load_nlp(settings.spacy_model)
    extractor = nlp.get_pipe(COMPONENT)
    parsed: list[tuple[int, ParsedArticle | Exception]] = []
    local = [(index, target, text) for index, target, text in share if text is not None]
    # Without its article_cfg the claim component passes a parse by; it runs after, on the
    # whole share, so the claims of all its articles are parsed in one pass.
    docs = list(nlp.pipe(mask_boilerplate(text) for _, _, text in local))
    outcomes = extractor.extract_many(
        [(doc, text, target) for (_, target, text), doc in zip(local, docs)]
    )
    for (index, _, _), outcome in zip(local, outcomes):
        if isinstance(outcome, ArticleError):
            parsed.append((index, outcome))
        else:
            parsed.append((index, without_parse(ParsedArticle(outcome._.article, outcome), nlp)))
    for index, target, text in share:
        if text is None:
            try:
                parsed.append((index, without_parse(load_article(target, settings, nlp), nlp)))
            except ArticleError as err:
                parsed.append((index, err))
    return parsed


def parse_stage(batch: Batch, ctx: StageContext) -> None:
    """Read every article and parse those whose claims are not stored for this very text."""
    settings, work, report = batch.settings, ctx.work, ctx.report
    nlp = load_nlp(settings.spacy_model)
    texts: dict[int, str | None] = {}
    for index, run in enumerate(batch.runs):
        try:
            texts[index] = read_target(run.target, settings)
        except (ArticleError, OSError) as err:
            run.error = err if isinstance(err, ArticleError) else ArticleError(str(err))
            report.finished(run)
    local = {index: text for index, text in texts.items() if text is not None}
    for index, known in known_claims(settings, nlp, local, report.say).items():
        text = local[index]
        article = Article(
            content_id("article", text.strip()),
            batch.runs[index].target,
            text,
            parse_date_header(text),
            (),
        )
        batch.runs[index].parsed = ParsedArticle(article, None, known_claims=known)
    todo = [
        (index, batch.runs[index].target, text)
        for index, text in texts.items()
        if batch.runs[index].parsed is None
    ]
    report.stage("parse", len(todo))
    shares = work.map(
        "parse",
        partial(parse_share, settings),
        chunks(todo, PARSE_SHARE),
        on_done=lambda share: report.advance(len(share)),
    )
    for index, outcome in (pair for share in shares for pair in share):
        run = batch.runs[index]
        if isinstance(outcome, Exception):
            run.error = outcome
            report.finished(run)
        else:
            run.parsed = outcome
    for run in batch.going():
        if run.article.published is None:
            report.warn(missing_date_warning(run.target))


# extract, fetch, store: the writer's stages ------------------------------------------


def extract_stage(batch: Batch, ctx: StageContext) -> None:
    """Start a run per readable article and store its claims."""
    con, report = ctx.writer.connection(), ctx.report
    nlp = load_nlp(batch.settings.spacy_model)
    going = batch.going()
    report.stage("extract", len(going))
    with transaction(con):
        for run in going:
            run.run_id = new_run_id()
            store.start_run(con, run.run_id, run.article)
            report.say(f"run {run.run_id}: {run.article.origin}")
        found = articles_claims(con, [run.parsed for run in going], nlp, report.say)
        for run, claim_pairs in zip(going, found, strict=True):
            run.claim_pairs = claim_pairs
    report.advance(len(going))


def fetch_group(
    settings: Settings, job: tuple[list[Source], dict[str, object]]
) -> list[FetchResult]:
    """Fetch one host's sources (conditionally where the cache holds a copy). Pure of the
    database: any worker may fetch any host."""
    sources, cache = job
    return fetch_sources(sources, settings, lambda message: None, cache)


def fetch_stage(batch: Batch, ctx: StageContext) -> None:
    """Read the feeds once, choose each article's pages, and fetch every page once, host
    by host; each run gets the results of its own pages, in registry order. The database
    is let go meanwhile: fetching is the slow part, and readers may come in."""
    settings, work, report = batch.settings, ctx.work, ctx.report
    cache = store.load_http_cache(ctx.writer.connection())
    ctx.writer.release()
    feeds = read_feeds(batch.registry, settings, report.say)
    pages: dict[str, Source] = {}
    for run in batch.going():
        sources = sources_for(run.parsed, batch.registry)
        texts = [text for _, text in run.claim_pairs]
        run.pages = feed_pages(sources, feeds, texts, run.article)
        for page in run.pages:
            pages.setdefault(page.url, page)
    report.stage("fetch", len(pages))
    if settings.offline:
        results = [offline_result(page, cache.get(page.url)) for page in pages.values()]
        report.advance(len(results))
    else:
        jobs = [
            (group, {s.url: cache[s.url] for s in group if s.url in cache})
            for group in by_host(list(pages.values()))
        ]
        groups = work.map(
            "fetch",
            partial(fetch_group, settings),
            jobs,
            on_done=partial(fetched, report),
        )
        results = [result for group in groups for result in group]
    by_url = {result.source.url: result for result in results}
    feed_results = [one.result for one in feeds]
    for run in batch.going():
        run.results = feed_results + [by_url[page.url] for page in run.pages]


def fetched(report: Reporter, results: Sequence[FetchResult]) -> None:
    for result in results:
        report.say(describe(result))
    report.advance(len(results))


def store_stage(batch: Batch, ctx: StageContext) -> None:
    """Store each run's fetches and documents (a document is analysed once, whichever run
    meets it first); a run with the claims, documents and code of its article's published
    run ends here as 'unchanged'."""
    con, report = ctx.writer.connection(), ctx.report
    nlp = load_nlp(batch.settings.spacy_model)
    going = batch.going()
    report.stage("store", len(going))
    with transaction(con):
        # The pages are the same objects across runs: store each once for the batch.
        shared = {result.source.url: result for run in going for result in run.results}
        store_corpus(con, list(shared.values()), nlp)
        runs = [(run.run_id, run.article, run.results) for run in going]
        for run, n_docs in zip(going, store_runs_documents(con, runs), strict=True):
            report.say(f"stored {n_docs} documents from {len(run.results)} sources")
            end_if_unchanged(batch, con, run, report)


def end_if_unchanged(
    batch: Batch, con: duckdb.DuckDBPyConnection, run: ArticleRun, report: Reporter
) -> None:
    """End a run whose documents are stored as 'unchanged' when nothing changed."""
    run.counts = run_counts(run.claim_pairs, run.results)
    claim_ids = [claim_id for claim_id, _ in run.claim_pairs]
    run.summary = finish_if_unchanged(
        con,
        run.run_id,
        run.parsed,
        claim_ids,
        run.results,
        run.counts,
        batch.settings,
        report.say,
    )
    if run.summary is not None:
        report.finished(run)
    report.advance()


# remember ----------------------------------------------------------------------------


def remember_stage(batch: Batch, ctx: StageContext) -> None:
    """Match the runs' claims against the claim memory (every claim a published run judged
    and every imported fact check), store their clusters, and let each run read the
    documents its clusters were decided on."""
    from claimwatch.memory.remember import carry_cluster_documents, remember_articles

    con, report = ctx.writer.connection(), ctx.report
    going = batch.going()
    report.stage("remember", len(going))
    with transaction(con):
        remember_articles(con, [run.article.article_id for run in going], report.say)
        carried = carry_cluster_documents(con, [run.run_id for run in going])
        for run in going:
            if carried.get(run.run_id):
                report.say(
                    f"memory: reading {carried[run.run_id]} documents its claims' clusters "
                    "were decided on"
                )
        report.advance(len(going))


# score -------------------------------------------------------------------------------


def judge_share(
    job: tuple[list[tuple[str, dict]], dict[tuple[str, str], Entailment]],
) -> Judged:
    """Judge one share of new pairs with the model readings stored for its texts. Pure."""
    pairs, known = job
    return judge_rows(pairs, known)


def score_runs(
    con: duckdb.DuckDBPyConnection, runs: Sequence[ArticleRun], settings: Settings, work: Work
) -> tuple[dict[str, Candidates], dict[str, Stance]]:
    """Judge the new pairs of the runs together, each distinct pair once, and store the
    model's new readings; return each run's candidates and the new pairs' stances."""
    candidates = find_candidates_many(con, [run.run_id for run in runs], settings.top_k)
    todo: dict[str, dict] = {}
    for found in candidates.values():
        for key, row in found.unscored():
            todo.setdefault(key, row)
    pairs = list(todo.items())
    known = known_entailments(con, pairs)
    jobs = []
    for share in chunks(pairs, JUDGE_SHARE):
        texts = {(row.claim_text, row.sentence_text) for _, row in share}
        jobs.append((share, {text: known[text] for text in texts if text in known}))
    judged = work.map("score", judge_share, jobs)
    for share in judged:
        store.save_entailments(con, share.entailments)
    fresh = {key: stance for share in judged for key, stance in share.stances}
    return candidates, fresh


def score_stage(batch: Batch, ctx: StageContext) -> None:
    """Score the runs SCORE_RUNS at a time and store their evidence and verdicts."""
    con, work, report = ctx.writer.connection(), ctx.work, ctx.report
    going = batch.going()
    report.stage("score", len(going))
    for group in chunks(going, SCORE_RUNS):
        candidates, fresh = score_runs(con, group, batch.settings, work)
        with transaction(con):
            save_stances(con, fresh)
            record_group(con, group, candidates, fresh, report)
        report.advance(len(group))


def record_group(
    con: duckdb.DuckDBPyConnection,
    group: Sequence[ArticleRun],
    candidates: dict[str, Candidates],
    fresh: dict[str, Stance],
    report: Reporter,
) -> None:
    """Store the evidence and verdicts of a group of runs."""
    for run in group:
        verdicts = record_run(
            con,
            run.run_id,
            run.article.article_id,
            candidates[run.run_id],
            fresh,
            no_sources_reason(run.results),
            report.say,
        )
        report.say(f"scored {len(verdicts)} claims")


# validate ----------------------------------------------------------------------------


def validate_stage(batch: Batch, ctx: StageContext) -> None:
    """Validate every run left in one pass and publish or quarantine each on its own rows.
    A run that read no source is quarantined without an audit: its verdicts could only say
    NOT ENOUGH INFO, and must not replace verdicts that were checked."""
    con, report = ctx.writer.connection(), ctx.report
    going = batch.going()
    report.stage("validate", len(going))
    for run in going:
        if not run.counts["n_sources_ok"]:
            run.summary = quarantine_unread(con, run.run_id, run.article.article_id, run.counts)
            report.finished(run)
            report.advance()
    going = batch.going()
    if not going:
        return
    outcomes = validate_runs(con, [run.run_id for run in going], batch.settings)
    for run in going:
        run.summary = publish_validated(
            con, run.run_id, run.article.article_id, run.counts, outcomes[run.run_id]
        )
        report.finished(run)
    report.advance(len(going))


# the batch ---------------------------------------------------------------------------

Stage = Callable[[Batch, StageContext], None]
# The stages, in order. Parsing runs before the writer lock is taken (bad input fails
# there, before anything is written); the others hold it.
STAGES: tuple[tuple[str, Stage], ...] = (
    ("parse", parse_stage),
    ("extract", extract_stage),
    ("fetch", fetch_stage),
    ("store", store_stage),
    ("remember", remember_stage),
    ("score", score_stage),
    ("validate", validate_stage),
)
UNLOCKED = {"parse"}


def run_stages(batch: Batch, stages: Sequence[tuple[str, Stage]], ctx: StageContext) -> None:
    """Run the stages in order, timing each; stop when no run is left to take further."""
    for name, stage in stages:
        if not batch.going():
            return
        started = time.perf_counter()
        stage(batch, ctx)
        batch.stage_seconds.append((name, time.perf_counter() - started))


def fail_unfinished(batch: Batch, ctx: StageContext, err: BaseException) -> None:
    """Record every started run without an outcome as failed, with the error."""
    started = [run for run in batch.runs if run.run_id and run.summary is None]
    if not started:
        return
    ctx.writer.release()
    con = store.connect(batch.settings.db_path)
    try:
        for run in started:
            store.finish_run(con, run.run_id, "failed", f"{type(err).__name__}: {err}"[:500], None)
    finally:
        con.close()


def verify_articles(
    targets: Sequence[str],
    settings: Settings,
    work: Work | None = None,
    report: Reporter | None = None,
) -> Batch:
    """Verify articles as one batch and return it: every run's outcome (or why its article
    could not be read) and the seconds each stage took.

    Raises RegistryError for a bad registry, before anything is read, and StoreError when
    the database cannot be used."""
    report = report or Reporter()
    registry = load_registry(settings.sources_csv)
    batch = Batch(settings, registry, [ArticleRun(target) for target in dict.fromkeys(targets)])
    writer = Writer(settings, report.say)
    local = LocalWork(max(1, settings.fetch_workers), max(1, settings.parse_processes))
    ctx = StageContext(writer, work or local, report)
    unlocked = [(name, stage) for name, stage in STAGES if name in UNLOCKED]
    locked = [(name, stage) for name, stage in STAGES if name not in UNLOCKED]
    run_stages(batch, unlocked, ctx)
    if not batch.going():
        return batch
    with run_lock(settings.db_path, settings.lock_wait_s, report.say):
        try:
            # Holding the lock, no other run is alive: a 'running' row is a run that was killed.
            for stale in store.mark_interrupted(writer.connection()):
                report.say(f"run {stale} had been interrupted; marked so")
            run_stages(batch, locked, ctx)
        except BaseException as err:
            fail_unfinished(batch, ctx, err)
            raise
        finally:
            writer.release()
    return batch


@dataclass(frozen=True)
class Outcome:
    """What became of one article of a batch: its run's summary, or why it was not read."""

    target: str
    summary: RunSummary | None
    error: str | None


def outcomes(batch: Batch) -> list[Outcome]:
    """Return every article's outcome, in the order the articles were given; each summary
    carries the batch's seconds per stage."""
    stages = tuple(batch.stage_seconds)
    return [
        Outcome(
            run.target,
            replace(run.summary, stage_seconds=stages) if run.summary else None,
            str(run.error) if run.error is not None else None,
        )
        for run in batch.runs
    ]


class Messages(Reporter):
    """Progress and warnings as plain messages, for one article's run."""

    def __init__(
        self, progress: Callable[[str], None], warning: Callable[[str], None] | None = None
    ) -> None:
        self.progress = progress
        self.warning = warning or progress

    def say(self, message: str) -> None:
        self.progress(message)

    def warn(self, message: str) -> None:
        self.warning(message)


def verify_article(
    path: Path | str,
    settings: Settings,
    progress: Callable[[str], None] = lambda message: None,
    work: Work | None = None,
    warning: Callable[[str], None] | None = None,
) -> RunSummary:
    """Verify one article (a batch of one) and return what its run did; progress hears
    how it goes, warning (progress when not given) what the user should know.

    Raises ArticleError for an article that cannot be read, before any row is written."""
    batch = verify_articles([str(path)], settings, work, Messages(progress, warning))
    run = batch.runs[0]
    if run.error is not None:
        raise run.error
    assert run.summary is not None
    return replace(run.summary, stage_seconds=tuple(batch.stage_seconds))
