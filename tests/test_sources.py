from pathlib import Path

import pytest

from claimwatch.fetch import Fetcher
from claimwatch.sources import RegistryError, Source, fetch_source, load_registry
from tests.conftest import SEED_SOURCES, make_settings


def source(url: str) -> Source:
    return Source("sid", url, "fixture", None, 2, None)


@pytest.fixture
def fetch(tmp_path):
    settings = make_settings(tmp_path)
    fetcher = Fetcher(settings)
    yield lambda url: fetch_source(source(url), fetcher, settings)
    fetcher.close()


def test_html_page_yields_main_text_not_boilerplate(fetch, http_server):
    result = fetch(http_server.url("/pages/agency-count.html"))
    assert result.status == "ok" and result.status_code == 200
    assert "ten government agencies" in result.text
    assert "Fixture footer" not in result.text and "Login" not in result.text
    assert result.size_bytes > 0


def test_user_agent_names_claimwatch(fetch, http_server):
    fetch(http_server.url("/pages/agency-count.html"))
    assert http_server.user_agents and all(
        ua.startswith("claimwatch/") for ua in http_server.user_agents
    )


def test_server_error_is_retried_then_recorded(fetch, http_server):
    result = fetch(http_server.url("/error500"))
    assert result.status == "http_error" and result.status_code == 500
    assert result.text is None
    assert http_server.hits["/error500"] == 2  # first try plus one retry (fetch_retries=1)
    assert http_server.hits["/robots.txt"] == 1  # asked once per host, before the page


def test_timeout_is_recorded_not_raised(fetch, http_server):
    result = fetch(http_server.url("/slow"))
    assert result.status in {"timeout", "network_error"}
    assert "1s" in result.error or "timed out" in result.error.lower()


def test_binary_content_is_refused(fetch, http_server):
    result = fetch(http_server.url("/binary"))
    assert result.status == "bad_content" and "content type" in result.error


def test_missing_page_and_dead_host(fetch, http_server):
    assert fetch(http_server.url("/pages/none.html")).status == "http_error"
    dead = fetch("http://127.0.0.1:9/unreachable")  # discard port: nothing listens
    assert dead.status == "network_error" and dead.error


def test_missing_snapshot(fetch, tmp_path):
    result = fetch(str(tmp_path / "gone.html"))
    assert result.status == "missing" and "not found" in result.error


def test_bundled_registry_resolves_snapshots_next_to_it():
    sources = load_registry(SEED_SOURCES)
    assert len(sources) >= 6 and len({s.outlet for s in sources}) >= 5
    for item in sources:
        assert Path(item.url).is_file(), item.url
        assert item.original_url, item.url
    assert any(s.outlet == "synthetic-test" for s in sources)


@pytest.mark.parametrize(
    "content, message",
    [
        ("url,outlet\n,Nobody\n", "empty url"),
        ("link,name\nx,y\n", "needs columns"),
        (None, "not found"),
    ],
)
def test_bad_registries(tmp_path: Path, content, message):
    path = tmp_path / "sources.csv"
    if content is not None:
        path.write_text(content)
    with pytest.raises(RegistryError, match=message):
        load_registry(path)


def test_unsupported_scheme_is_a_failed_source_not_a_path(tmp_path: Path):
    registry = tmp_path / "sources.csv"
    registry.write_text("url,outlet\nftp://example.com/a,FTP Outlet\n")
    (source,) = load_registry(registry)
    assert source.url == "ftp://example.com/a"
    settings = make_settings(tmp_path)
    result = fetch_source(source, Fetcher(settings), settings)
    assert result.status == "bad_url" and "unsupported URL scheme 'ftp'" in result.error
