"""What an article is called where it is listed: its first sentence, after its date line.
Light on purpose (no parser): `claimwatch articles` and the dashboard both use it."""

from __future__ import annotations

import re

# The seed format: an optional leading space, the word "date", then an ISO date.
DATE_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+")
# An article's title when its file has none: its first sentence, cut at a word to this.
TITLE_CHARS = 90


def body_start(text: str) -> int:
    """Return where an article's text starts after its date line (0 when it has none): the
    date is shown as the article's date, never as its text."""
    match = DATE_HEADER.match(text)
    return match.end() if match else 0


def article_title(text: str, limit: int = TITLE_CHARS) -> str:
    """Return a title for an article: its first sentence (or line), cut at a word."""
    body = text[body_start(text) :].strip()
    first = re.split(r"(?<=[.!?])\s|\n", body, maxsplit=1)[0].strip()
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
