"""What the command line runs besides parsing options: the articles a command names
(files, folders, globs, URLs), a batch run with its progress and summary, and read-only
queries on the database. Presentation is claimwatch.output's; Dask and Prefect runs are
flows.dispatch's."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import typer

from claimwatch.config import Settings
from claimwatch.errors import ArticleError, StoreError
from claimwatch.output import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_QUARANTINED,
    BatchProgress,
    BatchRow,
    OutputFormat,
    batch_table,
    console,
    emit,
    emit_batches,
    errors,
    fail,
    fail_for,
    one_line_message,
    show,
    stage_line,
    verdict_table,
    warn,
)


def read_query(settings: Settings, name: str, params: dict) -> tuple[list[str], list[tuple]]:
    """Return (column names, rows) of sql/queries/<name>.sql on a read-only connection,
    waiting (and saying so) while a run has the database open for writing."""
    from claimwatch import db

    return read_sql(settings, db.query(name), params)


def read_sql(settings: Settings, sql: str, params: dict) -> tuple[list[str], list[tuple]]:
    """Return (column names, rows) of a statement run on a read-only connection."""
    from claimwatch import db

    try:
        con = db.connect(
            settings.db_path,
            read_only=True,
            wait_s=settings.read_wait_s,
            progress=lambda message: errors.print(message, soft_wrap=True),
        )
    except StoreError as err:
        fail_for(err)
    try:
        cursor = con.execute(sql, params)
        return [d[0] for d in cursor.description or ()], cursor.fetchall()
    finally:
        con.close()


@dataclass(frozen=True)
class Targets:
    """The articles a command names, and the symbolic links its folders and globs held,
    which are skipped (a link the user names is read, as the file it points to)."""

    articles: list[str]
    skipped_links: list[str]


def expand_articles(names: Sequence[str]) -> Targets:
    """Return the articles named: URLs and files as given (a named link as the file it
    points to), a folder's article files by name, a quoted glob's matches; links found
    in folders and globs are skipped. A name that matches nothing is an error."""
    import glob

    from claimwatch.monitor import article_files, linked_articles
    from claimwatch.sources import is_remote

    found: list[str] = []
    links: list[str] = []
    for name in names:
        path = Path(name)
        if not is_remote(name) and path.is_symlink():
            name = os.path.realpath(name)
            path = Path(name)
        if is_remote(name) or path.is_file():
            found.append(name)
        elif path.is_dir():
            files = [str(p) for p in article_files(path)]
            skipped = [str(p) for p in linked_articles(path)]
            if not files:
                also = f" ({len(skipped)} symbolic links skipped)" if skipped else ""
                raise ArticleError(f"{name}: no article files in this folder{also}")
            found += files
            links += skipped
        elif glob.has_magic(name):
            matches = sorted(glob.glob(name))
            links += [m for m in matches if Path(m).is_symlink()]
            files = [m for m in matches if not Path(m).is_symlink() and Path(m).is_file()]
            found += files or ([] if links else [name])  # matching nothing is reported
        else:
            found.append(name)  # reported by the run as a missing file, in one line
    if not found:
        raise ArticleError(f"{', '.join(names)}: only symbolic links, which are not followed")
    return Targets(list(dict.fromkeys(found)), list(dict.fromkeys(links)))


def verify_named(
    names: Sequence[str], settings: Settings, use_dask: bool, dask_address: str | None
) -> None:
    """Verify the articles the command line names (see expand_articles): one as a table of
    its verdicts, several as a batch. Bad input fails in one line (exit 2), a database
    another process keeps busy with exit 5, and any fault inside the run (which the batch
    has recorded as failed) in one line with exit 4, unless CLAIMWATCH_TRACEBACK=1."""
    from claimwatch.config import EXAMPLE_REGISTRY, SettingError, with_registry
    from claimwatch.errors import ModelNotFound, RegistryError
    from claimwatch.nlp import load_nlp
    from claimwatch.sources import load_registry

    try:
        targets = expand_articles(names)
        given = settings.sources_csv
        settings = with_registry(settings, targets.articles)
        if given is None:
            errors.print(
                f"checking the bundled example articles against the bundled example registry "
                f"({EXAMPLE_REGISTRY.relative_to(EXAMPLE_REGISTRY.parents[1])})",
                soft_wrap=True,
            )
        load_registry(settings.sources_csv)  # every bad row is reported before any work
        with console.status("loading the English parser…"):
            load_nlp(settings.spacy_model)
        if len(targets.articles) > 1 or targets.skipped_links:
            run_many(targets.articles, settings, use_dask, dask_address, targets.skipped_links)
        else:
            run_one(targets.articles[0], settings, use_dask, dask_address)
    except (ArticleError, RegistryError, StoreError, ModelNotFound, SettingError) as err:
        fail_for(err)
    except typer.Exit:
        raise
    except Exception as err:
        if settings.traceback:
            raise
        fail(
            f"the run failed ({type(err).__name__}: {err}); it is recorded as failed in "
            "`claimwatch history`; CLAIMWATCH_TRACEBACK=1 prints the traceback",
            EXIT_FAILED,
        )


def run_many(
    targets: Sequence[str],
    settings,
    use_dask: bool,
    dask_address: str | None,
    skipped_links: Sequence[str] = (),
) -> None:
    """Verify articles as one batch with a progress bar per stage (plain lines when piped),
    go on past an unreadable or quarantined article, and end with a summary table that
    also lists the links skipped. Exits 3 when any article was quarantined and 2 when any
    could not be read."""
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
    rows = batch_rows(results, settings) + [
        BatchRow(link, "skipped", reason=SKIPPED_LINK) for link in skipped_links
    ]
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


SKIPPED_LINK = "a symbolic link: not followed in folders and globs (name it to read it)"


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


def show_user_query(
    settings: Settings, statement: str, output: OutputFormat, limit: int, timeout_s: float
) -> None:
    """Run `claimwatch sql`: the user's one read statement (claimwatch.usersql), its rows
    printed or streamed up to limit (0: all, csv and json only), a refusal in one line."""
    from claimwatch.usersql import SqlRefused, user_query

    if not settings.db_path.exists():
        fail(f"{settings.db_path}: no database yet; `claimwatch run` creates it")
    if limit == 0 and output is OutputFormat.table:
        fail("--limit 0 prints every row: choose --format csv or json, which stream them")
    try:
        with user_query(
            settings.db_path,
            statement,
            timeout_s,
            settings.read_wait_s,
            lambda message: errors.print(message, soft_wrap=True),
        ) as result:
            written, left = emit_batches(result.names, result.batches, output, limit=limit)
    except SqlRefused as err:
        fail(str(err))
    except StoreError as err:
        fail_for(err)
    if left:
        errors.print(
            f"the first {written:,} rows; --limit N prints more (0: all, with csv or json)",
            soft_wrap=True,
        )
    elif not written:
        errors.print("no rows", soft_wrap=True)


def export_to(
    settings: Settings,
    out: Path | None,
    parquet: bool,
    organisation: str | None,
    site_url: str | None,
    include_unreviewed: bool,
    force: bool,
) -> None:
    """Run `claimwatch export`: the published tables as Parquet under out, or the reviewed
    verdicts as ClaimReview JSON-LD into out (stdout when None); see claimwatch.export and
    claimwatch.safewrite for what may be written where."""
    import sys

    from claimwatch import db
    from claimwatch.export import (
        ExportError,
        checked_claimreview_json,
        checked_parquet_export,
        is_claimreview_export,
    )
    from claimwatch.safewrite import UnsafeWrite, write_file

    try:
        if parquet:
            for table, n_rows in checked_parquet_export(settings, out, force).items():
                errors.print(
                    f"{table}: {n_rows} rows under {out / table}/article_date=…/", soft_wrap=True
                )
            return
        con = db.connect(settings.db_path, read_only=True, wait_s=settings.read_wait_s)
        try:
            text, n_reviews = checked_claimreview_json(
                con, organisation, site_url, include_unreviewed
            )
        finally:
            con.close()
        if out is None:
            sys.stdout.write(text)
        else:
            write_file(out, text.encode("utf-8"), force, is_claimreview_export)
            errors.print(f"{n_reviews} ClaimReview objects written to {out}", soft_wrap=True)
    except (ExportError, StoreError, UnsafeWrite) as err:
        fail_for(err)
    if not n_reviews:
        errors.print(
            "no reviewed verdicts to export: review claims with `claimwatch review`, or pass "
            "--include-unreviewed for the machine's decided verdicts",
            soft_wrap=True,
        )


def show_articles(settings: Settings, output: OutputFormat) -> None:
    """Print `claimwatch articles`: each article titled by its first sentence."""
    from claimwatch.titles import article_title

    names, rows = read_query(settings, "article_listing", {})
    if not rows:
        fail(f"{settings.db_path}: no articles yet; `claimwatch run` adds them")
    text_at = names.index("article_text")
    listed = [(row[0], article_title(row[text_at], 70), *row[text_at + 1 :]) for row in rows]
    emit(["article_id", "title", *names[text_at + 1 :]], listed, output, "articles")


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
