"""Sources: the registry, fetching over HTTP or from snapshots, and main-text extraction."""

from __future__ import annotations

import csv
import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import requests
import trafilatura
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from claimwatch.config import Settings
from claimwatch.ids import content_id

ALLOWED_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


class RegistryError(ValueError):
    """The source registry cannot be read; the message says why, in one line."""


@dataclass(frozen=True)
class Source:
    source_id: str
    url: str  # http(s) URL, or an absolute path to a local snapshot
    outlet: str
    published: date | None
    tier: int
    original_url: str | None


@dataclass(frozen=True)
class FetchResult:
    """One attempt to get a source; text is None when it failed."""

    source: Source
    status: str  # ok | http_error | network_error | timeout | bad_content | bad_url | missing
    status_code: int | None
    error: str | None
    final_url: str | None
    size_bytes: int
    elapsed_ms: int
    title: str | None
    text: str | None


def is_remote(url: str) -> bool:
    return urlparse(url).scheme in {"http", "https"}


def has_scheme(url: str) -> bool:
    """True for "ftp://…" or "mailto:…": a URL, not a snapshot path."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+:", url))


def load_registry(path: Path) -> list[Source]:
    """Return the sources listed in a registry CSV (columns url, outlet, published[, tier, original_url])."""
    if not path.exists():
        raise RegistryError(f"{path}: source registry not found")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (UnicodeDecodeError, csv.Error) as err:
        raise RegistryError(f"{path}: not a readable CSV ({err})") from None
    if rows and not {"url", "outlet"} <= set(rows[0]):
        raise RegistryError(f"{path}: needs columns url and outlet")
    sources = []
    for line, row in enumerate(rows, start=2):
        url = (row.get("url") or "").strip()
        if not url:
            raise RegistryError(f"{path}:{line}: empty url")
        if not is_remote(url) and not has_scheme(url):
            url = str((path.parent / url).resolve())
        sources.append(
            Source(
                source_id=content_id("source", url),
                url=url,
                outlet=(row.get("outlet") or "").strip() or urlparse(url).netloc or "unknown",
                published=parse_iso_date(row.get("published")),
                tier=int(row.get("tier") or 2),
                original_url=(row.get("original_url") or "").strip() or None,
            )
        )
    return sources


def parse_iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def make_session(settings: Settings) -> requests.Session:
    """Return one pooled session that retries connection errors, 429 and 5xx with backoff."""
    retry = Retry(
        total=settings.fetch_retries,
        connect=settings.fetch_retries,
        read=settings.fetch_retries,
        status=settings.fetch_retries,
        backoff_factor=settings.fetch_backoff_s,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=("GET", "HEAD"),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry, pool_connections=8, pool_maxsize=8)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = settings.user_agent
    return session


def fetch_source(source: Source, session: requests.Session, settings: Settings) -> FetchResult:
    """Return the outcome of getting one source; never raises for a bad source."""
    started = time.monotonic()
    if has_scheme(source.url) and not is_remote(source.url):
        scheme = urlparse(source.url).scheme
        return _result(source, started, "bad_url", None, f"unsupported URL scheme {scheme!r}")
    try:
        if is_remote(source.url):
            body, status_code, final_url, content_type = _get_http(source.url, session, settings)
        else:
            body, status_code, final_url, content_type = _read_snapshot(source.url, settings)
    except _FetchFailure as failure:
        return _result(source, started, failure.status, failure.status_code, failure.message)
    except requests.Timeout:
        return _result(
            source, started, "timeout", None, f"no answer within {settings.fetch_timeout_s:g}s"
        )
    except requests.RequestException as err:
        return _result(source, started, "network_error", None, _one_line(err))
    html = body.decode(_charset(content_type), errors="replace")
    if "html" in content_type:
        text = trafilatura.extract(
            html, include_comments=False, include_tables=False, favor_precision=True
        )
        title = _title(html)
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
    )


class _FetchFailure(Exception):
    def __init__(self, status: str, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status, self.message, self.status_code = status, message, status_code


def _get_http(
    url: str, session: requests.Session, settings: Settings
) -> tuple[bytes, int, str, str]:
    timeout = (min(5.0, settings.fetch_timeout_s), settings.fetch_timeout_s)
    with session.get(url, timeout=timeout, stream=True) as response:
        if response.status_code >= 400:
            raise _FetchFailure("http_error", f"HTTP {response.status_code}", response.status_code)
        content_type = response.headers.get("Content-Type", "text/html").lower()
        if not content_type.startswith(ALLOWED_CONTENT_TYPES):
            raise _FetchFailure(
                "bad_content", f"content type {content_type!r} is not a page", response.status_code
            )
        chunks, size = [], 0
        for chunk in response.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > settings.max_document_bytes:
                raise _FetchFailure(
                    "bad_content",
                    f"over the {settings.max_document_bytes}-byte cap",
                    response.status_code,
                )
            chunks.append(chunk)
        return b"".join(chunks), response.status_code, response.url, content_type


def _read_snapshot(path: str, settings: Settings) -> tuple[bytes, int, str, str]:
    file = Path(path)
    if not file.is_file():
        raise _FetchFailure("missing", f"snapshot {path} not found")
    if file.stat().st_size > settings.max_document_bytes:
        raise _FetchFailure("bad_content", f"over the {settings.max_document_bytes}-byte cap")
    content_type = "text/html" if file.suffix.lower() in {".html", ".htm"} else "text/plain"
    return file.read_bytes(), 200, file.as_uri(), content_type


def _charset(content_type: str) -> str:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "charset" and value:
            return value.strip("\"'")
    return "utf-8"


def _title(html: str) -> str | None:
    metadata = trafilatura.extract_metadata(html)
    return metadata.title if metadata and metadata.title else None


def _result(
    source: Source, started: float, status: str, code: int | None, message: str
) -> FetchResult:
    elapsed = int((time.monotonic() - started) * 1000)
    return FetchResult(source, status, code, message, None, 0, elapsed, None, None)


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())[:300]
