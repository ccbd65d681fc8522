"""HTTP fetching that survives the real web: bounded in time and size, polite to hosts,
guarded against internal addresses, conditional on what is already stored."""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlparse, urlunparse
from urllib.robotparser import RobotFileParser

import charset_normalizer
import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from claimwatch.config import Settings

ALLOWED_CONTENT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
)
# Query parameters that track the reader and never change the page.
TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|igshid|ref_src|_hsenc)$")
META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

Resolver = Callable[[str], list[str]]


@dataclass(frozen=True)
class Conditional:
    """What a previous fetch of the URL stored: validators for a conditional GET."""

    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class HttpOutcome:
    """One URL's HTTP exchange; status "ok" or "not_modified" carry a usable answer."""

    status: str  # ok | not_modified | http_error | network_error | timeout | bad_content |
    #              blocked | robots | redirect_loop | bad_url
    status_code: int | None = None
    error: str | None = None
    final_url: str | None = None
    content_type: str = ""
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


class FetchError(Exception):
    """A fetch that cannot go on; status is its class for the fetches table."""

    def __init__(self, status: str, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status, self.message, self.status_code = status, message, status_code


def normalise_url(url: str) -> str:
    """Return the URL one page is known by: lower-case scheme and host, no fragment, no
    tracking parameters ("utm_source", "fbclid"), no default port."""
    parts = urlparse(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in {None, default} else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMS.match(k)])
    return urlunparse((parts.scheme.lower(), netloc, parts.path or "/", "", query, ""))


def resolve_host(host: str) -> list[str]:
    """Return every address the host name resolves to."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})


def refused_address(address: str, allowed: tuple[str, ...]) -> bool:
    """True for loopback, private, link-local, reserved, multicast or unspecified addresses
    that the configuration does not explicitly allow."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if any(ip in ipaddress.ip_network(a, strict=False) for a in allowed):
        return False
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def check_destination(url: str, settings: Settings, resolve: Resolver) -> None:
    """Raise FetchError("blocked") unless every address of the URL's host is public or
    allowed: no page may make claimwatch read an internal service."""
    parts = urlparse(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError("bad_url", f"not an http(s) URL: {url}")
    host = parts.hostname
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = resolve(host)
        except (socket.gaierror, UnicodeError) as err:
            raise FetchError("network_error", f"cannot resolve {host} ({err})") from None
    for address in addresses:
        if refused_address(address, settings.allow_addresses):
            raise FetchError(
                "blocked",
                f"{host} resolves to {address}, an internal address "
                "(allow it with CLAIMWATCH_ALLOW_ADDRESSES)",
            )


class CappedRetry(Retry):
    """urllib3 Retry that honours Retry-After but never waits longer than a cap."""

    max_retry_after: float = 30.0

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), self.max_retry_after)


def make_session(settings: Settings) -> requests.Session:
    """Return one pooled session that retries connection errors, 429 and 5xx with
    exponential backoff; redirects are followed by the Fetcher, one checked hop at a time."""
    CappedRetry.max_retry_after = settings.retry_after_max_s
    retry = CappedRetry(
        total=settings.fetch_retries,
        connect=settings.fetch_retries,
        read=0,  # a page too slow to answer once is not asked again: the deadline is short
        status=settings.fetch_retries,
        redirect=False,
        backoff_factor=settings.fetch_backoff_s,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=("GET", "HEAD"),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry, pool_connections=16, pool_maxsize=16)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = settings.user_agent
    return session


class HostGate:
    """Per-host politeness: at most `limit` requests in flight and `delay` seconds between
    the starts of two requests to one host."""

    def __init__(self, limit: int, delay: float):
        self._limit, self._delay = max(1, limit), delay
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    def enter(self, host: str) -> threading.Semaphore:
        with self._lock:
            slot = self._slots.setdefault(host, threading.Semaphore(self._limit))
        slot.acquire()
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + self._delay
        if start > now:
            time.sleep(start - now)
        return slot


class Fetcher:
    """Fetches pages for one run: one session, one robots.txt per host, polite per host.
    Safe to share between threads."""

    def __init__(self, settings: Settings, resolve: Resolver = resolve_host):
        self.settings = settings
        self.resolve = resolve
        self.session = make_session(settings)
        self.gate = HostGate(settings.per_host_limit, settings.host_delay_s)
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, conditional: Conditional | None = None) -> HttpOutcome:
        """Return the outcome of fetching url; never raises for a bad URL or host."""
        deadline = time.monotonic() + self.settings.fetch_deadline_s
        try:
            if self.settings.respect_robots and not self.allowed_by_robots(url, deadline):
                raise FetchError("robots", f"robots.txt of {urlparse(url).netloc} disallows it")
            return self._follow(url, conditional, deadline)
        except FetchError as err:
            return HttpOutcome(err.status, err.status_code, err.message)
        except requests.RequestException as err:
            if is_timeout(err):
                limit = f"{self.settings.fetch_timeout_s:g}s"
                return HttpOutcome("timeout", None, f"no answer within {limit}")
            return HttpOutcome("network_error", None, one_line(err))

    def allowed_by_robots(self, url: str, deadline: float) -> bool:
        """True when the host's robots.txt (fetched once per run) lets our User-Agent in.
        A missing robots.txt (4xx) allows everything; an unreachable one (5xx) nothing."""
        parts = urlparse(url)
        root = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            if root not in self._robots:
                self._robots[root] = self._load_robots(root, deadline)
            parser = self._robots[root]
        return True if parser is None else parser.can_fetch(self.settings.user_agent, url)

    def _load_robots(self, root: str, deadline: float) -> RobotFileParser | None:
        parser = RobotFileParser(root + "/robots.txt")
        try:
            outcome = self._follow(root + "/robots.txt", None, deadline, robots=True)
        except (FetchError, requests.RequestException):
            return None  # the page fetch itself will say what is wrong with the host
        if outcome.status_code is not None and outcome.status_code >= 500:
            parser.disallow_all = True
        elif outcome.status == "ok":
            parser.parse(decode_body(outcome.body, outcome.content_type).splitlines())
        else:
            return None
        return parser

    def _follow(
        self, url: str, conditional: Conditional | None, deadline: float, robots: bool = False
    ) -> HttpOutcome:
        """Fetch url, following redirects one hop at a time, each hop checked by the guard."""
        seen: list[str] = []
        for _ in range(self.settings.max_redirects + 1):
            check_destination(url, self.settings, self.resolve)
            if url in seen:
                raise FetchError("redirect_loop", f"redirect loop at {url}")
            seen.append(url)
            outcome, location = self._exchange(url, conditional, deadline, robots)
            if location is None:
                return outcome
            url = urljoin(url, location)
        raise FetchError("redirect_loop", f"more than {self.settings.max_redirects} redirects")

    def _exchange(
        self, url: str, conditional: Conditional | None, deadline: float, robots: bool
    ) -> tuple[HttpOutcome, str | None]:
        headers = conditional_headers(conditional)
        host = urlparse(url).netloc
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timeout", f"over the {self.settings.fetch_deadline_s:g}s deadline")
        timeout = (min(5.0, remaining), min(self.settings.fetch_timeout_s, remaining))
        slot = self.gate.enter(host)
        try:
            with self.session.get(
                url, headers=headers, timeout=timeout, stream=True, allow_redirects=False
            ) as response:
                code = response.status_code
                if code in {301, 302, 303, 307, 308} and response.headers.get("Location"):
                    return HttpOutcome("redirect", code), response.headers["Location"]
                if code == 304 and conditional is not None:
                    return HttpOutcome("not_modified", code, final_url=url), None
                if code >= 400:
                    if robots:
                        return HttpOutcome("http_error", code, f"HTTP {code}"), None
                    raise FetchError("http_error", f"HTTP {code}", code)
                content_type = response.headers.get("Content-Type", "text/html").lower()
                if not content_type.startswith(ALLOWED_CONTENT_TYPES):
                    raise FetchError(
                        "bad_content", f"content type {content_type!r} is not a page", code
                    )
                body = read_capped(response, self.settings.max_document_bytes, deadline)
                return (
                    HttpOutcome(
                        "ok",
                        code,
                        final_url=url,
                        content_type=content_type,
                        body=body,
                        etag=response.headers.get("ETag"),
                        last_modified=response.headers.get("Last-Modified"),
                    ),
                    None,
                )
        finally:
            slot.release()


def is_timeout(err: requests.RequestException) -> bool:
    """True for a timeout, also when urllib3 wrapped it after its retries ran out."""
    if isinstance(err, requests.Timeout):
        return True
    reason = getattr(err.args[0], "reason", None) if err.args else None
    if isinstance(reason, urllib3.exceptions.NewConnectionError):
        return False  # urllib3 files "connection refused" under connect timeouts
    return isinstance(reason, (urllib3.exceptions.TimeoutError, TimeoutError))


def conditional_headers(conditional: Conditional | None) -> dict[str, str]:
    if conditional is None:
        return {}
    headers = {}
    if conditional.etag:
        headers["If-None-Match"] = conditional.etag
    if conditional.last_modified:
        headers["If-Modified-Since"] = conditional.last_modified
    return headers


def read_capped(response: requests.Response, cap: int, deadline: float) -> bytes:
    """Return the (decompressed) body, refusing more than cap bytes or a body still
    arriving at the deadline; neither is ever read whole."""
    chunks, size = [], 0
    for chunk in iter_body(response):
        size += len(chunk)
        if size > cap:
            raise FetchError("bad_content", f"over the {cap}-byte cap", response.status_code)
        if time.monotonic() > deadline:
            raise FetchError("timeout", "body still arriving at the deadline", response.status_code)
        chunks.append(chunk)
    return b"".join(chunks)


def iter_body(response: requests.Response) -> Iterator[bytes]:
    """Yield the decompressed body as it arrives: read1 returns whatever bytes are there,
    so a page that drips a byte at a time is checked against the deadline at every byte."""
    try:
        while chunk := response.raw.read1(65536, decode_content=True):
            yield chunk
    except urllib3.exceptions.ReadTimeoutError:
        raise FetchError("timeout", "the body stopped arriving", response.status_code) from None
    except (urllib3.exceptions.ProtocolError, OSError) as err:
        raise FetchError("network_error", f"connection broken mid-body ({one_line(err)})") from None
    except urllib3.exceptions.DecodeError as err:
        raise FetchError("bad_content", f"cannot decompress the body ({one_line(err)})") from None


def decode_body(body: bytes, content_type: str) -> str:
    """Return the body as text: the charset the headers declare if it decodes, else the one a
    meta tag declares, else the one detection finds; mis-declared pages still decode."""
    for charset in (header_charset(content_type), meta_charset(body)):
        if charset:
            try:
                return body.decode(charset)
            except (UnicodeDecodeError, LookupError):
                continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        return str(best)
    return body.decode("utf-8", errors="replace")


def header_charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"'")
    return None


def meta_charset(body: bytes) -> str | None:
    match = META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def one_line(err: BaseException) -> str:
    return " ".join(str(err).split())[:300]
