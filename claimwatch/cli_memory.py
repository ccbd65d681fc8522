"""`claimwatch memory`: the claim memory's proposed matches, and a reviewer's decisions."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from claimwatch.cli_options import DbOption, FormatOption, settings_from
from claimwatch.dispatch import read_query
from claimwatch.errors import StoreError
from claimwatch.output import OutputFormat, console, emit, errors, fail, fail_for

memory_app = typer.Typer(
    help="The claim memory: matches proposed for review, and a reviewer's decisions.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)

ReviewerOption = Annotated[
    str | None, typer.Option("--reviewer", help="Who decided [default: $USER].")
]


@memory_app.command("proposals")
def proposals(
    article: Annotated[str | None, typer.Option("--article", help="Only this article id.")] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """List the matches the memory proposes for a reviewer: a claim that may be one checked
    before, or one a fact check rated (read-only).

    Example: claimwatch memory proposals --format csv
    """
    names, rows = read_query(settings_from(db), "memory_proposals", {"article_id": article})
    if not rows:
        errors.print("no proposed matches", soft_wrap=True)
    emit(names, rows, output, "proposed matches")


def decide(claim_id: str, matched_id: str, decision: str, reviewer: str | None, db) -> None:
    from claimwatch import store
    from claimwatch.memory.remember import MemoryReviewError, review_match
    from claimwatch.runlock import run_lock

    settings = settings_from(db)
    if not settings.db_path.exists():
        fail(f"{settings.db_path}: no database yet; run `claimwatch run` first")
    name = reviewer or os.environ.get("USER") or "reviewer"
    try:
        with run_lock(settings.db_path, settings.lock_wait_s, lambda m: errors.print(m)):
            con = store.connect(settings.db_path)
            try:
                cluster = review_match(con, claim_id, matched_id, decision, name)
            finally:
                con.close()
    except (MemoryReviewError, StoreError) as err:
        fail_for(err)
    console.print(
        f"{claim_id} → {matched_id}: {decision} by {name}; cluster {cluster}", soft_wrap=True
    )


@memory_app.command("confirm")
def confirm(
    claim_id: Annotated[str, typer.Argument(metavar="CLAIM_ID", help="The new claim.")],
    matched_id: Annotated[
        str, typer.Argument(metavar="MATCHED_ID", help="The stored claim or fact check it matched.")
    ],
    reviewer: ReviewerOption = None,
    db: DbOption = None,
) -> None:
    """Confirm a proposed match: the claim joins the stored claim's cluster (its review and
    evidence carry over), or shows the fact check as evidence. Later runs keep the decision.

    Example: claimwatch memory confirm 09023f12c5a8904b 6d1f0a9e2b7c4d3a
    """
    from claimwatch.memory.remember import CONFIRM

    decide(claim_id, matched_id, CONFIRM, reviewer, db)


@memory_app.command("reject")
def reject(
    claim_id: Annotated[str, typer.Argument(metavar="CLAIM_ID", help="The new claim.")],
    matched_id: Annotated[
        str, typer.Argument(metavar="MATCHED_ID", help="The stored claim or fact check it matched.")
    ],
    reviewer: ReviewerOption = None,
    db: DbOption = None,
) -> None:
    """Reject a match (proposed or automatic): the two are not one claim. Later runs keep
    the decision.

    Example: claimwatch memory reject 09023f12c5a8904b 6d1f0a9e2b7c4d3a
    """
    from claimwatch.memory.remember import REJECT

    decide(claim_id, matched_id, REJECT, reviewer, db)
