"""The CLI through its entry point: success, bad input, quarantine, help on every command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimwatch.cli import app
from tests.conftest import SEED_ARTICLE, SEED_SOURCES

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch) -> Path:
    """Point every CLAIMWATCH_ path at tmp_path, name the bundled registry as the sources;
    return the database path."""
    monkeypatch.setenv("CLAIMWATCH_DOCS_DIR", str(tmp_path / "docs"))
    monkeypatch.setenv("CLAIMWATCH_GX_DIR", str(tmp_path / "gx"))
    monkeypatch.setenv("CLAIMWATCH_SOURCES", str(SEED_SOURCES))
    return tmp_path / "cli.duckdb"


def test_run_prints_verdicts_and_data_docs_then_exits_zero(env: Path):
    result = runner.invoke(
        app, ["run", str(SEED_ARTICLE), "--db", str(env)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "DISPUTED" in result.output and "SUPPORTED" in result.output
    assert "Data Docs:" in result.output and "index.html" in result.output
    assert "published run" in result.output
    listing = runner.invoke(app, ["verdicts", "--db", str(env), "--format", "json"])
    rows = json.loads(listing.stdout)
    assert any(
        r["verdict"] == "DISPUTED" and r["claim_text"].startswith("11 government agencies")
        for r in rows
    )
    csv_out = runner.invoke(
        app, ["verdicts", "--db", str(env), "--format", "csv", "--verdict", "SUPPORTED"]
    )
    lines = csv_out.stdout.strip().splitlines()
    assert lines[0].startswith("article_id,claim_id") and all(
        ",SUPPORTED," in line for line in lines[1:]
    )
    history = runner.invoke(app, ["history", "--db", str(env)], env={"COLUMNS": "200"})
    assert "published" in history.output


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "file is empty"),
        ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "looks binary"),
        (
            "latin1.txt",
            "Le caf\u00e9 a ferm\u00e9 vendredi, selon la mairie.".encode("latin-1"),
            "not UTF-8",
        ),
    ],
)
def test_bad_article_exits_2_with_one_line(
    env: Path, tmp_path: Path, name: str, content: bytes, message: str
):
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["run", str(path), "--db", str(env)])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not env.exists()  # bad input never touches the database


def test_missing_article_and_registry(env: Path, tmp_path: Path):
    missing = runner.invoke(app, ["run", str(tmp_path / "nope.txt"), "--db", str(env)])
    assert missing.exit_code == 2 and "no such file" in missing.output
    no_registry = runner.invoke(
        app, ["run", str(SEED_ARTICLE), "--db", str(env), "--sources", str(tmp_path / "none.csv")]
    )
    assert no_registry.exit_code == 2 and "source registry not found" in no_registry.output
    # A malformed URL fails before any lookup: no test leaves loopback.
    url = runner.invoke(app, ["run", "https:///no-host", "--db", str(env)])
    assert url.exit_code == 2 and "cannot fetch the article: 'https:///no-host'" in url.output
    assert len(url.output.strip().splitlines()) == 1
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_text("not a database")
    broken_db = runner.invoke(app, ["run", str(SEED_ARTICLE), "--db", str(garbage)])
    assert broken_db.exit_code == 2 and "not a valid DuckDB database" in broken_db.output
    assert garbage.read_text() == "not a database"  # left exactly as it was


def test_run_that_fails_validation_is_quarantined_and_exits_3(env: Path, tmp_path: Path):
    # Verbless sentences: readable text, but no checkable claim, so the claims suite fails.
    article = tmp_path / "no-claims.txt"
    article.write_text(
        " date 2021-09-24 Wonderful weather everywhere today and tomorrow.\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["run", str(article), "--db", str(env)])
    assert result.exit_code == 3, result.output
    assert "quarantined" in result.output and "runs.n_claims" in result.output
    # The run's own Data Docs page says why, in words, and names the run.
    pages = list((tmp_path / "docs" / "validations" / "runs").glob("*/*/*.html"))
    words = " ".join(re.sub(r"<[^>]+>", " ", pages[0].read_text()).split())
    run_id = re.search(r"run (\d{8}T\d{6}-[0-9a-f]{6}) quarantined", result.output).group(1)
    assert len(pages) == 1 and "n_claims" in words and run_id in words
    assert "values must be greater than or equal to 1" in words
    history = runner.invoke(app, ["history", "--db", str(env)], env={"COLUMNS": "250"})
    assert "quarantined" in history.output
    listing = runner.invoke(app, ["verdicts", "--db", str(env), "--format", "json"])
    assert json.loads(listing.stdout) == []


def test_run_on_a_folder_verifies_each_article_and_one_bad_one_stops_none(
    env: Path, tmp_path: Path
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a-seed.txt").write_text(SEED_ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    # Readable, but no checkable claim: quarantined alone.
    (inbox / "b-no-claims.txt").write_text(
        " date 2021-09-24 Wonderful weather everywhere today and tomorrow.\n", encoding="utf-8"
    )
    (inbox / "c-binary.txt").write_bytes(b"\x00\x01 not text")
    (inbox / "notes.csv").write_text("not an article", encoding="utf-8")
    result = runner.invoke(app, ["run", str(inbox), "--db", str(env)], env={"COLUMNS": "250"})
    # An unreadable article outranks a quarantined one in the exit code.
    assert result.exit_code == 2, result.output
    assert "3 articles · 1 published · 1 quarantined · 1 unreadable" in result.output
    assert "looks binary" in result.output and "notes.csv" not in result.output
    # Both readable articles are validated in one pass of each suite: one page per suite.
    assert "Data Docs:" in result.output
    assert len(list((tmp_path / "docs" / "validations" / "claims").glob("*/*/*.html"))) == 1
    stages = re.search(r"seconds per stage: (.*)", result.output).group(1)
    assert [part.split()[0] for part in stages.split(" · ")][:7] == [
        "parse",
        "extract",
        "fetch",
        "store",
        "remember",
        "score",
        "validate",
    ]
    listing = runner.invoke(app, ["verdicts", "--db", str(env), "--format", "json"])
    rows = json.loads(listing.stdout)
    assert rows and {r["article_id"] for r in rows} == {rows[0]["article_id"]}  # the seed only


def test_run_on_a_glob_that_matches_nothing_fails_in_one_line(env: Path, tmp_path: Path):
    result = runner.invoke(app, ["run", str(tmp_path / "*.txt"), "--db", str(env)])
    assert result.exit_code == 2 and "*.txt" in result.output
    # a glob that matches folders only names no article either
    (tmp_path / "2021").mkdir()
    folders = runner.invoke(app, ["run", str(tmp_path / "20*"), "--db", str(env)])
    assert folders.exit_code == 2 and "20*" in folders.output, folders.output


def test_read_commands_on_missing_database_fail_cleanly(tmp_path: Path):
    result = runner.invoke(app, ["verdicts", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no database yet" in result.output


@pytest.mark.parametrize("command", ["run", "verdicts", "history", "eval claims", "eval verdicts"])
def test_every_command_has_help_with_an_example(command: str):
    result = runner.invoke(app, [*command.split(), "-h"])
    assert result.exit_code == 0 and "Example" in result.output


def test_console_script_is_installed():
    exe = Path(sys.executable).parent / "claimwatch"  # installed beside the interpreter
    assert exe.is_file(), "the claimwatch console script is installed in the environment"
    result = subprocess.run(
        [str(exe), "-h"], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "run" in result.stdout


def test_piped_tables_are_not_cut_to_eighty_columns(tmp_path: Path):
    exe = Path(sys.executable).parent / "claimwatch"
    environment = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    result = subprocess.run(
        [str(exe), "eval", "claims"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    overall = next(line for line in result.stdout.splitlines() if "overall" in line)
    assert "…" not in overall
    # P and R, whole: two-decimal scores, not cut ("1.00" and "0.99" both count)
    assert re.search(r"│\s+[01]\.\d\d │\s+[01]\.\d\d │", overall), overall


def test_an_unchanged_rerun_says_so_and_shows_the_standing_verdicts(env: Path):
    olympic = SEED_ARTICLE.parent / "olympic-100m-2021-07-31.txt"
    first = runner.invoke(app, ["run", str(olympic), "--db", str(env)], env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["run", str(olympic), "--db", str(env)], env={"COLUMNS": "200"})
    assert again.exit_code == 0, again.output
    assert "unchanged: same claims and documents as run" in again.output
    assert "Elaine Thompson-Herah" in again.output  # the standing verdict table
    history = runner.invoke(app, ["history", "--db", str(env)], env={"COLUMNS": "250"})
    assert "unchanged" in history.output and "published" in history.output


@pytest.mark.parametrize("kind", ["device", "fifo", "huge"])
def test_an_article_path_that_never_ends_is_refused_without_reading_it_whole(
    env: Path, tmp_path: Path, kind: str
):
    if kind == "device":
        path = Path("/dev/zero")
    elif kind == "fifo":
        path = tmp_path / "article.txt"
        os.mkfifo(path)  # opening it for reading would wait for a writer for ever
    else:
        path = tmp_path / "huge.txt"
        with path.open("wb") as handle:  # sparse: 6 GB of zeros without using the disk
            handle.truncate(6 * 1024**3)
    result = runner.invoke(app, ["run", str(path), "--db", str(env)])
    assert result.exit_code == 2, result.output
    phrase = "over the 5000000-byte limit" if kind == "huge" else "not a regular file"
    assert phrase in result.output and len(result.output.strip().splitlines()) == 1
    assert not env.exists()


SAVED_PAGE = """<!DOCTYPE html>
<html><head><title>Agencies ban crypto | Example</title>
<meta property="article:published_time" content="2021-09-24T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/login">Login</a> Subscribe to our newsletter</nav>
<article><h1>China bans cryptocurrency trading</h1>
<p>Ten government agencies issued a joint statement on Friday that declared every
cryptocurrency transaction illegal.</p>
<p>The People's Bank of China said overseas exchanges serving residents of the mainland
were also acting illegally.</p></article>
<footer>Copyright Example News. Cookie settings.</footer></body></html>
"""


def test_an_html_file_as_the_article_is_read_for_its_main_text_not_its_markup(tmp_path: Path, nlp):
    from claimwatch.pipeline import extract_claims_from_file, load_article
    from tests.conftest import make_settings

    page = tmp_path / "saved-page.html"
    page.write_text(SAVED_PAGE, encoding="utf-8")
    settings = make_settings(tmp_path)
    article = load_article(page, settings, nlp).article
    assert "<" not in article.text and "Cookie settings" not in article.text
    assert article.published is not None and article.published.isoformat() == "2021-09-24"
    claims = extract_claims_from_file(page, settings, nlp).claims
    assert claims and all("<" not in c.text and "Login" not in c.text for c in claims)
    assert any("joint statement" in c.text for c in claims)


def test_an_unknown_verdict_label_is_refused(env: Path):
    result = runner.invoke(app, ["verdicts", "--verdict", "MAYBE", "--db", str(env)])
    assert result.exit_code == 2 and "'MAYBE': not a verdict label" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("address", ["not-an-address", "tcp://127.0.0.1:{closed}", "tcp://x:99999"])
def test_a_bad_dask_address_is_one_line_and_exit_2(env: Path, address: str):
    import socket

    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    result = runner.invoke(
        app,
        [
            "run",
            str(SEED_ARTICLE),
            "--db",
            str(env),
            "--dask-address",
            address.format(closed=closed),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "--dask-address" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not env.exists()


def test_error_messages_are_one_short_line():
    from claimwatch.output import MAX_MESSAGE_CHARS, one_line_message
    from claimwatch.validate import short_value

    long_reason = "claims.claim_text: " + "word " * 20_000 + "\nsecond line"
    line = one_line_message(long_reason)
    assert "\n" not in line and len(line) <= MAX_MESSAGE_CHARS and line.endswith("…")
    assert one_line_message("short\n  reason") == "short reason"
    assert len(short_value("x" * 10_000)) == 80 and short_value(7) == 7


def test_help_answers_without_importing_the_heavy_stack():
    probe = (
        "import sys, claimwatch.cli\n"
        "heavy = [m for m in ('spacy', 'pandas', 'duckdb', 'prefect', 'great_expectations',"
        " 'trafilatura', 'requests') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
    shown = subprocess.run(
        [str(Path(sys.executable).parent / "claimwatch"), "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert shown.returncode == 0 and "run" in shown.stdout


def test_prefect_started_by_claimwatch_sends_no_telemetry():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DO_NOT_TRACK"} and not k.startswith("PREFECT_SERVER_ANALYTICS")
    }
    probe = (
        "import claimwatch.cli\n"
        "from prefect.settings import get_current_settings\n"
        "from prefect._internal.analytics.enabled import is_telemetry_enabled\n"
        "print(get_current_settings().server.analytics_enabled, is_telemetry_enabled())"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.split() == ["False", "False"]


def test_verdict_labels_in_any_case_and_unknown_articles_in_one_line(seeded):
    db = str(seeded.settings.db_path)
    lower = runner.invoke(
        app, ["verdicts", "--verdict", "disputed", "--db", db, "--format", "json"]
    )
    assert lower.exit_code == 0, lower.output
    rows = json.loads(lower.stdout)
    assert rows and {r["verdict"] for r in rows} == {"DISPUTED"}
    spaced = runner.invoke(
        app, ["verdicts", "--verdict", "not-enough-info", "--db", db, "--format", "json"]
    )
    assert {r["verdict"] for r in json.loads(spaced.stdout)} == {"NOT ENOUGH INFO"}
    unknown = runner.invoke(app, ["verdicts", "--article", "nope", "--db", db])
    assert unknown.exit_code == 2 and "no article 'nope'" in unknown.output
    assert len(unknown.output.strip().splitlines()) == 1


def test_a_listing_with_no_rows_exits_zero_and_says_so(tmp_path: Path):
    from claimwatch import store

    db = tmp_path / "empty.duckdb"
    store.connect(db).close()  # a valid database with nothing published yet
    result = runner.invoke(app, ["verdicts", "--verdict", "contradicted", "--db", str(db)])
    assert result.exit_code == 0 and "no published verdicts match" in result.output


def test_history_lists_runs_as_json_too(seeded):
    result = runner.invoke(
        app, ["history", "--db", str(seeded.settings.db_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    runs = json.loads(result.stdout)
    assert [r["run_id"] for r in runs] == [seeded.summary.run_id]
    assert runs[0]["status"] == "published"


def test_sql_runs_read_only_statements_and_refuses_writes(seeded):
    db = str(seeded.settings.db_path)
    counted = runner.invoke(
        app,
        ["sql", "select verdict, count(*) as n from verdicts_published group by 1", "--db", db]
        + ["--format", "json"],
    )
    assert counted.exit_code == 0, counted.output
    counts = {r["verdict"]: r["n"] for r in json.loads(counted.stdout)}
    assert sum(counts.values()) == seeded.summary.n_claims and "DISPUTED" in counts
    before = runner.invoke(app, ["sql", "select count(*) from runs", "--db", db]).output
    write = runner.invoke(app, ["sql", "delete from runs", "--db", db])
    assert write.exit_code == 2 and len(write.output.strip().splitlines()) == 1
    assert runner.invoke(app, ["sql", "select count(*) from runs", "--db", db]).output == before
    broken = runner.invoke(app, ["sql", "selec nothing", "--db", db])
    assert broken.exit_code == 2 and broken.output.startswith("error: SQL:")


def one_page_registry(folder: Path) -> Path:
    """A registry of one snapshot page about a rate rise on 2024-03-14."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bank.html").write_text(
        "<html><body><article><p>The central bank raised its main rate to 5.25% on "
        "Thursday, March 14, 2024, the highest level in sixteen years.</p></article></body></html>"
    )
    registry = folder / "sources.csv"
    registry.write_text(
        "url,outlet,published,tier,original_url\nbank.html,Invented Wire (test page),2024-03-14,1,\n"
    )
    return registry


def test_no_date_line_warns_and_date_option_resolves_weekdays(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("CLAIMWATCH_DOCS_DIR", raising=False)
    monkeypatch.delenv("CLAIMWATCH_GX_DIR", raising=False)
    registry = one_page_registry(tmp_path / "registry")
    article = tmp_path / "rates.txt"
    article.write_text("The central bank raised its main rate to 5.25% on Thursday.\n")
    db = tmp_path / "elsewhere" / "rates.duckdb"
    undated = runner.invoke(app, ["run", str(article), "--db", str(db), "--sources", str(registry)])
    assert undated.exit_code == 0, undated.output
    assert "warning" in undated.stderr and "--date YYYY-MM-DD" in undated.stderr
    # Data Docs and the GX project go to the folder of the database named by --db.
    folder = db.parent / "rates.claimwatch"
    assert (folder / "docs" / "index.html").is_file() and (folder / "gx").is_dir()
    docs = tmp_path / "my-docs"
    given = runner.invoke(
        app,
        ["run", str(article), "--db", str(db), "--sources", str(registry)]
        + ["--date", "2024-03-15", "--docs", str(docs)],
    )
    assert given.exit_code == 0, given.output
    assert "warning" not in given.stderr
    assert (docs / "index.html").is_file()
    dates = runner.invoke(
        app,
        ["sql", "select distinct claim_date from claims where claim_date is not null", "--db"]
        + [str(db), "--format", "json"],
    )
    assert [row["claim_date"] for row in json.loads(dates.stdout)] == ["2024-03-14"]


def test_tables_round_numbers_for_display_and_csv_keeps_them_whole(seeded):
    db = str(seeded.settings.db_path)
    query = "select 91.66666666666667::double as similarity, 0.123456::double as coverage"
    table = runner.invoke(app, ["sql", query, "--db", db], env={"COLUMNS": "200"})
    assert "91.7" in table.stdout and "0.12" in table.stdout
    assert "91.666" not in table.stdout and "0.1234" not in table.stdout
    raw = runner.invoke(app, ["sql", query, "--db", db, "--format", "csv"])
    assert "91.66666666666667" in raw.stdout and "0.123456" in raw.stdout
