"""Articles read from the web: main text and metadata of a news page, and the links it
cites (candidate sources)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import trafilatura

from claimwatch.article import ArticleError, read_article_file
from claimwatch.config import Settings
from claimwatch.fetch import Fetcher, UnsafeUrl, decode_body, normalise_url, normalised_or_none

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
    try:
        url = normalise_url(url)
    except UnsafeUrl as err:
        raise ArticleError(f"cannot fetch the article: {err}") from None
    active = fetcher or Fetcher(settings)
    try:
        outcome = active.get(url)
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
    final_url = outcome.final_url or url
    text, title, author, published = page_article(html, url)
    return WebArticle(final_url, text, title, author, published, cited_links(html, final_url))


def page_article(html: str, origin: str) -> tuple[str, str | None, str | None, str | None]:
    """Return (text, title, author, published) of a news page: its main text, without
    navigation and furniture, headed " date YYYY-MM-DD " when the page gives its date.
    Raises ArticleError when the page has no article text."""
    page = trafilatura.bare_extraction(html, with_metadata=True, favor_precision=True)
    body = (page.text if page is not None else "") or ""
    if not body.strip():
        raise ArticleError(f"{origin}: no article text found in the page")
    published = page.date if page is not None else None
    header = f" date {published[:10]} " if published else ""
    return header + body.strip() + "\n", page.title, page.author, published


HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def read_article_text(path: Path, max_bytes: int) -> str:
    """Return the text of an article file; a saved web page gives its main text, as a
    fetched one does, never its markup."""
    text = read_article_file(path, max_bytes)
    if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
        text, *_ = page_article(text, str(path))
    return text


def looks_like_html(text: str) -> bool:
    """True for an HTML document (a saved page), not article text that mentions a tag."""
    return bool(HTML_START.match(text[:2000]))


def cited_links(html: str, base: str) -> tuple[str, ...]:
    """Return the distinct http(s) links of the page's article body (the whole body when
    it marks no <article>), normalised, without the page itself, at most MAX_LINKS."""
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return ()
    scope = tree.xpath("//article") or [tree]
    own = normalised_or_none(base)
    links: list[str] = []
    for anchor in scope[0].xpath(".//a[@href]"):
        link = normalised_or_none(urljoin(base, anchor.get("href")))
        if link is not None and link != own and link not in links:
            links.append(link)
    return tuple(links[:MAX_LINKS])
