"""Fault suite: the fetcher against a real HTTP server on 127.0.0.1 that misbehaves on
purpose. No test sends a packet beyond loopback: the address guard is exercised with a
loopback address left off the allow-list and with a stubbed name resolver."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from claimwatch import batch, pipeline
from claimwatch.fetch import Conditional, Fetcher, decode_body, normalise_url, refused_address
from claimwatch.sources import load_registry
from tests.conftest import QuietHandler, loopback_server, make_settings

PAGE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>{text}</p></article><footer>Fixture footer</footer></body></html>"
)
GOOD_TEXT = (
    "Ten government agencies issued a joint statement on Friday declaring every "
    "cryptocurrency transaction illegal, the central bank said in Beijing."
)
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
ARTICLE_PAGE = """<html><head><title>Crypto ban | Example News</title>
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2021-09-24T09:30:00Z">
<link rel="canonical" href="/article"></head>
<body><nav><a href="/">Home</a></nav><article><h1>China bans crypto trading</h1>
<p>Ten government agencies issued a joint statement on Friday, the central bank said.</p>
<p>Every cryptocurrency transaction is illegal, according to <a href="/good?utm_source=feed">the
notice</a>. A <a href="/latin1#top">cafe owner</a> was unmoved. <a href="/article">Share</a></p>
</article><footer>Subscribe now</footer></body></html>"""
HUGE_BYTES = 50 * 1024 * 1024


def rss(base: str) -> bytes:
    """A feed with one relevant item, one from another month and one on another subject."""
    items = [
        (
            "Government agencies declare cryptocurrency transactions illegal",
            "/good",
            "Fri, 24 Sep 2021 09:00:00 GMT",
        ),
        (
            "Government agencies declare cryptocurrency transactions illegal",
            "/old-news",
            "Mon, 01 Mar 2021 09:00:00 GMT",
        ),
        ("Local bakery wins a prize for its bread", "/bakery", "Fri, 24 Sep 2021 10:00:00 GMT"),
    ]
    body = "".join(
        f"<item><title>{title}</title><link>{base}{link}</link><pubDate>{when}</pubDate></item>"
        for title, link, when in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{body}</channel></rss>'.encode()


def page(title: str, text: str) -> bytes:
    return PAGE.format(title=title, text=text).encode("utf-8")


@dataclass
class FaultServer:
    base_url: str
    port: int
    hits: dict[str, int] = field(default_factory=dict)
    huge_sent: list[int] = field(default_factory=list)
    conditional: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


class FaultHandler(QuietHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # one branch per fault, on purpose
        state: FaultServer = self.server.state  # type: ignore[attr-defined]
        path = self.path
        state.hits[path] = state.hits.get(path, 0) + 1
        hits = state.hits[path]
        if path == "/robots.txt":
            self.send(200, ROBOTS, "text/plain")
        elif path == "/good":
            self.send(200, page("Agencies ban crypto", GOOD_TEXT), "text/html; charset=utf-8")
        elif path == "/slow":
            time.sleep(2.5)
            self.send(200, page("Late", "This answer comes too late to count."), "text/html")
        elif path == "/drip":
            self.drip()
        elif path == "/flaky":
            if hits == 1:
                self.send(500, b"try again", "text/plain")
            else:
                self.send(200, page("Flaky", "The second attempt at this page works."), "text/html")
        elif path == "/busy":
            if hits == 1:
                self.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            else:
                self.send(200, page("Busy", "After waiting, the busy page answers."), "text/html")
        elif path == "/loop-a":
            self.send(302, b"", "text/plain", {"Location": "/loop-b"})
        elif path == "/loop-b":
            self.send(302, b"", "text/plain", {"Location": "/loop-a"})
        elif path == "/to-internal":
            target = f"http://127.0.0.2:{state.port}/good"
            self.send(302, b"", "text/plain", {"Location": target})
        elif path == "/huge":
            self.huge(state)
        elif path == "/image":
            self.send(200, b"\x89PNG\r\n\x1a\n" + bytes(500), "image/png")
        elif path == "/pdf":
            self.send(200, b"%PDF-1.4\n" + bytes(500), "application/pdf")
        elif path == "/latin1":
            body = page(
                "Caf\xe9", "The caf\xe9 on the corner sold cr\xe8me br\xfbl\xe9e to the agencies."
            )
            self.send(200, body.decode("utf-8").encode("latin-1"), "text/html")
        elif path == "/bad-utf8":
            body = page("Bytes", "Valid words then broken bytes BROKEN here still make a page.")
            self.send(200, body.replace(b"BROKEN", b"\xff\xfe"), "text/html; charset=utf-8")
        elif path == "/gzip":
            body = gzip.compress(page("Zipped", "The compressed page arrives whole and readable."))
            self.send(200, body, "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
        elif path == "/reset":
            self.reset_mid_body()
        elif path == "/feed.xml":
            self.send(200, rss(state.base_url), "application/rss+xml")
        elif path == "/article":
            self.send(200, ARTICLE_PAGE.encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/private/page":
            self.send(200, page("Private", "Robots should never read this page."), "text/html")
        elif path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                state.conditional.append(path)
                self.send(304, b"", "text/html", {"ETag": '"v1"'})
            else:
                body = page("Tagged", "The tagged page says the same thing every time.")
                self.send(200, body, "text/html; charset=utf-8", {"ETag": '"v1"'})
        else:
            self.send(404, b"not found", "text/plain")

    def drip(self) -> None:
        """A byte every 0.4 s: each read is in time, the whole never is."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.4)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def huge(self, state: FaultServer) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        chunk, sent = b"<p>" + b"a" * 65533, 0
        try:
            while sent < HUGE_BYTES:
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        state.huge_sent.append(sent)

    def reset_mid_body(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<html><body><p>The start of a page that never ends")
        self.wfile.flush()
        # Linger 0 turns the close into a reset; shutdown makes it happen now, while the
        # handler still holds the socket's file objects.
        linger = b"\x01\x00\x00\x00\x00\x00\x00\x00"
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        self.connection.shutdown(socket.SHUT_RDWR)
        self.connection.close()


@pytest.fixture(scope="module")
def faults() -> Iterator[FaultServer]:
    with loopback_server(FaultHandler) as server:
        port = server.server_address[1]
        state = FaultServer(f"http://127.0.0.1:{port}", port)
        server.state = state  # type: ignore[attr-defined]
        yield state


def closed_port() -> int:
    """A loopback port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def fetcher(tmp_path: Path) -> Iterator[Fetcher]:
    settings = make_settings(
        tmp_path, fetch_deadline_s=2.0, max_document_bytes=1_000_000, fetch_retries=2
    )
    active = Fetcher(settings)
    yield active
    active.close()


# (path or URL, expected status, a phrase the error must contain); "" means no error.
FAULTS = [
    ("/good", "ok", ""),
    ("CLOSED", "network_error", "refused"),
    ("/slow", "timeout", ""),
    ("/drip", "timeout", "deadline"),
    ("/flaky", "ok", ""),
    ("/busy", "ok", ""),
    ("/missing", "http_error", "HTTP 404"),
    ("/loop-a", "redirect_loop", "loop"),
    ("/to-internal", "blocked", "127.0.0.2"),
    ("/huge", "bad_content", "cap"),
    ("/image", "bad_content", "image/png"),
    ("/pdf", "bad_content", "application/pdf"),
    ("/latin1", "ok", ""),
    ("/bad-utf8", "ok", ""),
    ("/gzip", "ok", ""),
    ("/reset", "network_error", ""),
    ("/private/page", "robots", "robots.txt"),
]


def fault_url(faults: FaultServer, path: str) -> str:
    return f"http://127.0.0.1:{closed_port()}/x" if path == "CLOSED" else faults.url(path)


@pytest.mark.parametrize("path, status, phrase", FAULTS)
def test_fault(fetcher: Fetcher, faults: FaultServer, path: str, status: str, phrase: str):
    started = time.monotonic()
    outcome = fetcher.get(fault_url(faults, path))
    elapsed = time.monotonic() - started
    assert outcome.status == status, outcome
    assert phrase in (outcome.error or ""), outcome.error
    assert elapsed < 30, "every fault is bounded in time (a hang guard, not a speed test)"


def test_retries_and_retry_after(fetcher: Fetcher, faults: FaultServer):
    started = time.monotonic()
    assert fetcher.get(faults.url("/busy")).status == "ok"
    # The first /busy hit happened in the parametrized run or here; either way Retry-After
    # made this one wait a second unless the page was already past its 429.
    assert faults.hits["/busy"] >= 2
    assert faults.hits["/flaky"] >= 2 if "/flaky" in faults.hits else True
    assert time.monotonic() - started < 30  # a hang guard: Retry-After asked for 1 s


def test_huge_body_is_not_read_whole(fetcher: Fetcher, faults: FaultServer):
    outcome = fetcher.get(faults.url("/huge"))
    assert outcome.status == "bad_content" and outcome.body == b""
    time.sleep(0.2)
    assert faults.huge_sent and min(faults.huge_sent) < HUGE_BYTES


def test_charsets_decode(fetcher: Fetcher, faults: FaultServer):
    latin = fetcher.get(faults.url("/latin1"))
    assert "café" in decode_body(latin.body, latin.content_type)
    broken = fetcher.get(faults.url("/bad-utf8"))
    text = decode_body(broken.body, broken.content_type)
    assert "Valid words then broken bytes" in text and "still make a page" in text
    zipped = fetcher.get(faults.url("/gzip"))
    assert b"compressed page arrives whole" in zipped.body


def test_stubbed_name_resolution_to_a_private_address_is_refused(tmp_path: Path):
    asked: list[str] = []

    def resolve(host: str) -> list[str]:
        asked.append(host)
        return ["10.0.0.5"]

    settings = make_settings(tmp_path)
    outcome = Fetcher(settings, resolve=resolve).get("http://intranet.test/admin")
    assert outcome.status == "blocked" and "10.0.0.5" in outcome.error
    assert set(asked) == {"intranet.test"}  # the guard asked; no connection was made


@pytest.mark.parametrize(
    "address, refused",
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.0.10", True),
        ("169.254.169.254", True),  # cloud metadata
        ("::1", True),
        ("0.0.0.0", True),
        ("93.184.216.34", False),
    ],
)
def test_address_guard(address: str, refused: bool):
    assert refused_address(address, ()) is refused
    assert refused_address(address, ("0.0.0.0/0", "::/0")) is False


def test_url_normalisation_drops_tracking_and_fragments():
    assert (
        normalise_url("HTTPS://Example.COM:443/a?utm_source=x&id=7&fbclid=y#top")
        == "https://example.com/a?id=7"
    )


def test_conditional_get_gets_a_304(fetcher: Fetcher, faults: FaultServer):
    first = fetcher.get(faults.url("/etag"))
    assert first.status == "ok" and first.etag == '"v1"'
    second = fetcher.get(faults.url("/etag"), Conditional(first.etag, first.last_modified))
    assert second.status == "not_modified" and second.status_code == 304 and second.body == b""


def registry(tmp_path: Path, faults: FaultServer) -> Path:
    lines = ["url,outlet,published,tier"]
    for index, (path, _, _) in enumerate(FAULTS):
        lines.append(f"{fault_url(faults, path)},Outlet {index:02d},2021-09-24,2")
    lines.append(f"{faults.url('/etag')},Tagged,2021-09-24,2")
    csv_path = tmp_path / "faults.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return csv_path


def test_a_run_through_every_fault_completes_and_accounts_for_each(
    tmp_path: Path, faults: FaultServer, nlp
):
    article = tmp_path / "article.txt"
    article.write_text(
        " date 2021-09-24 Ten government agencies issued a joint statement on Friday. "
        "Every cryptocurrency transaction is illegal, the central bank said.\n",
        encoding="utf-8",
    )
    settings = make_settings(
        tmp_path, registry(tmp_path, faults), fetch_deadline_s=2.0, max_document_bytes=1_000_000
    )
    first = batch.verify_article(article, settings)
    assert first.status == "published" and first.n_sources == len(FAULTS) + 1
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        rows = dict(
            con.execute(
                "select url, status from fetches where run_id = ?", [first.run_id]
            ).fetchall()
        )
        verdicts = con.execute(
            "select count(*) from verdicts where run_id = ?", [first.run_id]
        ).fetchone()[0]
    finally:
        con.close()
    for path, status, _ in FAULTS:
        if path == "CLOSED":
            continue  # its port was drawn afresh for the registry
        assert rows[normalise_url(faults.url(path))] == status, path
    assert verdicts == first.n_claims and first.n_sources_ok >= 6

    # A second run against unchanged sources transfers no bodies for what it had.
    second = batch.verify_article(article, settings)
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        again = con.execute(
            "select url, status, status_code, from_cache, size_bytes from fetches "
            "where run_id = ? and status = 'ok'",
            [second.run_id],
        ).fetchall()
        documents = con.execute("select count(*) from documents").fetchone()[0]
    finally:
        con.close()
    tagged = [r for r in again if r[0].endswith("/etag")]
    assert tagged == [(normalise_url(faults.url("/etag")), "ok", 304, True, 0)]
    assert faults.conditional, "the server saw If-None-Match"
    assert documents == first.n_sources_ok or documents <= first.n_sources_ok + 1


def test_offline_run_uses_stored_copies_only(tmp_path: Path, faults: FaultServer, nlp):
    article = tmp_path / "article.txt"
    article.write_text(" date 2021-09-24 Ten agencies issued a statement on Friday.\n")
    csv_path = tmp_path / "two.csv"
    csv_path.write_text(f"url,outlet\n{faults.url('/good')},Good\n{faults.url('/latin1')},Cafe\n")
    settings = make_settings(tmp_path, csv_path)
    batch.verify_article(article, settings)
    hits_before = dict(faults.hits)
    offline = batch.verify_article(article, settings.with_overrides(offline=True))
    assert faults.hits == hits_before, "offline touched the network"
    assert offline.n_sources_ok == 2


def test_every_source_failing_quarantines_the_run_and_keeps_what_was_published(
    tmp_path: Path, faults: FaultServer, nlp
):
    article = tmp_path / "article.txt"
    article.write_text(" date 2021-09-24 Ten agencies issued a statement on Friday.\n")
    good_csv = tmp_path / "good.csv"
    good_csv.write_text(f"url,outlet\n{faults.url('/good')},Good\n")
    first = batch.verify_article(article, make_settings(tmp_path, good_csv))
    assert first.status == "published"
    dead_csv = tmp_path / "dead.csv"
    dead_csv.write_text(f"url,outlet\nhttp://127.0.0.1:{closed_port()}/x,Dead\n")
    settings = make_settings(tmp_path, dead_csv, force=True)
    summary = batch.verify_article(article, settings)
    assert summary.n_sources_ok == 0 and summary.status == "quarantined"
    assert summary.failure_reason == (
        "no source could be read: all 1 fetches failed (network_error); "
        "the published verdicts stand"
    )
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        reasons = {
            r[0]
            for r in con.execute(
                "select reason from verdicts where run_id = ?", [summary.run_id]
            ).fetchall()
        }
        published = {r[0] for r in con.execute("select run_id from verdicts_published").fetchall()}
        status = con.execute(
            "select status, failure_reason from runs where run_id = ?", [summary.run_id]
        ).fetchone()
    finally:
        con.close()
    assert reasons == {"no source could be read: all 1 fetches failed (network_error)"}
    assert published == {first.run_id}, "the run that read nothing replaced a published one"
    assert status == ("quarantined", summary.failure_reason)


def test_offline_without_stored_copies_is_missing(tmp_path: Path):
    csv_path = tmp_path / "one.csv"
    csv_path.write_text("url,outlet\nhttps://example.com/news,Example\n")
    settings = make_settings(tmp_path, csv_path, offline=True)
    (result,) = pipeline.fetch_sources(load_registry(csv_path), settings, lambda m: None, {})
    assert result.status == "missing" and "run once online" in result.error


def test_an_article_url_is_read_with_its_date_and_cited_links(
    tmp_path: Path, faults: FaultServer, nlp
):
    from claimwatch.webarticle import fetch_web_article

    settings = make_settings(tmp_path)
    page = fetch_web_article(faults.url("/article"), settings)
    assert page.text.startswith(" date 2021-09-24 ")
    assert "Ten government agencies issued a joint statement" in page.text
    assert "Subscribe now" not in page.text
    assert page.author == "Jane Roe"
    assert page.links == (faults.url("/good"), faults.url("/latin1"))

    csv_path = tmp_path / "own.csv"
    csv_path.write_text(
        f"url,outlet\n{faults.url('/article')},Itself\n{faults.url('/good')},Good\n"
    )
    summary = batch.verify_article(faults.url("/article"), make_settings(tmp_path, csv_path))
    con = duckdb.connect(str(tmp_path / "claimwatch.duckdb"), read_only=True)
    try:
        fetched = {
            r[0]
            for r in con.execute(
                "select url from fetches where run_id = ?", [summary.run_id]
            ).fetchall()
        }
        origin = con.execute(
            "select published_date from articles where article_id = ?", [summary.article_id]
        ).fetchone()
    finally:
        con.close()
    # The registry's page, the page the article cites, never the article itself.
    assert fetched == {faults.url("/good"), faults.url("/latin1")}
    assert str(origin[0]) == "2021-09-24"
    assert summary.status == "published" and summary.n_sources_ok == 2


def test_cli_runs_an_article_url_and_fails_cleanly_on_a_dead_one(
    tmp_path: Path, faults: FaultServer
):
    from typer.testing import CliRunner

    from claimwatch.cli import app

    csv_path = tmp_path / "good.csv"
    csv_path.write_text(f"url,outlet\n{faults.url('/good')},Good\n")
    env = {
        "CLAIMWATCH_ALLOW_ADDRESSES": "127.0.0.1",
        "CLAIMWATCH_HOST_DELAY_S": "0",
        "CLAIMWATCH_DOCS_DIR": str(tmp_path / "docs"),
        "CLAIMWATCH_GX_DIR": str(tmp_path / "gx"),
        "CLAIMWATCH_SOURCES": str(csv_path),
        "COLUMNS": "200",
    }
    db = str(tmp_path / "cli.duckdb")
    runner = CliRunner()
    ok = runner.invoke(
        app, ["run", faults.url("/article"), "--sources", str(csv_path), "--db", db], env=env
    )
    assert ok.exit_code == 0, ok.output
    assert "2/2 sources fetched" in ok.output
    dead = runner.invoke(
        app, ["run", f"http://127.0.0.1:{closed_port()}/story", "--db", db], env=env
    )
    assert dead.exit_code == 2
    assert "cannot fetch the article (network_error" in dead.output
    blocked = runner.invoke(
        app,
        ["run", faults.url("/article"), "--db", db],
        env={**env, "CLAIMWATCH_ALLOW_ADDRESSES": ""},
    )
    assert blocked.exit_code == 2 and "internal address" in blocked.output


def test_feed_items_near_the_article_and_on_its_subject_become_sources(
    tmp_path: Path, faults: FaultServer, nlp
):
    article = tmp_path / "article.txt"
    article.write_text(
        " date 2021-09-24 Ten government agencies declared every cryptocurrency transaction "
        "illegal on Friday.\n"
    )
    csv_path = tmp_path / "feeds.csv"
    csv_path.write_text(f"url,outlet,tier,kind\n{faults.url('/feed.xml')},Wire,1,feed\n")
    summary = batch.verify_article(article, make_settings(tmp_path, csv_path))
    con = duckdb.connect(str(tmp_path / "claimwatch.duckdb"), read_only=True)
    try:
        fetched = dict(
            con.execute(
                "select url, status from fetches where run_id = ?", [summary.run_id]
            ).fetchall()
        )
    finally:
        con.close()
    assert fetched == {faults.url("/feed.xml"): "ok", faults.url("/good"): "ok"}
    assert summary.n_sources_ok == 1


def test_a_bad_kind_in_the_registry_is_a_clear_error(tmp_path: Path):
    from claimwatch.sources import RegistryError

    csv_path = tmp_path / "bad.csv"
    csv_path.write_text("url,outlet,kind\nhttps://example.com/x,Ex,podcast\n")
    with pytest.raises(
        RegistryError, match="bad.csv:2: column kind = 'podcast': must be page or feed"
    ):
        load_registry(csv_path)
