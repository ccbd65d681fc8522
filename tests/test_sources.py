import os
import subprocess
from pathlib import Path

import pytest

from claimwatch.fetch import Fetcher
from claimwatch.sources import RegistryError, Source, fetch_source, load_registry
from tests.conftest import EXE, SEED_ARTICLE, SEED_SOURCES, cli_env, make_settings


def source(url: str, root: Path | None = None) -> Source:
    return Source("sid", url, "fixture", None, 2, None, snapshot_root=str(root) if root else None)


@pytest.fixture
def fetch(tmp_path):
    settings = make_settings(tmp_path)
    fetcher = Fetcher(settings)
    yield lambda url: fetch_source(source(url, tmp_path), fetcher, settings)
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
        ("url,outlet\n,Nobody\n", "sources.csv:2: column url = '': empty"),
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


def test_unsupported_scheme_is_a_registry_error_not_a_path(tmp_path: Path):
    registry = tmp_path / "sources.csv"
    registry.write_text("url,outlet\nftp://example.com/a,FTP Outlet\n")
    with pytest.raises(RegistryError, match="sources.csv:2: column url = 'ftp://example.com/a'"):
        load_registry(registry)


# (registry text, the one line that must name the line, column and value)
BAD_REGISTRIES = [
    ("url,outlet,tier\nhttps://example.com/a,Ex,abc\n", "r.csv:2: column tier = 'abc': must be"),
    (
        "url,outlet\nhttp://example.com:99999/a,Ex\n",
        "r.csv:2: column url = 'http://example.com:99999/a'",
    ),
    ("url,outlet\nhttp://[::1,Ex\n", "r.csv:2: column url = 'http://[::1': not a valid URL"),
    ("url,outlet\nhttps://a.example/x,A\nhttp://u:p@b.example/,B\n", "r.csv:3: column url"),
    ("url,outlet,published\nhttps://a.example/x,A,24/09/2021\n", "column published = '24/09/2021'"),
    ("url,outlet\njavascript:alert(1),Js\n", "column url = 'javascript:alert(1)'"),
    ("", "the registry is empty"),
    ("url,outlet,published,tier\n", "lists no sources"),
]


@pytest.mark.parametrize("content, message", BAD_REGISTRIES)
def test_every_bad_registry_value_is_one_line_naming_row_column_and_value(
    tmp_path: Path, content: str, message: str
):
    path = tmp_path / "r.csv"
    path.write_text(content)
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value) and len(str(caught.value)) <= 300


@pytest.mark.parametrize("content, message", BAD_REGISTRIES[:3] + BAD_REGISTRIES[-2:])
def test_the_cli_refuses_a_bad_registry_with_one_line_and_exit_2(
    tmp_path: Path, content: str, message: str
):
    path = tmp_path / "r.csv"
    path.write_text(content)
    result = subprocess.run(
        [str(EXE), "run", str(SEED_ARTICLE), "--sources", str(path)],
        env=cli_env(tmp_path, COLUMNS="300"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "claimwatch.duckdb").exists(), "a bad registry wrote before failing"


def snapshot_registry(folder: Path, url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sources.csv"
    path.write_text(f"url,outlet\n{url},Local\n")
    return path


@pytest.mark.parametrize("url", ["/etc/passwd", "../../../../../../../../etc/passwd"])
def test_a_registry_cannot_read_files_outside_its_folder(tmp_path: Path, url: str):
    registry = snapshot_registry(tmp_path / "reg", url)
    settings = make_settings(tmp_path)
    (src,) = load_registry(registry)
    result = fetch_source(src, Fetcher(settings), settings)
    assert result.status == "blocked" and "outside the registry's folder" in result.error
    assert result.text is None


def test_a_symlink_out_of_the_registry_folder_is_blocked_and_a_root_can_be_allowed(
    tmp_path: Path,
):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "page.txt").write_text("Ten agencies issued a joint statement on Friday.")
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "link.txt").symlink_to(outside / "page.txt")
    registry = snapshot_registry(folder, "link.txt")
    (src,) = load_registry(registry)
    settings = make_settings(tmp_path)
    assert fetch_source(src, Fetcher(settings), settings).status == "blocked"
    allowed = make_settings(tmp_path, snapshot_roots=(str(outside),))
    result = fetch_source(src, Fetcher(allowed), allowed)
    assert result.status == "ok" and "joint statement" in result.text


def test_a_fifo_or_device_as_a_snapshot_is_refused_without_reading_it(tmp_path: Path):
    folder = tmp_path / "reg"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")  # reading it would block for ever
    (src,) = load_registry(snapshot_registry(folder, "pipe.txt"))
    settings = make_settings(tmp_path)
    result = fetch_source(src, Fetcher(settings), settings)
    assert result.status == "bad_content" and "not a regular file" in result.error
