"""What the command line runs besides parsing options: the articles a command names
(files, folders, globs, URLs), a batch run with its progress and summary, and read-only
queries on the database. Presentation is claimwatch.output's; Dask and Prefect runs are
flows.dispatch's."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer

from claimwatch.config import Settings
from claimwatch.errors import ArticleError, StoreError
from claimwatch.output import (
    EXIT_BAD_INPUT,
    EXIT_QUARANTINED,
    BatchProgress,
    BatchRow,
    OutputFormat,
    batch_table,
    console,
    emit,
    errors,
    fail,
    one_line_message,
    show,
    stage_line,
    verdict_table,
    warn,
)


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


def run_many(targets: Sequence[str], settings, use_dask: bool, dask_address: str | None) -> None:
    """Verify articles as one batch with a progress bar per stage (plain lines when piped),
    go on past an unreadable or quarantined article, and end with a summary table. Exits 3
    when any article was quarantined and 2 when any could not be read."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from claimwatch.batch import outcomes, verify_articles

    if use_dask:
        from flows.dispatch import batch_on_dask

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


def run_one(article: str, settings: Settings, use_dask: bool, dask_address: str | None) -> None:
    """Verify one article (on Dask when asked), print its verdicts, and exit 3 when its
    run was quarantined. Raises what verify_article raises for bad input."""
    from claimwatch.batch import verify_article
    from claimwatch.sources import is_remote

    with console.status("verifying…") as status:
        target = article if is_remote(article) else Path(article)
        if use_dask:
            from flows.dispatch import verify_on_dask

            summary = verify_on_dask(target, settings, dask_address)
        else:
            summary = verify_article(
                target, settings, progress=lambda m: show(status, m), warning=warn
            )
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


def show_query(
    settings: Settings,
    query: str,
    params: dict[str, object],
    output: OutputFormat,
    title: str,
    none_found: str,
) -> None:
    """Print a read-only query's rows, or fail with none_found when it returns none."""
    names, rows = read_query(settings, query, params)
    if not rows:
        fail(none_found)
    emit(names, rows, output, title)
