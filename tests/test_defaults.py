"""Defaults that never mislead (issue 30): no article is checked against sources its user
did not name, and nothing a command writes lands in a folder it did not make."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimwatch.cli import app
from claimwatch.config import (
    EXAMPLE_REGISTRY,
    SettingError,
    Settings,
    database_folder,
    effective_settings,
    with_registry,
)
from tests.conftest import EXE, SEED_ARTICLE

runner = CliRunner()


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without any CLAIMWATCH_ setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMWATCH_")}
    return {**env, "COLUMNS": "200", **extra}


def test_a_users_article_without_sources_stops_with_one_line(tmp_path: Path):
    article = tmp_path / "my-article.txt"
    article.write_text(" date 2024-03-15 The central bank raised its main rate to 5.25%.\n")
    result = subprocess.run(
        [str(EXE), "run", str(article), "--db", str(tmp_path / "my.duckdb")],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: no sources to check against")
    assert "--sources" in result.stderr and len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-article.txt"]  # nothing written


def test_serve_without_sources_stops_before_serving(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("CLAIMWATCH_SOURCES", raising=False)
    result = runner.invoke(
        app,
        ["serve", "--inbox", str(tmp_path / "inbox"), "--once", "--db", str(tmp_path / "x.duckdb")],
    )
    assert result.exit_code == 2 and "no sources to check against" in result.output


def test_only_the_bundled_examples_fall_back_to_the_bundled_registry(tmp_path: Path):
    bare = Settings()
    assert with_registry(bare, [str(SEED_ARTICLE)]).sources_csv == EXAMPLE_REGISTRY
    copy = tmp_path / SEED_ARTICLE.name
    shutil.copy(SEED_ARTICLE, copy)
    for targets in ([str(copy)], [str(SEED_ARTICLE), str(copy)], [], ["https://example.org/a"]):
        try:
            with_registry(bare, targets)
        except SettingError:
            continue
        raise AssertionError(f"{targets} fell back to the bundled registry")
    given = Settings(sources_csv=tmp_path / "mine.csv")
    assert with_registry(given, [str(copy)]).sources_csv == tmp_path / "mine.csv"


def test_a_run_with_db_adds_the_database_and_its_folder_and_nothing_else(tmp_path: Path):
    """Run from a folder as the README shows: the folder gains my.duckdb and my.claimwatch/
    (Data Docs, the GX project, the writer's lock; the report goes there too)."""
    work = tmp_path / "clone"
    work.mkdir()
    (work / "docs").mkdir()  # a folder of the user's, as in the clone: never written to
    (work / "docs" / "readme.md").write_text("the project's own docs")
    registry = work / "my-sources.csv"
    shutil.copy(EXAMPLE_REGISTRY, registry)
    shutil.copytree(EXAMPLE_REGISTRY.parent / "sources", work / "sources")
    article = work / "my-article.txt"
    shutil.copy(SEED_ARTICLE, article)
    before = {p.relative_to(work) for p in work.rglob("*")}
    result = subprocess.run(
        [str(EXE), "run", "my-article.txt", "--sources", "my-sources.csv", "--db", "my.duckdb"],
        cwd=work,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = subprocess.run(
        [str(EXE), "report", "--db", "my.duckdb"],
        cwd=work,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert report.returncode == 0, report.stderr
    added = {p.relative_to(work).parts[0] for p in work.rglob("*")} - {p.parts[0] for p in before}
    assert added <= {"my.duckdb", "my.duckdb.wal", "my.claimwatch"}, added
    assert {"my.duckdb", "my.claimwatch"} <= added
    folder = database_folder(Path("my.duckdb"))
    assert (work / folder / "docs" / "index.html").is_file()
    assert (work / folder / "gx").is_dir() and (work / folder / "report" / "index.html").is_file()
    assert [p.name for p in (work / "docs").iterdir()] == ["readme.md"]


def test_config_says_where_the_databases_folder_puts_things(tmp_path: Path, monkeypatch):
    for name in ("CLAIMWATCH_DOCS_DIR", "CLAIMWATCH_GX_DIR", "CLAIMWATCH_SOURCES"):
        monkeypatch.delenv(name, raising=False)
    found = {s.setting: s for s in effective_settings(tmp_path / "my.duckdb")}
    assert found["docs_dir"].value == tmp_path / "my.claimwatch" / "docs"
    assert found["gx_dir"].value == tmp_path / "my.claimwatch" / "gx"
    assert found["docs_dir"].origin == "the database's folder (--db)"
    assert found["sources_csv"].value is None


@pytest.mark.slow
def test_serve_once_whose_prefect_server_never_comes_up_fails_in_one_line(tmp_path: Path):
    """A temporary Prefect server that misses its start-up time (0 s here, as a loaded
    machine might miss 20 s) ends `serve --once` in one error line and exit 4."""
    env = clean_env(
        CLAIMWATCH_DB=str(tmp_path / "x.duckdb"),
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="0",
    )
    env.pop("PREFECT_API_URL", None)
    result = subprocess.run(
        [str(EXE), "serve", "--inbox", str(tmp_path / "inbox"), "--once"]
        + ["--sources", str(EXAMPLE_REGISTRY)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "the monitor did not run" in errors[0]


def test_articles_lists_each_article_with_its_title_and_counts(seeded):
    result = runner.invoke(
        app, ["articles", "--db", str(seeded.settings.db_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)
    assert article["article_id"] == seeded.summary.article_id
    assert article["title"].startswith("China’s central bank announced Friday")
    assert article["published_date"] == "2021-09-24" and article["latest_status"] == "published"
    assert article["n_claims"] == seeded.summary.n_claims
    assert article["n_supported"] + article["n_unverified"] <= article["n_claims"]
    table = runner.invoke(app, ["articles", "--db", str(seeded.settings.db_path)])
    assert seeded.summary.article_id in table.stdout
