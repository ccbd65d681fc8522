"""`claimwatch import`: bring published fact checks into the claim memory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from claimwatch.cli_options import DbOption, settings_from
from claimwatch.errors import StoreError
from claimwatch.output import EXIT_BAD_INPUT, console, errors, fail, fail_for

import_app = typer.Typer(
    help="Import published fact checks into the claim memory.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@import_app.command("claimreview")
def claimreview(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="ClaimReview JSON-LD files (an object, a list, @graph or a DataFeed) or saved HTML pages.",
        ),
    ],
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help="Import the readable fact checks even when some items are not."
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Import schema.org ClaimReview fact checks. Each claim a run meets is matched against
    them; a match shows the check's publisher, rating and link as evidence. Any item that
    cannot be read is listed, one line each, and nothing is imported (unless
    --skip-invalid). Importing a file again changes nothing.

    Example: claimwatch import claimreview checks.json saved-page.html
    """
    from claimwatch import store
    from claimwatch.memory.remember import import_fact_checks
    from claimwatch.nlp import load_nlp
    from claimwatch.runlock import run_lock

    for path in paths:
        if not path.is_file():
            fail(f"{path}: {'a folder, not a file' if path.is_dir() else 'no such file'}")
    settings = settings_from(db)
    try:
        with run_lock(settings.db_path, settings.lock_wait_s, lambda m: errors.print(m)):
            nlp = load_nlp(settings.spacy_model)
            con = store.connect(settings.db_path)
            try:
                summary = import_fact_checks(con, paths, nlp, skip_invalid)
            finally:
                con.close()
    except StoreError as err:
        fail_for(err)
    for problem in summary.problems:
        errors.print(
            f"[yellow]skipped[/] {problem.describe()}"
            if summary.imported
            else f"[bold red]error:[/] {problem.describe()}",
            soft_wrap=True,
            highlight=False,
        )
    if not summary.imported:
        if summary.problems:
            fail(
                f"{len(summary.problems)} item(s) could not be read; nothing imported "
                "(--skip-invalid imports the readable ones)"
                if summary.read
                else "no fact check could be read; nothing imported",
                EXIT_BAD_INPUT,
            )
        fail("no fact check found; nothing imported")
    console.print(
        f"imported {summary.read} fact checks ({summary.new} new, {summary.read - summary.new} "
        f"already stored) into {settings.db_path}; "
        f"{summary.matched_claims} published claims match them",
        soft_wrap=True,
    )
