"""HTTP fetching that survives the real web: bounded in time and size, polite to hosts,
guarded against internal addresses, conditional on what is already stored.

The guard lives in the connection itself: the host urllib3 is about to connect to is
resolved once, every address checked, and the socket opened to exactly a checked address.
What the guard reads is therefore what the connection uses, whatever a URL parser makes of
the URL, and a DNS answer that changes between check and connect cannot slip through."""

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
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, LocationParseError, NewConnectionError
from urllib3.util import connection as urllib3_connection
from urllib3.util import parse_url
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
# Characters two URL parsers read differently (urllib.parse and urllib3 split "a\@b" and
# "a b" at different places), or that no URL sent on the wire may carry.
AMBIGUOUS_URL_CHARS = re.compile(r"[\\\x00-\x20\x7f]")

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


class UnsafeUrl(ValueError):
    """A URL claimwatch will not use: malformed, not http(s), or read differently by
    different parsers. The message says why, in one line."""


def normalise_url(url: str) -> str:
    """Return the URL one page is known by: lower-case scheme and host, no fragment, no
    tracking parameters ("utm_source", "fbclid"), no default port, IPv6 hosts in brackets.

    Raises UnsafeUrl for a URL that is not plain http(s) or that parsers could disagree on:
    backslashes, whitespace, control characters, user names, a bad port or host."""
    text = url.strip()
    shown = text[:120]
    if AMBIGUOUS_URL_CHARS.search(text):
        raise UnsafeUrl(f"{shown!r}: backslash, space or control character in the URL")
    try:
        parts = urlparse(text)
        port = parts.port
        theirs = parse_url(text)  # the parser urllib3 connects with
    except (ValueError, LocationParseError) as err:
        raise UnsafeUrl(f"{shown!r}: not a valid URL ({one_line(err)})") from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise UnsafeUrl(f"{shown!r}: not an http(s) URL")
    if "@" in parts.netloc:
        raise UnsafeUrl(f"{shown!r}: user names and passwords in URLs are not fetched")
    host = (parts.hostname or "").lower()
    if not host or "%" in host:
        raise UnsafeUrl(f"{shown!r}: no usable host name")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")  # what goes to DNS and on the wire
        except UnicodeError:
            raise UnsafeUrl(f"{shown!r}: host name is not valid IDNA") from None
    if (theirs.host or "").strip("[]").lower() != host or (theirs.port or None) != port:
        raise UnsafeUrl(f"{shown!r}: host read differently by the HTTP library")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets
    default = {"http": 80, "https": 443}[scheme]
    netloc = host if port in {None, default} else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMS.match(k)])
    return urlunparse((scheme, netloc, parts.path or "/", "", query, ""))


def normalised_or_none(url: str) -> str | None:
    """Return normalise_url(url), or None for a URL claimwatch will not use (links and
    feed items that point somewhere unusable are skipped, not errors)."""
    try:
        return normalise_url(url)
    except UnsafeUrl:
        return None


def resolve_host(host: str) -> list[str]:
    """Return every address the host name resolves to."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})


def refused_address(address: str, allowed: tuple[str, ...]) -> bool:
    """True for loopback, private, link-local, reserved, multicast or unspecified addresses
    that the configuration does not explicitly allow."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
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


@dataclass(frozen=True)
class AddressGuard:
    """Resolves a host and returns its addresses only when every one is public or allowed:
    no page may make claimwatch read an internal service."""

    allowed: tuple[str, ...]
    resolve: Resolver

    def addresses(self, host: str) -> list[str]:
        bare = host.strip("[]").rstrip(".")
        try:
            found = [str(ipaddress.ip_address(bare))]
        except ValueError:
            try:
                found = self.resolve(bare)
            except (OSError, UnicodeError) as err:
                raise FetchError("network_error", f"cannot resolve {bare} ({err})") from None
        if not found:
            raise FetchError("network_error", f"{bare} resolves to no address")
        for address in found:
            if refused_address(address, self.allowed):
                raise FetchError(
                    "blocked",
                    f"{bare} resolves to {address}, an internal address "
                    "(allow it with CLAIMWATCH_ALLOW_ADDRESSES)",
                )
        return found


class Deadline:
    """One URL's time limit, from the first byte sent to the last byte read, redirects,
    retries and Retry-After waits included. A timer shuts the socket of the exchange in
    flight when it passes, so neither a header nor a body sent a byte at a time can hold a
    run past it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at: float | None = None  # set when the first request goes out
        self.expired = False
        self._socket: socket.socket | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return self.seconds if self.at is None else self.at - time.monotonic()

    def start(self) -> None:
        """Start the clock as a request goes out (the first one starts it); refuse to send
        one past the deadline."""
        with self._lock:
            if self.at is None:
                self.at = time.monotonic() + self.seconds
                self._timer = threading.Timer(self.seconds, self._expire)
                self._timer.daemon = True
                self._timer.start()
        if self.expired or self.remaining() <= 0:
            raise FetchError("timeout", f"over the {self.seconds:g}s deadline")

    def watch(self, sock: socket.socket | None) -> None:
        """Watch the socket whose answer is being read; it is shut when the time is up.
        (The socket itself, not its connection: http.client lets go of the connection's
        socket while a close-delimited body is still being read from it.)"""
        with self._lock:
            self._socket = sock
            expired = self.expired
        if expired:
            self._expire()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sock = self._socket
        if sock is not None:
            try:
                # The plain socket's shutdown, also under TLS: it wakes the reading thread.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._socket = None


_current = threading.local()  # the Deadline of the URL this thread is fetching


def current_deadline() -> Deadline | None:
    return getattr(_current, "deadline", None)


class GuardedConnectionMixin:
    """Connects only to an address the guard checked, and puts every request under the
    current URL's deadline."""

    guard: AddressGuard

    def _new_conn(self) -> socket.socket:
        failure: OSError | None = None
        for address in self.guard.addresses(self._dns_host):  # type: ignore[attr-defined]
            try:
                return urllib3_connection.create_connection(
                    (address, self.port),  # type: ignore[attr-defined]
                    self.timeout,  # type: ignore[attr-defined]
                    source_address=self.source_address,  # type: ignore[attr-defined]
                    socket_options=self.socket_options,  # type: ignore[attr-defined]
                )
            except TimeoutError as err:
                raise ConnectTimeoutError(self, f"connect to {address} timed out") from err
            except OSError as err:
                failure = err
        raise NewConnectionError(self, f"Failed to establish a new connection: {failure}")

    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        deadline = current_deadline()
        if deadline is not None:
            deadline.start()
        return super().request(*args, **kwargs)  # type: ignore[misc]

    def getresponse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        deadline = current_deadline()
        if deadline is not None:
            deadline.watch(self.sock)  # type: ignore[attr-defined]
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]


def guarded_pool_classes(guard: AddressGuard) -> dict[str, type[HTTPConnectionPool]]:
    """Return connection pool classes for http and https whose connections use the guard."""
    http_conn = type("GuardedHTTPConnection", (GuardedConnectionMixin, HTTPConnection), {})
    https_conn = type("GuardedHTTPSConnection", (GuardedConnectionMixin, HTTPSConnection), {})
    http_conn.guard = https_conn.guard = guard
    return {
        "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }


class DeadlineRetry(Retry):
    """urllib3 Retry whose waits (backoff and Retry-After) count against the URL's
    deadline: a wait that would end past it gives up now instead of sleeping."""

    def sleep(self, response=None) -> None:  # type: ignore[no-untyped-def]
        asked = self.get_retry_after(response) if response is not None else None
        wait = asked if asked is not None else self.get_backoff_time()
        deadline = current_deadline()
        if deadline is not None and wait > deadline.remaining():
            if asked is not None:
                code = response.status
                raise FetchError(
                    "http_error",
                    f"HTTP {code}: asked to retry after {asked:g}s, past the "
                    f"{deadline.seconds:g}s deadline",
                    code,
                )
            raise FetchError("timeout", f"over the {deadline.seconds:g}s deadline")
        if wait > 0:
            time.sleep(wait)


def make_session(settings: Settings, guard: AddressGuard) -> requests.Session:
    """Return one pooled session that connects only where the guard allows and retries
    connection errors, 429 and 5xx with exponential backoff; redirects are followed by the
    Fetcher, one checked hop at a time."""
    retry = DeadlineRetry(
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
    # No proxy, .netrc or CA bundle from the environment: the guard must see the real
    # destination, and credentials on this machine are never sent to a page.
    session.trust_env = False
    adapter = HTTPAdapter(max_retries=retry, pool_connections=16, pool_maxsize=16)
    adapter.poolmanager.pool_classes_by_scheme = guarded_pool_classes(guard)
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
        self.session = make_session(settings, AddressGuard(settings.allow_addresses, resolve))
        self.gate = HostGate(settings.per_host_limit, settings.host_delay_s)
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, conditional: Conditional | None = None) -> HttpOutcome:
        """Return the outcome of fetching url; never raises for a bad URL or host. The whole
        URL, robots.txt, redirects, retries and waits included, runs under one deadline."""
        deadline = Deadline(self.settings.fetch_deadline_s)
        _current.deadline = deadline
        try:
            outcome = self._get(url, conditional)
        finally:
            deadline.cancel()
            _current.deadline = None
        if deadline.expired and outcome.status != "ok":
            return HttpOutcome(
                "timeout",
                outcome.status_code,
                f"over the {deadline.seconds:g}s deadline (headers or body still arriving)",
            )
        return outcome

    def _get(self, url: str, conditional: Conditional | None) -> HttpOutcome:
        try:
            url = normalise_url(url)
            if self.settings.respect_robots and not self.allowed_by_robots(url):
                raise FetchError("robots", f"robots.txt of {urlparse(url).netloc} disallows it")
            return self._follow(url, conditional)
        except UnsafeUrl as err:
            return HttpOutcome("bad_url", None, str(err))
        except FetchError as err:
            return HttpOutcome(err.status, err.status_code, err.message)
        except requests.RequestException as err:
            if is_timeout(err):
                limit = f"{self.settings.fetch_timeout_s:g}s"
                return HttpOutcome("timeout", None, f"no answer within {limit}")
            return HttpOutcome("network_error", None, one_line(err))

    def allowed_by_robots(self, url: str) -> bool:
        """True when the host's robots.txt (fetched once per run) lets our User-Agent in.
        A missing robots.txt (4xx) allows everything; an unreachable one (5xx) nothing."""
        parts = urlparse(url)
        root = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            if root not in self._robots:
                self._robots[root] = self._load_robots(root)
            parser = self._robots[root]
        return True if parser is None else parser.can_fetch(self.settings.user_agent, url)

    def _load_robots(self, root: str) -> RobotFileParser | None:
        parser = RobotFileParser(root + "/robots.txt")
        try:
            outcome = self._follow(root + "/robots.txt", None, robots=True)
        except (FetchError, UnsafeUrl, requests.RequestException):
            return None  # the page fetch itself will say what is wrong with the host
        if outcome.status_code is not None and outcome.status_code >= 500:
            parser.disallow_all = True
        elif outcome.status == "ok":
            parser.parse(decode_body(outcome.body, outcome.content_type).splitlines())
        else:
            return None
        return parser

    def _follow(
        self, url: str, conditional: Conditional | None, robots: bool = False
    ) -> HttpOutcome:
        """Fetch url, following redirects one hop at a time; every hop's target is
        normalised like any URL, and its connection guarded like any connection."""
        seen: list[str] = []
        for _ in range(self.settings.max_redirects + 1):
            if url in seen:
                raise FetchError("redirect_loop", f"redirect loop at {url}")
            seen.append(url)
            outcome, location = self._exchange(url, conditional, robots)
            if location is None:
                return outcome
            try:
                url = normalise_url(urljoin(url, location))
            except UnsafeUrl as err:
                raise FetchError(
                    "bad_url", f"redirect refused: {err}", outcome.status_code
                ) from None
        raise FetchError("redirect_loop", f"more than {self.settings.max_redirects} redirects")

    def _exchange(
        self, url: str, conditional: Conditional | None, robots: bool
    ) -> tuple[HttpOutcome, str | None]:
        headers = conditional_headers(conditional)
        host = urlparse(url).netloc
        deadline = current_deadline()
        remaining = deadline.remaining() if deadline else self.settings.fetch_deadline_s
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
                body = read_capped(response, self.settings.max_document_bytes)
                if deadline is not None and deadline.expired:
                    # A body without a length ends quietly when the watchdog shuts the socket.
                    raise FetchError("timeout", "body still arriving at the deadline", code)
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


def read_capped(response: requests.Response, cap: int) -> bytes:
    """Return the (decompressed) body, refusing more than cap bytes; it is never read
    whole. The URL's deadline watchdog cuts off a body that keeps arriving."""
    chunks, size = [], 0
    for chunk in iter_body(response):
        size += len(chunk)
        if size > cap:
            raise FetchError("bad_content", f"over the {cap}-byte cap", response.status_code)
        chunks.append(chunk)
    return b"".join(chunks)


def iter_body(response: requests.Response) -> Iterator[bytes]:
    """Yield the decompressed body as it arrives: read1 returns whatever bytes are there,
    and the socket errors of a body cut off by the deadline become FetchErrors."""
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
    detected = detect_charset(body)
    if detected is not None:
        return body.decode(detected, errors="replace")
    return body.decode("utf-8", errors="replace")


# The encoding the HTML standard falls back to for an undeclared Western page.
WEB_FALLBACK_CHARSET = "cp1252"


def detect_charset(body: bytes) -> str | None:
    """Return the encoding detection finds for the body. A short text reads cleanly in many
    single-byte encodings ("Café Zürich" as cp1252, cp1250 or cp775), and the language
    guess that ranks them is noise on a few words; so when the web's own fallback decodes
    the body as cleanly as the best, it wins."""
    matches = list(charset_normalizer.from_bytes(body))
    if not matches:
        return None
    best = min(matches, key=lambda m: (m.chaos, -m.coherence))
    for match in matches:
        if match.chaos <= best.chaos and WEB_FALLBACK_CHARSET in match.could_be_from_charset:
            return WEB_FALLBACK_CHARSET
    return best.encoding


def header_charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"'")
    return None


def meta_charset(body: bytes) -> str | None:
    match = META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def one_line(err: object) -> str:
    return " ".join(str(err).split())[:300]
