"""Articles read from the web: main text and metadata of a news page, and the links it
cites (candidate sources)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html
import trafilatura

from claimwatch.article import ArticleError
from claimwatch.config import Settings
from claimwatch.fetch import Fetcher, decode_body, normalise_url

MAX_LINKS = 20


@dataclass(frozen=True)
class WebArticle:
    url: str
    text: str  # with a leading " date YYYY-MM-DD " header when the page gives its date
    title: str | None
    author: str | None
    published: str | None
    links: tuple[str, ...]


def fetch_web_article(url: str, settings: Settings, fetcher: Fetcher | None = None) -> WebArticle:
    """Return the article at url, or raise ArticleError with the fetch's one-line reason."""
    active = fetcher or Fetcher(settings)
    try:
        outcome = active.get(normalise_url(url))
    finally:
        if fetcher is None:
            active.close()
    if outcome.status != "ok":
        raise ArticleError(f"{url}: cannot fetch the article ({outcome.status}: {outcome.error})")
    if "html" not in outcome.content_type:
        text = decode_body(outcome.body, outcome.content_type).strip()
        if not text:
            raise ArticleError(f"{url}: the page is empty")
        return WebArticle(url, text, None, None, None, ())
    html = decode_body(outcome.body, outcome.content_type)
    page = trafilatura.bare_extraction(html, with_metadata=True, favor_precision=True)
    body = (page.text if page is not None else "") or ""
    if not body.strip():
        raise ArticleError(f"{url}: no article text found in the page")
    published = page.date if page is not None else None
    header = f" date {published[:10]} " if published else ""
    return WebArticle(
        url=outcome.final_url or url,
        text=header + body.strip() + "\n",
        title=page.title,
        author=page.author,
        published=published,
        links=cited_links(html, outcome.final_url or url),
    )


def cited_links(html: str, base: str) -> tuple[str, ...]:
    """Return the distinct http(s) links of the page's article body (the whole body when
    it marks no <article>), normalised, without the page itself, at most MAX_LINKS."""
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return ()
    scope = tree.xpath("//article") or [tree]
    own = normalise_url(base)
    links: list[str] = []
    for anchor in scope[0].xpath(".//a[@href]"):
        absolute = urljoin(base, anchor.get("href"))
        if not absolute.startswith(("http://", "https://")):
            continue
        link = normalise_url(absolute)
        if link != own and link not in links:
            links.append(link)
    return tuple(links[:MAX_LINKS])
