"""Human review: a reviewer's verdict on a claim, recorded beside the machine's, never
over it (reviews are only ever added)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from claimwatch import store
from claimwatch.config import Settings
from claimwatch.verdict import VERDICTS

# A reviewer's name is shown in tables, logs and ClaimReview exports: one short line.
MAX_REVIEWER_CHARS = 100


class ReviewError(ValueError):
    """A review that cannot be recorded: unknown claim or label, empty note."""


@dataclass(frozen=True)
class Review:
    review_id: int
    claim_id: str
    claim_text: str
    verdict: str
    machine_verdict: str | None


def record_review(
    con: duckdb.DuckDBPyConnection, claim_id: str, verdict: str, note: str, reviewer: str
) -> Review:
    """Add a review of claim_id and return it; raise ReviewError for bad input."""
    label = verdict.strip().upper().replace("_", " ")
    if label not in VERDICTS:
        raise ReviewError(f"{verdict!r} is not a verdict; use one of {', '.join(VERDICTS)}")
    if not note.strip():
        raise ReviewError("a review needs a note saying why (--note)")
    if not reviewer.strip():
        raise ReviewError("a review needs a reviewer name (--reviewer)")
    if not reviewer.isprintable() or len(reviewer) > MAX_REVIEWER_CHARS:
        raise ReviewError(
            f"--reviewer {ascii(reviewer)[:60]}: a name is one line of printable text, at most "
            f"{MAX_REVIEWER_CHARS} characters"
        )
    rows = con.execute(store.query("claim_for_review"), {"claim_id": claim_id}).fetchall()
    if not rows:
        raise ReviewError(f"no claim {claim_id!r} (see `claimwatch claims ARTICLE_ID`)")
    _, claim_text, machine_verdict, run_id = rows[0]
    review_id = store.save_review(
        con, claim_id, label, note.strip(), reviewer.strip(), machine_verdict, run_id
    )
    return Review(review_id, claim_id, claim_text, label, machine_verdict)


def review_claim(
    settings: Settings, claim_id: str, verdict: str, note: str, reviewer: str
) -> Review:
    """Record a review in the settings' database, waiting for a running batch's write lock
    (saying so on stderr). Raises ReviewError, RunLocked or StoreError."""
    import sys

    from claimwatch.runlock import run_lock

    if not settings.db_path.exists():
        raise ReviewError(f"{settings.db_path}: no database yet; run `claimwatch run` first")

    def say(message: str) -> None:
        print(message, file=sys.stderr)

    with run_lock(settings.db_path, settings.lock_wait_s, say):
        con = store.connect(settings.db_path)
        try:
            return record_review(con, claim_id, verdict, note, reviewer)
        finally:
            con.close()
