"""Sharing results: schema.org ClaimReview JSON-LD, and the published tables as Parquet."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import duckdb

from claimwatch import store
from claimwatch.config import Settings
from claimwatch.safewrite import OutputFolder, discard_folder, temporary_folder
from claimwatch.sources import is_remote
from claimwatch.verdict import CONTRADICTED, DISPUTED, NEI, SUPPORTED

# reviewRating.alternateName: the verdict in words, as fact-checkers publish it.
RATING_NAMES = {
    SUPPORTED: "Supported by independent sources",
    CONTRADICTED: "Contradicted by independent sources",
    DISPUTED: "Disputed: sources disagree",
    NEI: "Not enough information",
}
# ratingValue on a 1 (worst) to 4 (best) scale; DISPUTED and NEI sit in between.
RATING_VALUES = {CONTRADICTED: 1, DISPUTED: 2, NEI: 2, SUPPORTED: 4}
PARQUET_TABLES = {
    "verdicts_published": "published_with_dates",
    "article_scorecard": "scorecards_with_dates",
}


def claim_review(row: Mapping[str, object], organisation: str, site_url: str) -> dict:
    """Return one ClaimReview object for a published (or reviewed) claim."""
    appearance = str(row["appearance"])
    url = appearance if is_remote(appearance) else Path(appearance).resolve().as_uri()
    item: dict[str, object] = {
        "@type": "Claim",
        "appearance": {"@type": "CreativeWork", "url": url},
    }
    if row["appearance_date"]:
        item["datePublished"] = str(row["appearance_date"])
        item["appearance"]["datePublished"] = str(row["appearance_date"])
    if row["speaker"]:
        item["author"] = {"@type": "Organization", "name": row["speaker"]}
    author: dict[str, object] = {"@type": "Organization", "name": organisation}
    if row["human_reviewed"]:
        author = {"@type": "Person", "name": row["reviewer"], "affiliation": author}
    verdict = str(row["verdict"])
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{site_url.rstrip('/')}/claims/{row['claim_id']}.html",
        "claimReviewed": row["claim_text"],
        "datePublished": str(row["review_date"]),
        "author": author,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUES[verdict],
            "bestRating": 4,
            "worstRating": 1,
            "alternateName": RATING_NAMES[verdict],
            "ratingExplanation": row["review_note"] or row["reason"],
        },
        "itemReviewed": item,
    }


def json_ld(reviews: list[dict]) -> str:
    """Return ClaimReview objects as JSON that is safe to paste into a
    <script type="application/ld+json"> tag: "<", ">" and "&" are escaped, so no claim
    text can close the tag ("</script>") or open a comment."""
    text = json.dumps(reviews, indent=2, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def claim_reviews(
    con: duckdb.DuckDBPyConnection,
    organisation: str,
    site_url: str,
    include_unreviewed: bool = False,
) -> list[dict]:
    """Return a ClaimReview for every reviewed published claim; with include_unreviewed,
    also for the machine's SUPPORTED, CONTRADICTED and DISPUTED verdicts (a NOT ENOUGH
    INFO that no one reviewed is not a fact-check)."""
    cursor = con.execute(
        store.query("claimreview_rows"), {"include_unreviewed": include_unreviewed}
    )
    names = [d[0] for d in cursor.description]
    return [claim_review(dict(zip(names, r)), organisation, site_url) for r in cursor.fetchall()]


def claimreview_problems(review: Mapping[str, object]) -> list[str]:
    """Return what Google's Fact Check (ClaimReview) markup documentation requires or
    recommends that this object lacks; empty when it is complete."""
    problems = []
    if review.get("@type") != "ClaimReview" or review.get("@context") != "https://schema.org":
        problems.append("@context/@type must be https://schema.org / ClaimReview")
    for field in ("claimReviewed", "url", "datePublished"):
        if not review.get(field):
            problems.append(f"missing {field}")
    if not is_remote(str(review.get("url", ""))):
        problems.append("url must be an http(s) address")
    author = review.get("author") or {}
    if not isinstance(author, Mapping) or not author.get("name"):
        problems.append("missing author.name")
    rating = review.get("reviewRating") or {}
    if not isinstance(rating, Mapping) or not rating.get("alternateName"):
        problems.append("missing reviewRating.alternateName")
    elif not (rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]):
        problems.append("reviewRating.ratingValue outside worstRating..bestRating")
    item = review.get("itemReviewed") or {}
    if not isinstance(item, Mapping) or item.get("@type") != "Claim":
        problems.append("itemReviewed must be a Claim")
    elif not (item.get("appearance") or {}).get("url"):
        problems.append("itemReviewed.appearance.url missing")
    return problems


def export_parquet(
    con: duckdb.DuckDBPyConnection, staging: Path, folder: OutputFolder
) -> dict[str, int]:
    """Write each published table as Parquet (DuckDB COPY, partitioned by article date)
    into staging, the one folder the connection may write, then copy the files into
    folder as <table>/article_date=…/…; return rows written per table."""
    written = {}
    for table, query_name in PARQUET_TABLES.items():
        target = str(staging / table).replace("'", "''")
        query = store.query(query_name)
        body = "\n".join(line for line in query.splitlines() if not line.startswith("--"))
        # COPY's target cannot be a parameter; the path is quoted. It returns the rows it wrote.
        written[table] = con.execute(
            f"copy ({body}) to '{target}' (format parquet, partition_by (article_date))"
        ).fetchall()[0][0]
        folder.copy_tree(staging / table, table)
    return written


class ExportError(ValueError):
    """An export that cannot be written as asked; the message is one line for the user."""


def checked_claimreview_json(
    con: duckdb.DuckDBPyConnection,
    organisation: str | None,
    site_url: str | None,
    include_unreviewed: bool = False,
) -> tuple[str, int]:
    """Return the ClaimReview JSON-LD of the published reviews (see claim_reviews) and
    how many objects it holds, each checked against what Google's Fact Check markup
    requires. Raises ExportError when who publishes it, or where, is missing or wrong."""
    if not site_url or not organisation:
        raise ExportError(
            "ClaimReview needs who publishes it and where: "
            "--site-url https://your.site --org-name 'Your Desk'"
        )
    if not is_remote(site_url):
        raise ExportError(f"--site-url {site_url!r}: not an http(s) address")
    reviews = claim_reviews(con, organisation, site_url, include_unreviewed)
    bad = [(r["claimReviewed"], p) for r in reviews for p in claimreview_problems(r)]
    if bad:
        raise ExportError(f"{len(bad)} ClaimReview problems, first: {bad[0][1]} ({bad[0][0]!r})")
    return json_ld(reviews), len(reviews)


def checked_parquet_export(settings: Settings, out: Path | None, force: bool) -> dict[str, int]:
    """Write the published tables as Parquet under out (see export_parquet; out is new,
    empty or an export claimwatch wrote, see claimwatch.safewrite) and return the rows
    written per table. Raises ExportError when out is missing or cannot be written,
    UnsafeWrite for a folder claimwatch may not fill, StoreError for the database."""
    if out is None:
        raise ExportError(
            "--format parquet needs a folder to write to, e.g. "
            "`claimwatch export --format parquet exports/`"
        )
    staging = temporary_folder()
    try:
        with OutputFolder(out, force) as folder:
            con = store.connect(
                settings.db_path, read_only=True, wait_s=settings.read_wait_s, writable_dir=staging
            )
            try:
                return export_parquet(con, staging, folder)
            finally:
                con.close()
    except (OSError, duckdb.Error) as err:
        raise ExportError(
            f"{out}: cannot write Parquet ({' '.join(str(err).split())[:200]})"
        ) from None
    finally:
        discard_folder(staging)


def is_claimreview_export(content: bytes) -> bool:
    """True when a file holds what `export --format claimreview` writes: a JSON list of
    ClaimReview objects (so a later export may replace it)."""
    try:
        items = json.loads(content.decode("utf-8")) if content.strip() else []
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(items, list) and all(
        isinstance(item, dict) and item.get("@type") == "ClaimReview" for item in items
    )
