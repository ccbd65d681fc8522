"""What a scheduled run should do next: inbox articles not yet verified, and articles whose
NOT ENOUGH INFO verdicts newer documents might now settle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb

from claimwatch import store
from claimwatch.article import ArticleError
from claimwatch.feeds import FeedItem
from claimwatch.ids import content_id
from claimwatch.rows import FeedItemRow
from claimwatch.webarticle import read_article_text

ARTICLE_SUFFIXES = {".txt", ".md"}


def article_files(folder: Path) -> list[Path]:
    """Return the article files in a folder (.txt, .md), by name: regular files only, never
    a symbolic link (see linked_articles)."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in ARTICLE_SUFFIXES and not p.is_symlink() and p.is_file()
    )


def linked_articles(folder: Path) -> list[Path]:
    """Return the symbolic links in a folder named like articles: skipped, and reported,
    since a link dropped in a folder could point at any file the user can read."""
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_symlink()
    )


def inbox_files(inbox: Path) -> list[Path]:
    """Return the article files in the inbox, oldest first (by name for equal times)."""
    if not inbox.is_dir():
        raise ArticleError(f"{inbox}: inbox folder not found")
    return sorted(article_files(inbox), key=lambda p: (p.lstat().st_mtime, p.name))


def pending_articles(
    inbox: Path, con: duckdb.DuckDBPyConnection | None, max_bytes: int
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Return inbox files whose article has no published run yet, and the unreadable ones
    with why (they are reported, never retried in a loop). Symbolic links are neither:
    see linked_articles."""
    done = (
        {row[0] for row in con.execute(store.query("published_articles")).fetchall()}
        if con is not None
        else set()
    )
    pending: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    for path in inbox_files(inbox):
        try:
            text = read_article_text(path, max_bytes)
        except ArticleError as err:
            unreadable.append((path, str(err)))
            continue
        if content_id("article", text.strip()) not in done:
            pending.append(path)
    return pending, unreadable


def articles_to_recheck(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """Return (article_id, origin, unverified claims) for articles worth verifying again."""
    return [tuple(row) for row in con.execute(store.query("stale_unverified_articles")).fetchall()]


def unseen_items(
    con: duckdb.DuckDBPyConnection | None, items: Sequence[FeedItem], limit: int
) -> list[FeedItem]:
    """Return feed items not taken up before, newest first, at most limit."""
    seen = (
        {row[0] for row in con.execute(store.query("seen_feed_items")).fetchall()}
        if con is not None
        else set()
    )
    fresh = {item.link: item for item in items if item.link not in seen}
    ordered = sorted(fresh.values(), key=lambda i: (i.published or date.min, i.link), reverse=True)
    return ordered[:limit]


def mark_seen(con: duckdb.DuckDBPyConnection, feed_url: str, items: Sequence[FeedItem]) -> None:
    """Record items as taken up, whatever their run's outcome: a broken item is not retried
    on every tick."""
    store.insert_rows(
        con,
        "feed_items",
        [FeedItemRow(i.link, feed_url, i.title, i.published) for i in items],
        "on conflict do nothing",
    )
