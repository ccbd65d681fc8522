"""Sources: the registry, fetching over HTTP or from snapshots, and main-text extraction."""

from __future__ import annotations

import csv
import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlparse

import trafilatura

from claimwatch.config import Settings
from claimwatch.errors import RegistryError
from claimwatch.feeds import FeedItem, feed_items
from claimwatch.fetch import (
    Conditional,
    Fetcher,
    FetchError,
    UnsafeUrl,
    decode_body,
    normalise_url,
    normalised_or_none,
    one_line,
)
from claimwatch.ids import content_id


@dataclass(frozen=True)
class Source:
    source_id: str
    url: str  # http(s) URL, or an absolute path to a local snapshot
    outlet: str
    published: date | None
    tier: int
    original_url: str | None
    kind: str = "page"  # page | feed (an RSS/Atom feed whose items may be sources)
    # The folder a snapshot path must stay in (the registry's own); None for http(s) URLs.
    snapshot_root: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """One attempt to get a source; text is None when it failed."""

    source: Source
    # ok | http_error | network_error | timeout | bad_content | bad_url | missing | blocked |
    # robots | redirect_loop
    status: str
    status_code: int | None
    error: str | None
    final_url: str | None
    size_bytes: int
    elapsed_ms: int
    title: str | None
    text: str | None
    etag: str | None = None
    last_modified: str | None = None
    from_cache: bool = False  # a 304 or --offline: the stored copy, nothing transferred


@dataclass(frozen=True)
class CachedDocument:
    """The stored copy of a remote source, from its last successful fetch."""

    url: str
    final_url: str | None
    etag: str | None
    last_modified: str | None
    title: str | None
    text: str


def is_remote(url: str) -> bool:
    """True for an http(s) URL (well formed or not: normalise_url says which)."""
    return bool(re.match(r"^\s*https?://", url, re.IGNORECASE))


def has_scheme(url: str) -> bool:
    """True for "ftp://…" or "mailto:…": a URL, not a snapshot path."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+:", url))


TIERS = (1, 2, 3)
# A registry bigger than this is not a list of sources someone wrote.
MAX_REGISTRY_BYTES = 10_000_000


def load_registry(path: Path | None) -> list[Source]:
    """Return the sources listed in a registry CSV (columns url, outlet[, published, tier,
    original_url, kind]). Every row is checked before any work: a bad value raises
    RegistryError naming the line, the column and the value (and None, no registry)."""
    if path is None:
        raise RegistryError("no source registry given (--sources or CLAIMWATCH_SOURCES)")
    if not path.exists():
        raise RegistryError(f"{path}: source registry not found")
    if not path.is_file():
        raise RegistryError(f"{path}: not a regular file")
    if path.stat().st_size > MAX_REGISTRY_BYTES:
        raise RegistryError(f"{path}: over {MAX_REGISTRY_BYTES} bytes, not a source registry")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            columns = set(reader.fieldnames or ())
    except (UnicodeDecodeError, csv.Error) as err:
        raise RegistryError(f"{path}: not a readable CSV ({one_line(str(err))})") from None
    if not columns:
        raise RegistryError(f"{path}: the registry is empty (needs a header url,outlet,… and rows)")
    if not {"url", "outlet"} <= columns:
        raise RegistryError(f"{path}: needs columns url and outlet, has {sorted(columns)}")
    if not rows:
        raise RegistryError(f"{path}: the registry lists no sources")
    sources: list[Source] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        source = registry_row(row, path, line)
        if source.url in seen:
            continue  # one page is one source, however often it is listed
        seen.add(source.url)
        sources.append(source)
    return sources


def registry_row(row: dict[str, str | None], path: Path, line: int) -> Source:
    """Return the source one registry row describes, or raise RegistryError."""

    def bad(column: str, why: str) -> RegistryError:
        value = one_line(str(row.get(column) or ""))[:120]
        return RegistryError(f"{path}:{line}: column {column} = {value!r}: {why}")

    if None in row:
        raise bad(
            "url", f"the row has more fields than the header ({len(row) - 1 + len(row[None])})"
        )
    raw = (row.get("url") or "").strip()
    if not raw:
        raise bad("url", "empty")
    root = str(path.parent.resolve())
    if is_remote(raw):
        try:
            url = normalise_url(raw)  # "?utm_source=x" and "#top" name the same page
        except UnsafeUrl as err:
            raise bad("url", str(err).split(": ", 1)[-1]) from None
    elif has_scheme(raw):
        raise bad("url", "only http(s) URLs and snapshot paths are sources")
    else:
        url = str((path.parent / raw).resolve())
    # Where the story first ran: metadata, shown as a link only when it is http(s).
    original = (row.get("original_url") or "").strip() or None
    if original is not None and re.search(r"[\x00-\x1f\x7f]", original):
        raise bad("original_url", "control character in the URL")
    published_text = (row.get("published") or "").strip()
    published = parse_iso_date(published_text)
    if published_text and published is None:
        raise bad("published", "not a date (YYYY-MM-DD)")
    tier_text = (row.get("tier") or "").strip()
    if tier_text and tier_text not in {str(t) for t in TIERS}:
        raise bad("tier", f"must be one of {', '.join(map(str, TIERS))}")
    return Source(
        source_id=content_id("source", url),
        url=url,
        outlet=(row.get("outlet") or "").strip() or urlparse(url).netloc or "unknown",
        published=published,
        tier=int(tier_text or 2),
        original_url=original,
        kind=registry_kind(row.get("kind"), path, line),
        snapshot_root=None if is_remote(url) else root,
    )


def registry_kind(value: str | None, path: Path, line: int) -> str:
    kind = (value or "page").strip().lower() or "page"
    if kind not in {"page", "feed"}:
        raise RegistryError(f"{path}:{line}: column kind = {kind!r}: must be page or feed")
    return kind


def snapshot_refusal(source: Source, settings: Settings) -> str | None:
    """Return why a local snapshot may not be read, or None. A registry reads files in its
    own folder and below (symbolic links resolved), and under roots the user allowed."""
    roots = [Path(r).resolve() for r in (source.snapshot_root, *settings.snapshot_roots) if r]
    target = Path(source.url).resolve()
    if any(target.is_relative_to(root) for root in roots):
        return None
    shown = ", ".join(str(r) for r in roots) or "no folder"
    return (
        f"{source.url} is outside the registry's folder ({shown}); "
        "allow a folder with --snapshot-root or CLAIMWATCH_SNAPSHOT_ROOTS"
    )


def item_source(feed: Source, link: str, published: date | None) -> Source:
    """Return a source for a feed item: the feed's outlet and tier, the item's date."""
    return Source(content_id("source", link), link, feed.outlet, published, feed.tier, None)


def link_source(url: str) -> Source:
    """Return a source for a page the article links to: outlet named by its host, tier 3
    until a registry row says otherwise."""
    return Source(content_id("source", url), url, urlparse(url).netloc or "unknown", None, 3, None)


def parse_iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def fetch_source(
    source: Source, fetcher: Fetcher, settings: Settings, cached: CachedDocument | None = None
) -> FetchResult:
    """Return the outcome of getting one source; never raises for a bad source. With a
    cached copy, a remote source is fetched conditionally and a 304 reuses the copy."""
    started = time.monotonic()
    if has_scheme(source.url) and not is_remote(source.url):
        scheme = urlparse(source.url).scheme
        return _result(source, started, "bad_url", None, f"unsupported URL scheme {scheme!r}")
    if not is_remote(source.url):
        refusal = snapshot_refusal(source, settings)
        if refusal is not None:
            return _result(source, started, "blocked", None, refusal)
        # A snapshot file's modification stamp plays Last-Modified: unchanged, reuse the copy.
        stamp = snapshot_stamp(source.url)
        if cached is not None and stamp is not None and cached.last_modified == stamp:
            return cached_result(source, cached, started, None)
        try:
            body, code, final_url, content_type = _read_snapshot(source.url, settings)
        except FetchError as failure:
            return _result(source, started, failure.status, failure.status_code, failure.message)
        return _page_result(source, started, body, code, final_url, content_type, None, stamp)
    conditional = Conditional(cached.etag, cached.last_modified) if cached else None
    outcome = fetcher.get(source.url, conditional)
    if outcome.status == "not_modified" and cached is not None:
        return cached_result(source, cached, started, outcome.status_code)
    if outcome.status != "ok":
        return _result(source, started, outcome.status, outcome.status_code, outcome.error)
    return _page_result(
        source,
        started,
        outcome.body,
        outcome.status_code,
        outcome.final_url,
        outcome.content_type,
        outcome.etag,
        outcome.last_modified,
    )


def read_feed(feed: Source, fetcher: Fetcher) -> tuple[FetchResult, list[FeedItem]]:
    """Return the fetch of a feed (never a document itself) and its items."""
    started = time.monotonic()
    if not is_remote(feed.url):
        refusal = snapshot_refusal(feed, fetcher.settings)
        if refusal is not None:
            return _result(feed, started, "blocked", None, refusal), []
        try:
            body, code, final_url, _ = _read_snapshot(feed.url, fetcher.settings)
        except FetchError as failure:
            return _result(feed, started, failure.status, failure.status_code, failure.message), []
    else:
        outcome = fetcher.get(feed.url)
        if outcome.status != "ok":
            return _result(feed, started, outcome.status, outcome.status_code, outcome.error), []
        body, code, final_url = outcome.body, outcome.status_code, outcome.final_url
    elapsed = int((time.monotonic() - started) * 1000)
    result = FetchResult(feed, "ok", code, None, final_url, len(body), elapsed, None, None)
    return result, feed_items(body)


def offline_feed_result(feed: Source) -> FetchResult:
    return _result(feed, time.monotonic(), "missing", None, "feeds are not read offline")


def snapshot_stamp(path: str) -> str | None:
    """Return a snapshot file's size and modification time as a validator, or None."""
    try:
        info = Path(path).stat()
    except OSError:
        return None
    return f"file:{info.st_size}:{info.st_mtime_ns}"


def cached_result(
    source: Source, cached: CachedDocument, started: float, status_code: int | None
) -> FetchResult:
    """Return the stored copy as this run's result: nothing was transferred."""
    return FetchResult(
        source,
        "ok",
        status_code,
        None,
        cached.final_url,
        0,
        int((time.monotonic() - started) * 1000),
        cached.title,
        cached.text,
        cached.etag,
        cached.last_modified,
        True,
    )


def offline_result(source: Source, cached: CachedDocument | None) -> FetchResult:
    """Return the stored copy of a source without touching the network (--offline)."""
    started = time.monotonic()
    if cached is None:
        return _result(source, started, "missing", None, "not stored yet; run once online")
    return cached_result(source, cached, started, None)


def _page_result(
    source: Source,
    started: float,
    body: bytes,
    status_code: int | None,
    final_url: str | None,
    content_type: str,
    etag: str | None,
    last_modified: str | None,
) -> FetchResult:
    html = decode_body(body, content_type)
    if "html" in content_type:
        text = trafilatura.extract(
            html, include_comments=False, include_tables=False, favor_precision=True
        )
        title = _title(html)
        final_url = canonical_url(html, final_url) or final_url
    else:
        text, title = html, None
    if not text or not text.strip():
        return _result(
            source, started, "bad_content", status_code, "no main text found in the page"
        )
    return FetchResult(
        source,
        "ok",
        status_code,
        None,
        final_url,
        len(body),
        int((time.monotonic() - started) * 1000),
        title,
        text.strip(),
        etag,
        last_modified,
        False,
    )


CANONICAL_LINK = re.compile(
    r"""<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)["']|"""
    r"""<link[^>]+href=["']([^"']+)["'][^>]*rel=["']canonical["']""",
    re.IGNORECASE,
)


def canonical_url(html: str, base: str | None) -> str | None:
    """Return the page's own canonical http(s) URL, normalised, when it declares one."""
    match = CANONICAL_LINK.search(html[:100_000])
    if not match:
        return None
    href = match.group(1) or match.group(2)
    return normalised_or_none(urljoin(base or "", href))


def _read_snapshot(path: str, settings: Settings) -> tuple[bytes, int, str, str]:
    """Return a snapshot file's bytes: regular files only, never more than the cap read."""
    file = Path(path)
    if not file.exists():
        raise FetchError("missing", f"snapshot {path} not found")
    if not file.is_file():
        raise FetchError("bad_content", f"snapshot {path} is not a regular file")
    body = read_file_capped(file, settings.max_document_bytes)
    if body is None:
        raise FetchError("bad_content", f"over the {settings.max_document_bytes}-byte cap")
    content_type = "text/html" if file.suffix.lower() in {".html", ".htm"} else "text/plain"
    return body, 200, file.as_uri(), content_type


def read_file_capped(file: Path, cap: int) -> bytes | None:
    """Return the file's bytes, or None when it holds more than cap (at most cap + 1 bytes
    are ever read, so a file that grows, or never ends, is not read whole)."""
    with file.open("rb") as handle:
        body = handle.read(cap + 1)
    return None if len(body) > cap else body


def _title(html: str) -> str | None:
    metadata = trafilatura.extract_metadata(html)
    return metadata.title if metadata and metadata.title else None


def _result(
    source: Source, started: float, status: str, code: int | None, message: str | None
) -> FetchResult:
    elapsed = int((time.monotonic() - started) * 1000)
    return FetchResult(source, status, code, message, None, 0, elapsed, None, None)
