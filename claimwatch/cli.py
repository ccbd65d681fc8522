"""The claimwatch command line: argument parsing and presentation only."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.status import Status
from rich.table import Table

from claimwatch.config import (
    PROJECT_ROOT,
    SettingError,
    Settings,
    for_database,
    keep_prefect_offline,
    load_settings,
    settings_with_origins,
)
from claimwatch.errors import ArticleError, RegistryError, StoreError

keep_prefect_offline()

app = typer.Typer(
    name="claimwatch",
    help="Verify the claims of news articles against sources, offline and explainably.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    pretty_exceptions_enable=False,
    # Docstrings are Markdown: a paragraph's lines are joined and wrapped to the terminal.
    rich_markup_mode="markdown",
)
# Piped or logged output has no terminal width; rich would squeeze tables into 80 columns
# and cut every cell, so off a terminal the width follows $COLUMNS or a generous default.
PIPED_WIDTH = 200
console = Console(width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else PIPED_WIDTH)
errors = Console(stderr=True)

VERDICT_STYLE = {
    "SUPPORTED": "green",
    "CONTRADICTED": "red",
    "DISPUTED": "yellow",
    "NOT ENOUGH INFO": "dim",
}
EXIT_BAD_INPUT = 2
EXIT_QUARANTINED = 3

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


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")]


# An error is one line a person reads; the whole story stays in the database (runs).
MAX_MESSAGE_CHARS = 300


def one_line_message(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Return message on one line of at most limit characters, cut with "…"."""
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print a one-line error (at most MAX_MESSAGE_CHARS) and exit non-zero."""
    errors.print(
        f"[bold red]error:[/] {escape(one_line_message(message))}",
        highlight=False,
        soft_wrap=True,
        markup=True,
    )
    raise typer.Exit(code)


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


def warn(message: str) -> None:
    """A warning on stderr: the run goes on."""
    errors.print(f"[yellow]warning[/]: {escape(message)}", soft_wrap=True)


def show(status: Status, message: str) -> None:
    """Progress on the spinner; waits on another process also on stderr, where logs see them."""
    if message.startswith("waiting"):
        errors.print(message, soft_wrap=True)
    status.update(message)


def read_query(settings: Settings, name: str, params: dict) -> tuple[list[str], list[tuple]]:
    """Return (column names, rows) of sql/queries/<name>.sql on a read-only connection,
    waiting (and saying so) while a run has the database open for writing."""
    from claimwatch import store

    return read_sql(settings, store.query(name), params)


def read_sql(settings: Settings, sql: str, params: dict) -> tuple[list[str], list[tuple]]:
    """Return (column names, rows) of a statement run on a read-only connection."""
    from claimwatch import store

    try:
        con = store.connect(
            settings.db_path,
            read_only=True,
            wait_s=settings.read_wait_s,
            progress=lambda message: errors.print(message, soft_wrap=True),
        )
    except StoreError as err:
        fail(str(err))
    try:
        cursor = con.execute(sql, params)
        return [d[0] for d in cursor.description or ()], cursor.fetchall()
    finally:
        con.close()


@app.command()
def run(
    articles: Annotated[
        list[str],
        typer.Argument(
            metavar="ARTICLE...",
            help=(
                "Article text files (first line may be ' date YYYY-MM-DD'), folders of them, "
                "quoted globs ('inbox/*.txt') or http(s) URLs."
            ),
        ),
    ],
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources", help="Source registry CSV (url,outlet,published[,tier,original_url])."
        ),
    ] = None,
    db: DbOption = None,
    docs: DocsOption = None,
    published: Annotated[
        datetime | None,
        typer.Option(
            "--date",
            formats=["%Y-%m-%d"],
            metavar="YYYY-MM-DD",
            help="The articles' publication date, YYYY-MM-DD, for those without a date line "
            "(replaces one they have); relative dates such as 'on Friday' resolve against it.",
        ),
    ] = None,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Use stored copies of the sources only; fetch nothing."),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Score and validate again even if nothing changed."),
    ] = False,
    dask: DaskOption = False,
    dask_address: DaskAddressOption = None,
    snapshot_root: Annotated[
        list[Path] | None,
        typer.Option(
            "--snapshot-root",
            help="A folder the registry may read snapshot files from besides its own (repeatable).",
        ),
    ] = None,
) -> None:
    """Verify articles: claims, sources, evidence, verdicts, validation, publish.

    Several files, a folder or a glob run as one batch, each stage once over all of them:
    an article that cannot be read or is quarantined does not stop the others, and a
    summary table ends the run. With --dask or --dask-address it runs as a Prefect flow
    whose parsing, fetching and scoring spread over Dask workers. Exit 0 published, 2 bad
    input, 3 quarantined.

    Example: claimwatch run seeds/articles/pboc-2021-09-24.txt (or an https:// article URL)
    """
    from claimwatch.batch import verify_article
    from claimwatch.nlp import ModelNotFound, load_nlp
    from claimwatch.runlock import RunLocked
    from claimwatch.sources import is_remote, load_registry

    settings = settings_from(db, sources, docs).with_overrides(
        offline=offline or None,
        force=force or None,
        article_date=published.date() if published else None,
    )
    if dask_address:
        check_dask_address(dask_address)
    if snapshot_root:
        roots = tuple(str(r.resolve()) for r in snapshot_root)
        settings = settings.with_overrides(snapshot_roots=settings.snapshot_roots + roots)
        # Flows read their settings from the environment, on Dask workers too.
        os.environ["CLAIMWATCH_SNAPSHOT_ROOTS"] = os.pathsep.join(settings.snapshot_roots)
    try:
        targets = expand_articles(articles)
        load_registry(settings.sources_csv)  # every bad row is reported before any work
        with console.status("loading the English parser…"):
            load_nlp(settings.spacy_model)
        if len(targets) > 1:
            run_many(targets, settings, dask or bool(dask_address), dask_address)
            return
        article = targets[0]
        with console.status("verifying…") as status:
            target = article if is_remote(article) else Path(article)
            if dask or dask_address:
                summary = verify_on_dask(target, settings, dask_address)
            else:
                summary = verify_article(
                    target, settings, progress=lambda m: show(status, m), warning=warn
                )
    except (ArticleError, RegistryError, StoreError, ModelNotFound, RunLocked) as err:
        fail(str(err))
    shown = summary.same_as or summary.run_id
    _, rows = read_query(settings, "run_verdict_table", {"run_id": shown})
    console.print(verdict_table(rows, f"run {shown} · article {summary.article_id}"))
    console.print(
        f"{summary.n_claims} claims · {summary.n_sources_ok}/{summary.n_sources} sources fetched · "
        f"database {settings.db_path}",
        soft_wrap=True,
    )
    if summary.docs_path:
        console.print(f"Data Docs: {summary.docs_path}", soft_wrap=True)
    if summary.run_page:
        console.print(f"This run's validation page: {summary.run_page}", soft_wrap=True)
    if summary.status == "unchanged":
        console.print(
            f"[green]unchanged[/]: {summary.failure_reason} (run {summary.run_id} recorded; "
            "--force recomputes)",
            soft_wrap=True,
        )
        return
    if summary.status != "published":
        fail(
            f"run {summary.run_id} quarantined, not published ("
            f"`claimwatch history` or runs.failure_reason has it whole): {summary.failure_reason}",
            EXIT_QUARANTINED,
        )
    console.print(
        f"[green]published[/] run {summary.run_id}: query it with "
        f'claimwatch sql "select * from verdicts_published" --db {settings.db_path}',
        soft_wrap=True,
    )


def expand_articles(articles: Sequence[str]) -> list[str]:
    """Return the articles named: URLs and files as given, a folder's article files by
    name, a quoted glob's matches. A name that matches nothing is an error."""
    import glob

    from claimwatch.monitor import article_files
    from claimwatch.sources import is_remote

    found: list[str] = []
    for name in articles:
        path = Path(name)
        if is_remote(name) or path.is_file():
            found.append(name)
        elif path.is_dir():
            files = [str(p) for p in article_files(path)]
            if not files:
                raise ArticleError(f"{name}: no article files in this folder")
            found += files
        elif glob.has_magic(name):
            files = [m for m in sorted(glob.glob(name)) if Path(m).is_file()]
            found += files or [name]  # matching nothing (or folders only) is reported
        else:
            found.append(name)  # reported by the run as a missing file, in one line
    return list(dict.fromkeys(found))


@dataclass
class BatchRow:
    article: str
    status: str
    claims: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    reason: str = ""


class BatchProgress:
    """claimwatch.batch.Reporter for a terminal: a rich progress bar per stage; piped, a
    plain line per stage and per article's outcome."""

    def __init__(self, bar) -> None:
        self.bar = bar
        self.task = None

    def stage(self, name: str, total: int) -> None:
        if console.is_terminal:
            self.task = self.bar.add_task(name, total=total)
        else:
            console.print(f"{name}: {total} to go", soft_wrap=True)

    def advance(self, steps: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, steps)

    def say(self, message: str) -> None:
        if message.startswith("waiting"):
            errors.print(message, soft_wrap=True)

    def warn(self, message: str) -> None:
        warn(message)

    def finished(self, run) -> None:
        if console.is_terminal:
            return
        if run.error is not None:
            console.print(
                f"unreadable {run.target}: {escape(one_line_message(str(run.error)))}",
                soft_wrap=True,
            )
        elif run.summary is not None:
            summary = run.summary
            why = (
                f": {summary.failure_reason}"
                if summary.status != "published" and summary.failure_reason
                else ""
            )
            console.print(f"{summary.status} {run.target}{escape(why)}", soft_wrap=True)


def run_many(targets: Sequence[str], settings, use_dask: bool, dask_address: str | None) -> None:
    """Verify articles as one batch with a progress bar per stage (plain lines when piped),
    go on past an unreadable or quarantined article, and end with a summary table. Exits 3
    when any article was quarantined and 2 when any could not be read."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from claimwatch.batch import outcomes, verify_articles

    if use_dask:
        results = batch_on_dask(targets, settings, dask_address)
    else:
        bar = Progress(
            TextColumn("{task.description:<9}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        with bar:
            results = outcomes(verify_articles(targets, settings, report=BatchProgress(bar)))
    rows = batch_rows(results, settings)
    index = next(
        (one.summary.docs_path for one in results if one.summary and one.summary.docs_path), None
    )
    if index is not None:
        console.print(f"Data Docs: {index}", soft_wrap=True)
    console.print(batch_table(rows, settings))
    stages = next((one.summary.stage_seconds for one in results if one.summary), ())
    console.print(stage_line(stages), soft_wrap=True)
    if any(r.status == "unreadable" for r in rows):
        raise typer.Exit(EXIT_BAD_INPUT)
    if any(r.status == "quarantined" for r in rows):
        raise typer.Exit(EXIT_QUARANTINED)


def batch_on_dask(targets: Sequence[str], settings: Settings, address: str | None):
    """Run the verify-batch flow with a Dask task runner (one LocalCluster for the whole
    batch, or the cluster at address); return every article's outcome."""
    from flows.verify_batch import verify_batch_flow

    return flow_result(run_on_dask(verify_batch_flow, list(targets), settings, address))


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
        fail(f"the flow failed: {type(outcome).__name__}: {outcome}")
    return outcome


def batch_rows(results: Sequence, settings) -> list[BatchRow]:
    """Return each article's line of the batch table, its verdicts counted from the store
    in one query (an unchanged run shows the verdicts of the run that stand)."""
    shown = [one.summary.same_as or one.summary.run_id for one in results if one.summary]
    _, count_rows = read_query(settings, "batch_verdict_counts", {"run_ids": shown})
    counts: dict[str, dict[str, int]] = {}
    for run_id, verdict, n_claims in count_rows:
        counts.setdefault(run_id, {})[verdict] = n_claims
    rows = []
    for one in results:
        summary = one.summary
        if summary is None:
            rows.append(
                BatchRow(one.target, "unreadable", reason=one_line_message(one.error or ""))
            )
            continue
        rows.append(
            BatchRow(
                one.target,
                summary.status,
                summary.n_claims,
                counts.get(summary.same_as or summary.run_id, {}),
                "" if summary.status == "published" else summary.failure_reason or "",
            )
        )
    return rows


def stage_line(stages: Sequence[tuple[str, float]]) -> str:
    """Return the batch's seconds per stage, in stage order, and their sum."""
    parts = " · ".join(f"{stage} {seconds:.1f}" for stage, seconds in stages)
    return f"seconds per stage: {parts or 'none'} · all {sum(s for _, s in stages):.1f}"


def batch_table(rows: Sequence[BatchRow], settings) -> Table:
    """Return the summary of a batch: one line per article and the totals."""
    from claimwatch.verdict import VERDICTS

    totals: dict[str, int] = {}
    for row in rows:
        totals[row.status] = totals.get(row.status, 0) + 1
    title = f"{len(rows)} articles · " + " · ".join(f"{n} {s}" for s, n in sorted(totals.items()))
    verdict_totals = " · ".join(f"{sum(r.verdicts.get(v, 0) for r in rows)} {v}" for v in VERDICTS)
    caption = (
        f"{sum(r.claims for r in rows)} claims · {verdict_totals} · database {settings.db_path}"
    )
    table = Table(title=title, caption=caption, expand=False)
    for name in ("article", "status", "claims", *VERDICTS, "reason"):
        table.add_column(
            name, justify="left" if name in {"article", "status", "reason"} else "right"
        )
    for row in rows:
        table.add_row(
            Path(row.article).name,
            row.status,
            str(row.claims),
            *(str(row.verdicts.get(v, 0)) for v in VERDICTS),
            escape(row.reason[:80]),
        )
    return table


def check_dask_address(address: str) -> None:
    """Fail in one line unless a Dask scheduler answers at address."""
    from flows.runners import dask_address_problem

    problem = dask_address_problem(address)
    if problem:
        fail(problem)


def verify_on_dask(target: Path | str, settings: Settings, address: str | None):
    """Run the verify-article flow with a Dask task runner: a LocalCluster, or the cluster
    at address. Returns the run's summary, quarantined runs included."""
    from flows.verify_article import RunQuarantined, verify_article_flow

    outcome = run_on_dask(verify_article_flow, str(target), settings, address)
    if isinstance(outcome, RunQuarantined):
        return outcome.summary  # reported below like any quarantined run
    return flow_result(outcome)


SCORE_NOTE = re.compile(r";? ?similarity \d+, coverage [\d.]+")


def short_reason(reason: str) -> str:
    """Return a verdict reason without its score figures (kept in the database), for a table."""
    return SCORE_NOTE.sub("", reason).replace(": ·", " ·").rstrip(": ")


def verdict_table(rows: list[tuple], title: str) -> Table:
    table = Table(title=title, show_lines=False, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("claim", ratio=5)
    table.add_column("verdict", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    table.add_column("+/-", justify="center", no_wrap=True)
    table.add_column("why (best evidence)", ratio=3)
    for (
        _cid,
        sentence_index,
        text,
        speaker,
        via,
        verdict,
        confidence,
        n_sup,
        n_con,
        _outlet,
        _url,
        reason,
    ) in rows:
        who = f" [dim]({speaker}{', via ' + via if via else ''})[/]" if speaker else ""
        table.add_row(
            str(sentence_index),
            escape(text + who),
            f"[{VERDICT_STYLE[verdict]}]{verdict}[/]",
            f"{confidence:.2f}",
            f"{n_sup}/{n_con}",
            escape(short_reason(reason)),
        )
    return table


@app.command()
def verdicts(
    article: Annotated[str | None, typer.Option("--article", help="Only this article id.")] = None,
    verdict: Annotated[
        str | None,
        typer.Option("--verdict", help="Only this verdict label, in any case (disputed)."),
    ] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Show published verdicts (read-only); reviewed ones say so.

    Example: claimwatch verdicts --verdict DISPUTED --format json
    """
    label = verdict_label(verdict) if verdict is not None else None
    settings = settings_from(db)
    names, rows = read_query(
        settings, "published_verdicts", {"article_id": article, "verdict": label}
    )
    if article is not None and not rows:
        _, claims_of_article = read_query(settings, "article_claims", {"article_id": article})
        if not claims_of_article:
            fail(f"no article {article!r} (article ids are in `claimwatch verdicts`)")
    if not rows:
        errors.print("no published verdicts match", soft_wrap=True)
    if output is not OutputFormat.table:
        emit(names, rows, output)
        return
    table = Table(title="published verdicts", expand=True)
    for name in ("claim_id", "claim_text", "verdict", "confidence", "evidence_outlet"):
        table.add_column(name, no_wrap=name == "claim_id")
    for r in rows:
        row = dict(zip(names, r))
        reviewed = " (reviewed)" if row["human_reviewed"] else ""
        flag = " [red]! new evidence disagrees[/]" if row["review_disagrees"] else ""
        table.add_row(
            row["claim_id"],
            escape(row["claim_text"]),
            f"[{VERDICT_STYLE[row['verdict']]}]{row['verdict']}[/]{reviewed}{flag}",
            f"{row['confidence']:.2f}",
            escape(row["evidence_outlet"] or ""),
        )
    console.print(table)


def verdict_label(given: str) -> str:
    """Return the verdict label given in any case ("disputed", "not-enough-info"), or fail
    in one line naming the four."""
    label = re.sub(r"[\s_-]+", " ", given.strip()).upper()
    if label not in VERDICT_STYLE:
        fail(f"--verdict {given!r}: not a verdict label ({', '.join(VERDICT_STYLE)})")
    return label


def emit(names: list[str], rows: list[tuple], output: OutputFormat, title: str = "") -> None:
    """Write rows as JSON, CSV or a plain table on stdout."""
    if output is OutputFormat.json:
        sys.stdout.write(
            json.dumps([dict(zip(names, r)) for r in rows], indent=2, default=str) + "\n"
        )
    elif output is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(names)
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    else:
        table = Table(title=title, expand=True)
        for name in names:
            table.add_column(name)
        for row in rows:
            table.add_row(*(escape(shown(v)) for v in row))
        console.print(table)


def shown(value: object) -> str:
    """A value as a table cell: a fraction to 2 decimals, a score to 1 (91.67 not
    91.66666666666667). Only the display rounds: csv and json carry the stored value."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def show_query(
    db: Path | None,
    query: str,
    params: dict[str, object],
    output: OutputFormat,
    title: str,
    none_found: str,
) -> None:
    """Print a read-only query's rows, or fail with none_found when it returns none."""
    names, rows = read_query(settings_from(db), query, params)
    if not rows:
        fail(none_found)
    emit(names, rows, output, title)


@app.command()
def claims(
    article_id: Annotated[str, typer.Argument(metavar="ARTICLE_ID", help="An article id.")],
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """List an article's claims with their published verdicts (read-only).

    Example: claimwatch claims 610493d5733ce474
    """
    show_query(
        db,
        "article_claims",
        {"article_id": article_id},
        output,
        f"claims of article {article_id}",
        f"no article {article_id!r} (article ids are in `claimwatch verdicts`)",
    )


@app.command()
def evidence(
    claim_id: Annotated[str, typer.Argument(metavar="CLAIM_ID", help="A claim id.")],
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Show the evidence behind a claim's published verdict, contradicting first (read-only).

    Example: claimwatch evidence 2d5c5081dbfc49a8
    """
    show_query(
        db,
        "claim_evidence",
        {"claim_id": claim_id},
        output,
        f"evidence for claim {claim_id}",
        f"no published evidence for claim {claim_id!r} (claim ids: `claimwatch claims`)",
    )


@app.command()
def review(
    claim_id: Annotated[str, typer.Argument(metavar="CLAIM_ID", help="The claim reviewed.")],
    verdict: Annotated[
        str,
        typer.Option("--verdict", help="SUPPORTED, CONTRADICTED, DISPUTED or 'NOT ENOUGH INFO'."),
    ],
    note: Annotated[str, typer.Option("--note", help="Why: what the reviewer checked.")],
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="Who reviewed [default: $USER].")
    ] = None,
    db: DbOption = None,
) -> None:
    """Record a human verdict on a claim. Earlier reviews are kept; later runs never
    discard a review, and `verdicts` flags one that new evidence disagrees with.

    Example: claimwatch review 2d5c5081dbfc49a8 --verdict SUPPORTED --note "PBOC notice, art. 1"
    """
    from claimwatch import store
    from claimwatch.review import ReviewError, record_review
    from claimwatch.runlock import RunLocked, run_lock

    settings = settings_from(db)
    if not settings.db_path.exists():
        fail(f"{settings.db_path}: no database yet; run `claimwatch run` first")
    name = reviewer or os.environ.get("USER") or "reviewer"
    try:
        with run_lock(settings.db_path, settings.lock_wait_s, lambda m: errors.print(m)):
            con = store.connect(settings.db_path)
            try:
                saved = record_review(con, claim_id, verdict, note, name)
            finally:
                con.close()
    except (ReviewError, RunLocked, StoreError) as err:
        fail(str(err))
    was = f" (claimwatch said {saved.machine_verdict})" if saved.machine_verdict else ""
    console.print(
        f"review {saved.review_id} by {name}: {saved.claim_text!r} is "
        f"[{VERDICT_STYLE[saved.verdict]}]{saved.verdict}[/]{was}",
        soft_wrap=True,
    )


@app.command()
def history(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """List runs with status, counts, duration and, for runs that did not publish, why.

    Example: claimwatch history --format json
    """
    names, rows = read_query(settings_from(db), "run_history", {})
    if output is not OutputFormat.table:
        emit(names, rows, output)
        return
    table = Table(title="runs", expand=False)
    table.add_column("run", no_wrap=True)
    table.add_column("article", no_wrap=True)
    for name in ("status", "claims", "sources ok", "seconds", "why"):
        table.add_column(name, justify="right" if name == "seconds" else "left")
    for run_id, article_id, status, n_claims, n_ok, n_sources, duration, reason in rows:
        table.add_row(
            run_id,
            article_id,
            status,
            str(n_claims or 0),
            f"{n_ok or 0}/{n_sources or 0}",
            "" if duration is None else f"{duration:.1f}",
            escape(reason or ""),
        )
    console.print(table)


@app.command()
def sql(
    statement: Annotated[str, typer.Argument(metavar="SQL", help="One SQL statement.")],
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Run one read-only SQL statement on the database (the published verdicts are the
    view verdicts_published); a statement that would write is refused.

    Example: claimwatch sql "select verdict, count(*) from verdicts_published group by 1"
    """
    import duckdb

    settings = settings_from(db)
    if not settings.db_path.exists():
        fail(f"{settings.db_path}: no database yet; `claimwatch run` creates it")
    try:
        names, rows = read_sql(settings, statement, {})
    except duckdb.Error as err:
        fail(f"SQL: {one_line_message(str(err))}")
    if not rows:
        errors.print("no rows", soft_wrap=True)
    emit(names, rows, output)


@app.command()
def config(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """Show the effective settings: each value, the CLAIMWATCH_* variable that sets it,
    and where the value came from (the environment, the database's place, or the default).

    Example: CLAIMWATCH_TOP_K=30 claimwatch config --format json
    """
    from dataclasses import fields

    try:
        settings, origins = settings_with_origins()
    except SettingError as err:
        fail(str(err))
    if db is not None:
        moved = for_database(settings, db)
        for name in ("db_path", "docs_dir", "gx_dir"):
            if getattr(moved, name) != getattr(settings, name):
                origins[name] = "--db" if name == "db_path" else "beside the database (--db)"
        settings = moved
    rows = [
        (
            item.name,
            display_setting(getattr(settings, item.name)),
            "CLAIMWATCH_" + item.metadata["env"],
            origins[item.name],
            item.metadata["help"],
        )
        for item in fields(settings)
    ]
    emit(["setting", "value", "variable", "from", "what it sets"], rows, output, "settings")


def display_setting(value: object) -> str:
    """A setting's value as the environment would spell it."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(value)
    return "" if value is None else str(value)


@app.command()
def serve(
    inbox: Annotated[
        Path, typer.Option("--inbox", help="Folder to watch for new article files.")
    ] = Path("inbox"),
    cron: Annotated[
        str, typer.Option("--cron", help="When to look, as a cron expression (UTC).")
    ] = "*/15 * * * *",
    sources: Annotated[Path | None, typer.Option("--sources", help="Source registry CSV.")] = None,
    db: DbOption = None,
    docs: DocsOption = None,
    once: Annotated[
        bool, typer.Option("--once", help="Run the monitor flow once now instead of serving.")
    ] = False,
    dask: DaskOption = False,
    dask_address: DaskAddressOption = None,
) -> None:
    """Serve the monitor flow on a schedule: verify new inbox articles, re-check unverified
    claims when new documents arrive. Runs show up in the Prefect UI.

    Example: claimwatch serve --inbox inbox/ --cron "*/15 * * * *"
    """
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    from claimwatch.sources import load_registry

    settings = settings_from(db, sources, docs)
    try:
        CronSchedule(cron=cron)
    except ValidationError:
        fail(f"{cron!r}: not a cron expression (five fields, e.g. '*/15 * * * *')")
    try:
        load_registry(settings.sources_csv)  # a bad registry stops the server before it starts
    except RegistryError as err:
        fail(str(err))
    if dask_address:
        check_dask_address(dask_address)
    if not inbox.is_dir():
        inbox.mkdir(parents=True)
        console.print(f"created the inbox folder {inbox}")
    from flows.monitor import monitor_flow

    if dask and not dask_address:
        from distributed import LocalCluster

        # One cluster for the life of the server, shared by every scheduled run.
        cluster = LocalCluster(threads_per_worker=1, processes=True)
        dask_address = cluster.scheduler_address
        console.print(f"Dask LocalCluster at {dask_address} (dashboard {cluster.dashboard_link})")
    parameters = {
        "inbox": str(inbox.resolve()),
        "sources_csv": str(settings.sources_csv.resolve()),
        "db_path": str(settings.db_path.resolve()),
        "dask_address": dask_address,
        "docs_dir": str(settings.docs_dir.resolve()),
    }
    if once:
        outcome = monitor_flow(**parameters)
        console.print(
            f"verified {len(outcome['verified'])}, failed {len(outcome['failed'])}, "
            f"re-checked {len(outcome['rechecked'])}"
        )
        if outcome["failed"]:
            fail("some articles failed: " + ", ".join(outcome["failed"]), EXIT_QUARANTINED)
        return
    from prefect.settings import get_current_settings

    if get_current_settings().api.url is None:
        fail(
            "a schedule needs a Prefect server: start one with `uv run prefect server start` "
            "and export PREFECT_API_URL=http://127.0.0.1:4200/api (or run --once from cron)"
        )
    from flows.serving import serve_on_schedule

    console.print(f"serving monitor-inbox on {inbox} at '{cron}'; Ctrl-C or SIGTERM stops")
    serve_on_schedule(monitor_flow, "claimwatch-monitor", cron, parameters, ["claimwatch"])
    console.print("stopped")


@app.command()
def report(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for the static site [default: report/ beside the database]"
        ),
    ] = None,
    db: DbOption = None,
    docs: DocsOption = None,
) -> None:
    """Build the review dashboard: a static HTML site that opens from disk (read-only),
    with a copy of the Data Docs its runs link to, so the folder can be copied or served
    as it is.

    Example: claimwatch report && xdg-open data/report/index.html
    """
    import time

    from claimwatch import store
    from claimwatch.report import build_report

    settings = settings_from(db, docs=docs)
    out = out or settings.db_path.parent / "report"
    try:
        con = store.connect(settings.db_path, read_only=True, wait_s=settings.read_wait_s)
    except StoreError as err:
        fail(str(err))
    started = time.perf_counter()
    try:
        with console.status("writing the dashboard…"):
            counts = build_report(con, out, settings.docs_dir)
    except OSError as err:
        fail(f"{out}: cannot write the site ({err.strerror})")
    finally:
        con.close()
    console.print(
        f"{counts['articles']} articles, {counts['claims']} claims, {counts['runs']} runs "
        f"in {time.perf_counter() - started:.1f} s: open {(out / 'index.html').resolve()}",
        soft_wrap=True,
    )


class ExportFormat(str, Enum):
    claimreview = "claimreview"
    parquet = "parquet"


@app.command()
def export(
    out: Annotated[
        Path | None,
        typer.Argument(
            metavar="[OUT]",
            help="claimreview: a .json file [default: stdout]; parquet: a folder (required).",
        ),
    ] = None,
    output: Annotated[
        ExportFormat, typer.Option("--format", help="claimreview (JSON-LD) or parquet.")
    ] = ExportFormat.claimreview,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--org-name",
            "--organisation",
            help="ClaimReview author: the organisation that publishes the checks "
            "(required for claimreview).",
        ),
    ] = None,
    site_url: Annotated[
        str | None,
        typer.Option(
            "--site-url",
            help="Where your review pages live, https://… (required for claimreview); "
            "each ClaimReview's url is <site-url>/claims/<claim_id>.html.",
        ),
    ] = None,
    include_unreviewed: Annotated[
        bool,
        typer.Option(
            "--include-unreviewed",
            help="Also export the machine's SUPPORTED, CONTRADICTED and DISPUTED verdicts "
            "that no one reviewed (never NOT ENOUGH INFO).",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Export reviewed verdicts as schema.org ClaimReview JSON-LD, or the published
    tables as Parquet partitioned by article date (read-only).

    Examples:

    - claimwatch export reviews.json --site-url https://checks.example.org --org-name "Our Desk"
    - claimwatch export --format parquet exports/
    """
    import duckdb

    from claimwatch import store
    from claimwatch.export import claim_reviews, claimreview_problems, export_parquet, json_ld
    from claimwatch.sources import is_remote

    settings = settings_from(db)
    if output is ExportFormat.parquet and out is None:
        fail(
            "--format parquet needs a folder to write to, e.g. `claimwatch export --format parquet exports/`"
        )
    if output is ExportFormat.claimreview:
        if not site_url or not organisation:
            fail(
                "ClaimReview needs who publishes it and where: "
                "--site-url https://your.site --org-name 'Your Desk'"
            )
        if not is_remote(site_url):
            fail(f"--site-url {site_url!r}: not an http(s) address")
    try:
        con = store.connect(settings.db_path, read_only=True, wait_s=settings.read_wait_s)
    except StoreError as err:
        fail(str(err))
    try:
        if output is ExportFormat.parquet:
            try:
                written = export_parquet(con, out)
            except (OSError, duckdb.Error) as err:
                fail(f"{out}: cannot write Parquet ({' '.join(str(err).split())[:200]})")
            for table, n_rows in written.items():
                errors.print(f"{table}: {n_rows} rows under {out / table}/article_date=…/")
            return
        reviews = claim_reviews(con, organisation, site_url, include_unreviewed)
    finally:
        con.close()
    bad = [(r["claimReviewed"], p) for r in reviews for p in claimreview_problems(r)]
    if bad:
        fail(f"{len(bad)} ClaimReview problems, first: {bad[0][1]} ({bad[0][0]!r})")
    text = json_ld(reviews)
    if out is None:
        sys.stdout.write(text)
    else:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as err:
            fail(f"{out}: cannot write ({err.strerror})")
        errors.print(f"{len(reviews)} ClaimReview objects written to {out}")
    if not reviews:
        errors.print(
            "no reviewed verdicts to export: review claims with `claimwatch review`, or pass "
            "--include-unreviewed for the machine's decided verdicts",
            soft_wrap=True,
        )


eval_app = typer.Typer(
    help="Measure quality against hand-labelled gold files.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(eval_app, name="eval")


@eval_app.command("claims")
def eval_claims(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="Folder of <article>.csv gold files.",
            show_default="tests/gold/claims in the project",
        ),
    ] = PROJECT_ROOT / "tests" / "gold" / "claims",
    articles: ArticlesOption = SAMPLE_ARTICLES,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv or json.")
    ] = OutputFormat.table,
    show_misses: Annotated[
        bool, typer.Option("--show-misses", help="List unmatched gold and extracted claims.")
    ] = False,
) -> None:
    """Score claim extraction: precision, recall, F1 and slot accuracy per article.

    Gold file columns: claim_text, kind, numbers, dates, entities, negated (lists split by ';').

    Example: claimwatch eval claims --gold my-gold/ --show-misses
    """
    from claimwatch.evaluate import (
        SLOT_KINDS,
        GoldError,
        gold_pairs,
        load_gold,
        misses_by_cause,
        score_article,
        total,
    )
    from claimwatch.nlp import ModelNotFound, load_nlp
    from claimwatch.pipeline import extract_claims_from_file

    settings = environment_settings()
    try:
        pairs = gold_pairs(gold, articles)
        nlp = load_nlp(settings.spacy_model)
        scores = []
        for article, gold_file in pairs:
            extraction = extract_claims_from_file(article, settings, nlp)
            text = article.read_text(encoding="utf-8", errors="replace")
            scores.append(
                score_article(
                    article.stem, extraction.claims, load_gold(gold_file), extraction.rejected, text
                )
            )
    except (GoldError, ArticleError, ModelNotFound) as err:
        fail(str(err))
    rows = [*scores, total(scores)]
    if output is OutputFormat.json:
        sys.stdout.write(json.dumps([score_dict(s) for s in rows], indent=2) + "\n")
        return
    if output is OutputFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(
            [
                "article",
                "n_extracted",
                "n_gold",
                "n_matched",
                "precision",
                "recall",
                "f1",
                *SLOT_KINDS,
            ]
        )
        for s in rows:
            writer.writerow(
                [
                    s.article,
                    s.n_extracted,
                    s.n_gold,
                    s.n_matched,
                    round(s.precision, 4),
                    round(s.recall, 4),
                    round(s.f1, 4),
                    *(s.slot_accuracy(k) for k in SLOT_KINDS),
                ]
            )
        return
    table = Table(title="claim extraction against gold", expand=False)
    table.add_column("article", no_wrap=True)
    for name in (
        "claims",
        "gold",
        "matched",
        "P",
        "R",
        "F1",
        "numbers",
        "dates",
        "entities",
        "polarity",
    ):
        table.add_column(name, justify="right")
    for s in rows:
        slots = [f"{a:.2f}" if (a := s.slot_accuracy(k)) is not None else "-" for k in SLOT_KINDS]
        table.add_row(
            s.article,
            str(s.n_extracted),
            str(s.n_gold),
            str(s.n_matched),
            f"{s.precision:.2f}",
            f"{s.recall:.2f}",
            f"{s.f1:.2f}",
            *slots,
        )
    console.print(table)
    if show_misses:
        for cause, misses in misses_by_cause(scores).items():
            console.print(f"[bold]{cause}[/] ({len(misses)})")
            for miss in misses:
                console.print(f"  [yellow]missed[/] {miss.article}: {miss.gold}", soft_wrap=True)
                if miss.nearest:
                    console.print(f"    nearest: {miss.nearest}", soft_wrap=True)
        for s in scores:
            for text in s.spurious:
                console.print(f"[red]extra[/]  {s.article}: {text}", soft_wrap=True)
            for rejected in s.rejected:
                console.print(
                    f"[red]dropped[/] {s.article}: {rejected.claim.text} "
                    f"({'; '.join(map(str, rejected.faults))})",
                    soft_wrap=True,
                )


@eval_app.command("stance")
def eval_stance(
    pairs_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.jsonl",
            help='One {"claim", "evidence", "label"} object a line; labels SUPPORTS, REFUTES, '
            "NOT ENOUGH INFO, DISPUTED.",
        ),
    ],
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Judge only the first N pairs.")
    ] = None,
    no_model: Annotated[
        bool,
        typer.Option(
            "--no-model",
            help="Judge without the entailment model: the word overlap, the slots and "
            "WordNet alone (the baseline the model is measured against).",
        ),
    ] = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Score the stance step on labelled claim-evidence pairs: accuracy, macro-F1, the
    confusion table, the share of REFUTES judged SUPPORTS, and pairs per second.

    Example: claimwatch eval stance models/stance/fever-test.jsonl --format json
    """
    from claimwatch.nlp import ModelNotFound, load_nlp
    from claimwatch.stance_eval import StanceInputError, evaluate_stance

    try:
        nlp = load_nlp(environment_settings().spacy_model)
        with console.status(f"judging the pairs of {pairs_file}…"):
            report = evaluate_stance(pairs_file, nlp, limit, use_model=not no_model)
    except (StanceInputError, ModelNotFound, OSError) as err:
        fail(str(err))
    if output is OutputFormat.json:
        sys.stdout.write(json.dumps(asdict(report), indent=2) + "\n")
        return
    summary = [
        ("pairs", report.pairs),
        ("accuracy", report.accuracy),
        ("macro-F1", report.macro_f1),
        ("REFUTES judged SUPPORTS", report.refutes_called_supports),
        ("pairs per second", report.pairs_per_second),
    ]
    emit(["measure", "value"], summary, output, f"stance on {pairs_file.name}")
    predicted = sorted({p for row in report.confusion.values() for p in row})
    rows = [
        (gold, *(report.confusion[gold].get(p, 0) for p in predicted))
        for gold in sorted(report.confusion)
    ]
    emit(["gold \\ judged", *predicted], rows, output, "confusion")


@eval_app.command("verdicts")
def eval_verdicts(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="Folder of <article>.csv labelled verdicts.",
            show_default="tests/gold/verdicts in the project",
        ),
    ] = PROJECT_ROOT / "tests" / "gold" / "verdicts",
    articles: ArticlesOption = SAMPLE_ARTICLES,
    sources: Annotated[Path | None, typer.Option("--sources", help="Source registry CSV.")] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv or json.")
    ] = OutputFormat.table,
) -> None:
    """Score verdicts against labelled claims, generated perturbations and two baselines.

    Each article runs through the real pipeline in a scratch database; a second article of
    perturbed claims (a number changed, a date shifted, an entity swapped, the predicate
    negated) checks that false claims never come out SUPPORTED.

    Example: claimwatch eval verdicts --format json
    """
    import tempfile

    from claimwatch.evaluate import GoldError, gold_pairs
    from claimwatch.nlp import ModelNotFound, load_nlp
    from claimwatch.verdict_eval import (
        SYSTEMS,
        VerdictReport,
        accuracy,
        accuracy_by_article,
        calibration,
        contradicted_rate,
        evaluate_article,
        false_supported_rate,
        load_gold_verdicts,
        macro_f1,
        recall_at_k,
        wrong_verdicts,
    )

    base = environment_settings().with_overrides(sources_csv=sources)
    report = VerdictReport()
    try:
        pairs = gold_pairs(gold, articles)
        nlp = load_nlp(base.spacy_model)
        with tempfile.TemporaryDirectory(prefix="claimwatch-eval-") as scratch:
            root = Path(scratch)
            settings = base.with_overrides(
                db_path=root / "eval.duckdb", docs_dir=root / "docs", gx_dir=root / "gx"
            )
            for article, gold_file in pairs:
                with console.status(f"verifying {article.name} and its perturbations…"):
                    part = evaluate_article(article, load_gold_verdicts(gold_file), settings, nlp)
                report.results += part.results
                report.unmatched += part.unmatched
                report.perturbations += part.perturbations
                report.perturbations_unmatched += part.perturbations_unmatched
    except (GoldError, ArticleError, RegistryError, StoreError, ModelNotFound) as err:
        fail(str(err))
    k = base.top_k
    rows = [
        {
            "system": name,
            "accuracy": round(accuracy(report.results, name), 4),
            "macro_f1": round(macro_f1(report.results, name), 4),
            "false_supported_on_perturbations": round(false_supported_rate(report, name), 4),
            "contradicted_on_perturbations": round(contradicted_rate(report, name), 4),
        }
        for name in SYSTEMS
    ]
    recall = recall_at_k(report.results)
    if output is OutputFormat.json:
        sys.stdout.write(
            json.dumps(
                {
                    "systems": rows,
                    f"recall_at_{k}": recall,
                    "n_claims": len(report.results),
                    "n_unmatched": len(report.unmatched),
                    "n_perturbations": len(report.perturbations),
                    "calibration": [
                        dict(zip(("bin", "count", "mean_confidence", "accuracy"), c))
                        for c in calibration(report.results)
                    ],
                    "by_article": [
                        {"article": name, "n_claims": n, "accuracy": round(acc, 4)}
                        for name, n, acc in accuracy_by_article(report.results)
                    ],
                    "wrong": [
                        {
                            "article": r.article,
                            "claim": r.claim_text,
                            "expected": r.expected,
                            "predicted": r.predicted["claimwatch"],
                            "confidence": r.confidence,
                        }
                        for r in wrong_verdicts(report.results)
                    ],
                },
                indent=2,
            )
            + "\n"
        )
        return
    if output is OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    table = Table(
        title=f"verdicts on {len(report.results)} labelled claims, "
        f"{len(report.perturbations)} perturbations",
        expand=False,
    )
    for name in (
        "system",
        "accuracy",
        "macro-F1",
        "false SUPPORTED (perturbed)",
        "CONTRADICTED (perturbed)",
    ):
        table.add_column(name, justify="left" if name == "system" else "right")
    for row in rows:
        table.add_row(
            row["system"],
            f"{row['accuracy']:.2f}",
            f"{row['macro_f1']:.2f}",
            f"{row['false_supported_on_perturbations']:.2f}",
            f"{row['contradicted_on_perturbations']:.2f}",
        )
    console.print(table)
    if recall is not None:
        console.print(
            f"recall of the labelled best evidence among the top {k} candidates: {recall:.2f}"
        )
    bins = Table(title="claimwatch calibration (reliability by confidence bin)")
    for name in ("confidence", "claims", "mean confidence", "accuracy"):
        bins.add_column(name, justify="right")
    for label, count, mean, acc in calibration(report.results):
        bins.add_row(label, str(count), f"{mean:.2f}", f"{acc:.2f}")
    console.print(bins)
    articles = Table(title="claimwatch accuracy by article")
    for name in ("article", "claims", "accuracy"):
        articles.add_column(name, justify="left" if name == "article" else "right")
    for name, n, acc in accuracy_by_article(report.results):
        articles.add_row(name, str(n), f"{acc:.2f}")
    console.print(articles)
    wrong = Table(title="claims claimwatch got wrong")
    for name in ("article", "claim", "expected", "claimwatch"):
        wrong.add_column(name, overflow="fold")
    for r in wrong_verdicts(report.results):
        wrong.add_row(r.article, escape(r.claim_text), r.expected, r.predicted["claimwatch"])
    console.print(wrong)
    for text in report.unmatched:
        console.print(f"[yellow]no extracted claim matches gold[/] {text}", soft_wrap=True)


def score_dict(score) -> dict:
    from claimwatch.evaluate import SLOT_KINDS, misses_by_cause

    return {
        "article": score.article,
        "n_extracted": score.n_extracted,
        "n_gold": score.n_gold,
        "n_matched": score.n_matched,
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "f1": round(score.f1, 4),
        "slot_accuracy": {k: score.slot_accuracy(k) for k in SLOT_KINDS},
        "missed": score.missed,
        "misses_by_cause": {
            cause: [m.gold for m in misses] for cause, misses in misses_by_cause([score]).items()
        },
        "spurious": score.spurious,
        "dropped": [
            {"claim": r.claim.text, "faults": [str(f) for f in r.faults]} for r in score.rejected
        ],
    }
