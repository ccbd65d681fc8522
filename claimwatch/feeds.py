"""RSS and Atom feeds as a way to find sources: the items near the article's date whose
titles speak of what the claims speak of."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import feedparser

from claimwatch.fetch import normalised_or_none
from claimwatch.text import plain_terms

WINDOW_DAYS = 3  # items this many days either side of the article's date
MIN_SHARED_TERMS = 2
MAX_ITEMS_PER_FEED = 10


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    published: date | None


def feed_items(body: bytes) -> list[FeedItem]:
    """Return the items of an RSS or Atom document that have an http(s) link."""
    parsed = feedparser.parse(body)
    items = []
    for entry in parsed.entries:
        link = normalised_or_none(entry.get("link") or "")
        if link is None:
            continue  # not an http(s) URL claimwatch would fetch
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = date(*stamp[:3]) if isinstance(stamp, time.struct_time) else None
        items.append(FeedItem(entry.get("title") or "", link, published))
    return items


def relevant_items(
    items: Iterable[FeedItem], claim_terms: set[str], around: date | None
) -> list[FeedItem]:
    """Return items dated within WINDOW_DAYS of the article (undated items and undated
    articles pass) whose titles share at least MIN_SHARED_TERMS terms with the claims,
    most shared terms first, at most MAX_ITEMS_PER_FEED."""
    scored = []
    for item in items:
        if around and item.published and abs(item.published - around) > timedelta(WINDOW_DAYS):
            continue
        shared = len(set(plain_terms(item.title)) & claim_terms)
        if shared >= MIN_SHARED_TERMS:
            scored.append((-shared, item.link, item))
    return [item for _, _, item in sorted(scored)[:MAX_ITEMS_PER_FEED]]
