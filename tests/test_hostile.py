"""What a hostile tester tried against the fetcher, each on real servers bound to loopback
addresses only (127.0.0.2, 127.0.0.3 and [::1] stand in for "internal" and "public" hosts):
redirects that parsers read differently, DNS answers that change, headers sent a byte at a
time, bodies that never end, a Retry-After of an hour, an unknown charset."""

from __future__ import annotations

import http.server
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from claimwatch.fetch import Fetcher, UnsafeUrl, decode_body, normalise_url
from claimwatch.sources import fetch_source, link_source, load_registry
from tests.conftest import QuietHandler, loopback_server, make_settings

PUBLIC = "127.0.0.3"  # plays a public host: the only address the tests allow
INTERNAL = "127.0.0.2"  # plays an internal service: nothing may ever reach it
SECRET = "internal admin page: the secret"
PAGE = (
    "<html><head><title>{title}</title></head><body><article><p>{text}</p></article></body></html>"
)
NEWS = "Ten government agencies issued a joint statement on Friday about cryptocurrency."


@dataclass
class Host:
    """One loopback server and what it saw."""

    address: str
    port: int
    hits: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)  # Host headers received
    routes: dict[str, object] = field(default_factory=dict)

    def url(self, path: str) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"http://{host}:{self.port}{path}"


class RouteHandler(QuietHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        state: Host = self.server.state  # type: ignore[attr-defined]
        state.hits.append(self.path)
        state.hosts.append(self.headers.get("Host", ""))
        route = state.routes.get(self.path)
        if self.path == "/robots.txt" or route is None:
            self.send(404, b"not found", "text/plain")
        elif callable(route):
            route(self)
        else:
            code, body, content_type, headers = route
            self.send(code, body, content_type, headers)


@contextmanager
def host_at(address: str, **routes: object) -> Iterator[Host]:
    """Serve routes on a loopback address (a free port) for the block."""
    with loopback_server(RouteHandler, address) as server:
        state = Host(address, server.server_address[1], routes=dict(routes))
        server.state = state  # type: ignore[attr-defined]
        yield state


def html(title: str, text: str) -> tuple[int, bytes, str, dict]:
    return 200, PAGE.format(title=title, text=text).encode(), "text/html; charset=utf-8", {}


def redirect(location: str) -> tuple[int, bytes, str, dict]:
    return 302, b"", "text/plain", {"Location": location}


def fetcher_for(tmp_path: Path, allow: tuple[str, ...] = (f"{PUBLIC}/32",), **overrides) -> Fetcher:
    return Fetcher(make_settings(tmp_path, allow_addresses=allow, **overrides))


@pytest.fixture
def internal() -> Iterator[Host]:
    with host_at(INTERNAL, **{"/x": html("Admin", SECRET), "/good": html("Admin", SECRET)}) as h:
        yield h


# --- 1. SSRF through a redirect --------------------------------------------------------


@pytest.mark.parametrize(
    "location",
    [
        "http://{internal}:{port}\\@{public}/x",  # urllib.parse: host public; urllib3: internal
        "http://{internal}:{port}/x",  # a plain redirect to an internal address
        "http://{public}@{internal}:{port}/x",  # userinfo that looks like the host
        "http://{internal}:{port}/x#\\@{public}",
        "http://[::ffff:{internal}]:{port}/x",  # an IPv4-mapped IPv6 literal
    ],
)
def test_a_redirect_never_reaches_an_internal_address(tmp_path, internal: Host, location: str):
    target = location.format(internal=INTERNAL, port=internal.port, public=PUBLIC)
    with host_at(PUBLIC, **{"/bs": redirect(target)}) as public:
        fetcher = fetcher_for(tmp_path)
        outcome = fetcher.get(public.url("/bs"))
        fetcher.close()
    assert outcome.status in {"bad_url", "blocked", "network_error"}, outcome
    assert outcome.status != "ok" and SECRET.encode() not in outcome.body
    assert internal.hits == [], "the internal service was reached"


def test_a_cited_link_that_redirects_inward_is_not_stored(tmp_path, internal: Host):
    target = f"http://{INTERNAL}:{internal.port}\\@{PUBLIC}/x"
    with host_at(PUBLIC, **{"/cited": redirect(target)}) as public:
        settings = make_settings(tmp_path, allow_addresses=(f"{PUBLIC}/32",))
        fetcher = Fetcher(settings)
        result = fetch_source(link_source(public.url("/cited")), fetcher, settings)
        fetcher.close()
    assert result.status == "bad_url" and "backslash" in result.error
    assert result.text is None and internal.hits == []


def test_the_connection_uses_the_address_the_guard_checked(tmp_path):
    """A name only our resolver knows: the page arrives, so the socket went to the checked
    address (the system resolver would have failed), with the name kept in Host."""
    with host_at(PUBLIC, **{"/good": html("News", NEWS)}) as public:
        settings = make_settings(tmp_path, allow_addresses=(f"{PUBLIC}/32",))
        fetcher = Fetcher(settings, resolve=lambda host: [PUBLIC])
        outcome = fetcher.get(f"http://news.invalid:{public.port}/good")
        fetcher.close()
    assert outcome.status == "ok", outcome
    assert f"news.invalid:{public.port}" in public.hosts


def test_a_dns_answer_that_changes_after_the_check_is_not_followed(tmp_path, internal: Host):
    """Rebinding: the first answer is allowed, every later one internal. Each connection
    resolves once and connects to what it checked, so the internal host is never reached."""
    answers = iter([PUBLIC])

    def rebinding(host: str) -> list[str]:
        return [next(answers, INTERNAL)]

    with host_at(PUBLIC, **{"/x": html("News", NEWS)}):
        settings = make_settings(tmp_path, allow_addresses=(f"{PUBLIC}/32",), respect_robots=False)
        fetcher = Fetcher(settings, resolve=rebinding)
        first = fetcher.get(f"http://rebind.invalid:{internal.port}/x")
        fetcher.close()
    # The first connection went to PUBLIC (nothing listens on that port there) or was
    # refused; whichever, INTERNAL on the same port never saw a request.
    assert first.status != "ok"
    assert internal.hits == []


# --- 10. IPv6 literals keep their brackets ---------------------------------------------


def ipv6_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def test_ipv6_literals_are_normalised_with_brackets_and_checked():
    assert normalise_url("http://[::1]:18080/x") == "http://[::1]:18080/x"
    assert normalise_url("HTTP://[2001:DB8::1]/a#f") == "http://[2001:db8::1]/a"
    with pytest.raises(UnsafeUrl, match="not a valid URL"):
        normalise_url("http://[::1")


@pytest.mark.skipif(not ipv6_available(), reason="this machine has no IPv6 loopback")
def test_an_allowed_ipv6_source_is_fetched_and_a_refused_one_blocked(tmp_path):
    with host_at("::1", **{"/good": html("Six", NEWS)}) as six:
        registry = tmp_path / "sources.csv"
        registry.write_text(f"url,outlet\n{six.url('/good')},Six\n")
        (source,) = load_registry(registry)  # normalised as every registry URL is
        results = {}
        for name, allow in (("allowed", ("::1/128",)), ("refused", (f"{PUBLIC}/32",))):
            settings = make_settings(tmp_path, allow_addresses=allow)
            fetcher = Fetcher(settings)
            results[name] = fetch_source(source, fetcher, settings)
            fetcher.close()
    assert source.url == six.url("/good")
    assert (
        results["allowed"].status == "ok" and "Ten government agencies" in results["allowed"].text
    )
    assert results["refused"].status == "blocked" and "::1" in results["refused"].error
    assert six.hits.count("/good") == 1


# --- 2. One deadline from the first byte sent to the last byte read ----------------------


def header_drip(handler: http.server.BaseHTTPRequestHandler) -> None:
    """Status line and headers one byte every 0.3 s: every read is in time, the whole never."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"p" * 200 + b"\r\n\r\n"
    try:
        for byte in head:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.3)
    except (BrokenPipeError, ConnectionResetError):
        pass
    handler.close_connection = True


def endless_body(handler: http.server.BaseHTTPRequestHandler) -> None:
    """A body with no length that sends a line every 0.3 s until the client hangs up."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")
    handler.end_headers()
    try:
        for _ in range(200):
            handler.wfile.write(b"<p>still going</p>\n")
            handler.wfile.flush()
            time.sleep(0.3)
    except (BrokenPipeError, ConnectionResetError):
        pass
    handler.close_connection = True


@pytest.mark.parametrize("path", ["/head-drip", "/endless"])
def test_a_url_never_runs_past_its_deadline(tmp_path, path: str):
    routes = {"/head-drip": header_drip, "/endless": endless_body}
    with host_at(PUBLIC, **routes) as public:
        fetcher = fetcher_for(tmp_path, fetch_deadline_s=1.5, fetch_timeout_s=1.0)
        started = time.monotonic()
        outcome = fetcher.get(public.url(path))
        elapsed = time.monotonic() - started
        fetcher.close()
    assert outcome.status == "timeout" and "1.5s deadline" in outcome.error, outcome
    assert outcome.body == b""
    # The server would go on for 60 s: a fetch still running at 30 s ignored the deadline.
    # (A tighter bound would measure the machine's load, not claimwatch.)
    assert elapsed < 30.0, f"took {elapsed:.1f}s against a 1.5s deadline"


# --- 9. Retry-After counts against the deadline -----------------------------------------


def test_a_retry_after_past_the_deadline_gives_up_at_once(tmp_path):
    busy = (503, b"come back later", "text/plain", {"Retry-After": "3600"})
    with host_at(PUBLIC, **{"/busy": busy}) as public:
        fetcher = fetcher_for(tmp_path, fetch_deadline_s=5.0, fetch_retries=2)
        started = time.monotonic()
        outcome = fetcher.get(public.url("/busy"))
        elapsed = time.monotonic() - started
        fetcher.close()
    assert outcome.status == "http_error" and outcome.status_code == 503
    assert "retry after 3600s" in outcome.error and "deadline" in outcome.error
    assert public.hits.count("/busy") == 1 and elapsed < 30.0  # not the 3,600 s asked


def test_a_short_retry_after_within_the_deadline_is_honoured(tmp_path):
    calls: list[float] = []

    def busy_once(handler) -> None:
        calls.append(time.monotonic())
        if len(calls) == 1:
            handler.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
        else:
            handler.send(200, PAGE.format(title="Busy", text=NEWS).encode(), "text/html")

    with host_at(PUBLIC, **{"/busy": busy_once}) as public:
        fetcher = fetcher_for(tmp_path, fetch_deadline_s=5.0)
        outcome = fetcher.get(public.url("/busy"))
        fetcher.close()
    assert outcome.status == "ok" and len(calls) == 2 and calls[1] - calls[0] >= 0.9


# --- 11. An unknown charset falls back to detection --------------------------------------


@pytest.mark.parametrize(
    "text, encoding",
    [
        (PAGE.format(title="Café Zürich", text="Café Zürich"), "latin-1"),
        ("<p>Café Zürich served crème brûlée to the agencies.</p>", "latin-1"),
        ("<p>Привет, это тестовый текст на русском языке, и он довольно длинный.</p>", "cp1251"),
        ("<p>Zażółć gęślą jaźń, powiedział minister w Warszawie.</p>", "cp1250"),
        ("<p>日本語のテキストです。東京で会議が開かれました。</p>", "shift_jis"),
    ],
)
def test_an_unknown_declared_charset_falls_back_to_detection(text: str, encoding: str):
    assert decode_body(text.encode(encoding), "text/html; charset=foobar-9") == text
