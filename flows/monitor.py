"""Prefect flow for unattended use: verify what arrived in the inbox, then re-check articles
whose NOT ENOUGH INFO verdicts newer documents may settle. Served on a cron schedule by
`claimwatch serve`."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger

from claimwatch import store
from claimwatch.batch import Outcome
from claimwatch.config import Settings
from claimwatch.fetch import Fetcher
from claimwatch.monitor import (
    articles_to_recheck,
    linked_articles,
    mark_seen,
    pending_articles,
    unseen_items,
)
from claimwatch.output import visible
from claimwatch.sources import is_remote, load_registry, read_feed
from flows.runners import task_runner
from flows.verify_batch import flow_settings, verify_batch_flow


@flow(name="monitor-inbox", flow_run_name="monitor-{inbox}")
def monitor_flow(
    inbox: str,
    sources_csv: str | None = None,
    db_path: str | None = None,
    recheck: bool = True,
    follow_feeds: bool = True,
    max_feed_items: int = 10,
    dask_address: str | None = None,
    docs_dir: str | None = None,
) -> dict[str, list[str]]:
    """Verify every new article in the inbox and, with follow_feeds, the newest items of
    the registry's feeds not taken up before (at most max_feed_items per feed); then, with
    recheck, verify again the articles whose unverified claims might be answered by
    documents stored since their last run. A failed or quarantined article is reported and
    the others still run. The articles of a tick are one batch (flows/verify_batch.py).
    With dask_address (tcp://host:8786), its parsing, fetching and scoring run on that Dask
    cluster."""
    logger = get_run_logger()
    verify = (
        verify_batch_flow.with_options(task_runner=task_runner(address=dask_address))
        if dask_address
        else verify_batch_flow
    )
    settings = flow_settings(sources_csv, db_path, False, False, docs_dir)
    con = store.connect(settings.db_path, read_only=True) if settings.db_path.exists() else None
    try:
        pending, unreadable = pending_articles(Path(inbox), con, settings.max_article_bytes)
    finally:
        if con is not None:
            con.close()
    outcome: dict[str, list[str]] = {
        "verified": [],
        "failed": [],
        "rechecked": [],
        "skipped": [str(link) for link in linked_articles(Path(inbox))],
    }
    for link in outcome["skipped"]:
        logger.warning("skipping %s: a symbolic link; the inbox takes regular files", visible(link))
    for path, why in unreadable:
        logger.warning("skipping %s: %s", visible(str(path)), visible(why))
        outcome["failed"].append(str(path))
    targets = [str(path) for path in pending]
    if follow_feeds:
        targets += feed_article_urls(settings, max_feed_items, logger)
    logger.info("%d new articles in %s and the feeds", len(targets), inbox)
    # One batch for the tick: one pass of each stage, one validation, each article
    # published or quarantined on its own rows.
    if targets:
        for one in verify(targets, sources_csv, db_path, docs_dir=docs_dir):
            outcome["verified" if verified(one) else "failed"].append(one.target)
    if recheck and settings.db_path.exists():
        con = store.connect(settings.db_path, read_only=True)
        try:
            stale = articles_to_recheck(con)
        finally:
            con.close()
        origins = []
        for article_id, origin, n_unverified in stale:
            if not Path(origin).is_file() and not is_remote(origin):
                continue
            logger.info(
                "re-checking %s: %d claims unverified, new documents since",
                article_id,
                n_unverified,
            )
            origins.append(origin)
        if origins:
            for one in verify(origins, sources_csv, db_path, docs_dir=docs_dir):
                if verified(one):
                    outcome["rechecked"].append(one.target)
    return outcome


def verified(one: Outcome) -> bool:
    """An article counts as verified when its run was published or found unchanged."""
    return one.summary is not None and one.summary.status in {"published", "unchanged"}


def feed_article_urls(settings: Settings, limit: int, logger) -> list[str]:
    """Return the item URLs of the registry's feeds not taken up before, and record them as
    taken up (a failing item is reported once, not retried every tick)."""
    feeds = [s for s in load_registry(settings.sources_csv) if s.kind == "feed"]
    if not feeds:
        return []
    fetcher = Fetcher(settings)
    try:
        read = [(feed, read_feed(feed, fetcher)) for feed in feeds]
    finally:
        fetcher.close()
    urls: list[str] = []
    con = store.connect(settings.db_path)
    try:
        for feed, (result, items) in read:
            if result.status != "ok":
                logger.warning(
                    "feed %s: %s (%s)",
                    visible(feed.outlet),
                    result.status,
                    visible(str(result.error)),
                )
                continue
            fresh = unseen_items(con, items, limit)
            mark_seen(con, feed.url, fresh)
            logger.info("feed %s: %d items, %d new", visible(feed.outlet), len(items), len(fresh))
            urls.extend(item.link for item in fresh)
    finally:
        con.close()
    return urls


if __name__ == "__main__":
    import sys

    monitor_flow(sys.argv[1])
