"""The claimwatch command line: each command parses its options, calls one library
function and renders what it returns through claimwatch.output (tables, csv, json)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from claimwatch.cli_eval import eval_app
from claimwatch.cli_import import import_app
from claimwatch.cli_memory import memory_app
from claimwatch.cli_options import (
    DaskAddressOption,
    DaskOption,
    DbOption,
    DocsOption,
    ExportFormat,
    ForceWriteOption,
    FormatOption,
    RowLimitOption,
    TimeoutOption,
    settings_from,
    verdict_label,
)
from claimwatch.config import (
    SettingError,
    database_folder,
    keep_prefect_offline,
    with_registry,
)
from claimwatch.dispatch import (
    export_to,
    read_query,
    show_articles,
    show_query,
    show_user_query,
    verify_named,
)
from claimwatch.errors import RegistryError, StoreError
from claimwatch.output import (
    EXIT_FAILED,
    EXIT_QUARANTINED,
    VERDICT_STYLE,
    OutputFormat,
    console,
    display_setting,
    emit,
    errors,
    fail,
    fail_for,
    one_line_message,
    show_history,
    show_published_verdicts,
    warn,
)

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
    input, 3 quarantined, 4 failed inside (the run is recorded failed), 5 database busy.

    Example: claimwatch run seeds/articles/pboc-2021-09-24.txt (or an https:// article URL)
    """
    settings = settings_from(db, sources, docs).with_overrides(
        offline=offline or None,
        force=force or None,
        article_date=published.date() if published else None,
    )
    if dask_address:
        from flows.dispatch import check_dask_address

        check_dask_address(dask_address)
    if snapshot_root:
        roots = tuple(str(r.resolve()) for r in snapshot_root)
        settings = settings.with_overrides(snapshot_roots=settings.snapshot_roots + roots)
        # Flows read their settings from the environment, on Dask workers too.
        os.environ["CLAIMWATCH_SNAPSHOT_ROOTS"] = os.pathsep.join(settings.snapshot_roots)
    verify_named(articles, settings, dask or bool(dask_address), dask_address)


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
    show_published_verdicts(names, rows, output)


@app.command()
def articles(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """List the articles (read-only): id, title, date, latest run, claims and published
    verdicts; the ids are what `claims` and `verdicts --article` take.

    Example: claimwatch articles --format csv
    """
    show_articles(settings_from(db), output)


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
        settings_from(db),
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
        settings_from(db),
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
    from claimwatch.review import ReviewError, review_claim

    name = reviewer or os.environ.get("USER") or "reviewer"
    try:
        saved = review_claim(settings_from(db), claim_id, verdict, note, name)
    except (ReviewError, StoreError) as err:
        fail_for(err)
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
    show_history(names, rows, output)


@app.command()
def sql(
    statement: Annotated[str, typer.Argument(metavar="SQL", help="One read-only SQL statement.")],
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
    limit: RowLimitOption = 10_000,
    timeout: TimeoutOption = 60.0,
) -> None:
    """Run one read-only statement on the database: select, with, describe, show or
    summarize (the published verdicts are the view verdicts_published). Anything else, a
    second statement, or reading a file, a URL or an extension, is refused.

    Example: claimwatch sql "select verdict, count(*) from verdicts_published group by 1"
    """
    show_user_query(settings_from(db), statement, output, limit, timeout)


@app.command()
def config(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """Show the effective settings: each value, the CLAIMWATCH_* variable that sets it,
    and where the value came from (the environment, the database's place, or the default).

    Example: CLAIMWATCH_TOP_K=30 claimwatch config --format json
    """
    from claimwatch.config import effective_settings

    try:
        found = effective_settings(db)
    except SettingError as err:
        fail(str(err))
    rows = [(s.setting, display_setting(s.value), s.variable, s.origin, s.help) for s in found]
    emit(["setting", "value", "variable", "from", "what it sets"], rows, output, "settings")


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
        settings = with_registry(settings, [])  # an inbox's articles need their sources
        load_registry(settings.sources_csv)  # a bad registry stops the server before it starts
    except (RegistryError, SettingError) as err:
        fail(str(err))
    if dask_address:
        from flows.dispatch import check_dask_address

        check_dask_address(dask_address)
    if not inbox.is_dir():
        inbox.mkdir(parents=True)
        console.print(f"created the inbox folder {inbox}")
    try:
        from flows.serving import MonitorServer

        server = MonitorServer(inbox, settings, dask, dask_address)
        outcome = server.run_once() if once else None
    except Exception as err:  # noqa: BLE001  (Prefect's settings, start-up, API: one line)
        fail(
            f"the monitor did not run ({type(err).__name__}: {one_line_message(str(err))}); "
            "`claimwatch history` shows any run it recorded",
            EXIT_FAILED,
        )
    if outcome is not None:
        console.print(
            f"verified {len(outcome['verified'])}, failed {len(outcome['failed'])}, "
            f"re-checked {len(outcome['rechecked'])}, skipped {len(outcome['skipped'])} "
            "symbolic links"
        )
        for link in outcome["skipped"]:
            warn(f"skipped {link}: a symbolic link; the inbox takes regular files only")
        if outcome["failed"]:
            fail("some articles failed: " + ", ".join(outcome["failed"]), EXIT_QUARANTINED)
        return
    if not server.has_prefect_api():
        fail(
            "a schedule needs a Prefect server: start one with `uv run prefect server start` "
            "and export PREFECT_API_URL=http://127.0.0.1:4200/api (or run --once from cron)"
        )
    console.print(f"serving monitor-inbox on {inbox} at '{cron}'; Ctrl-C or SIGTERM stops")
    server.serve(cron)
    console.print("stopped")


@app.command()
def report(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for the static site [default: report/ in the database's folder, "
            "<name>.claimwatch/ beside it]",
        ),
    ] = None,
    db: DbOption = None,
    docs: DocsOption = None,
    force: ForceWriteOption = False,
) -> None:
    """Build the review dashboard: a static HTML site that opens from disk (read-only),
    with a copy of the Data Docs its runs link to, so the folder can be copied or served
    as it is. The folder is new, empty or one claimwatch wrote; claimwatch replaces only
    its own files there.

    Example: claimwatch report && xdg-open data/claimwatch.claimwatch/report/index.html
    """
    import time

    from claimwatch.report import build_site
    from claimwatch.safewrite import UnsafeWrite

    settings = settings_from(db, docs=docs)
    out = out or database_folder(settings.db_path) / "report"
    started = time.perf_counter()
    try:
        with console.status("writing the dashboard…"):
            counts = build_site(settings, out, force)
    except (StoreError, UnsafeWrite) as err:
        fail_for(err)
    except OSError as err:
        fail(f"{out}: cannot write the site ({err.strerror})")
    console.print(
        f"{counts['articles']} articles, {counts['claims']} claims, {counts['runs']} runs "
        f"in {time.perf_counter() - started:.1f} s: open {(out / 'index.html').resolve()}",
        soft_wrap=True,
    )


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
    force: ForceWriteOption = False,
) -> None:
    """Export reviewed verdicts as schema.org ClaimReview JSON-LD, or the published
    tables as Parquet partitioned by article date (read-only). A file is replaced only
    when it is an earlier ClaimReview export, a folder filled only when it is new, empty
    or one claimwatch filled; --force writes anyway, replacing only claimwatch's own.

    Examples:

    - claimwatch export reviews.json --site-url https://checks.example.org --org-name "Our Desk"
    - claimwatch export --format parquet exports/
    """
    export_to(
        settings_from(db),
        out,
        output is ExportFormat.parquet,
        organisation,
        site_url,
        include_unreviewed,
        force,
    )


# After the commands above, so `claimwatch -h` lists them first.
app.add_typer(eval_app, name="eval")
app.add_typer(import_app, name="import")
app.add_typer(memory_app, name="memory")
