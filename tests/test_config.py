"""Settings: one dataclass whose fields define their CLAIMWATCH_* variables."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimwatch.cli import app
from claimwatch.config import ENV_PREFIX, SettingError, Settings, settings_with_origins

# A value other than the default for each kind of setting, as the environment spells it.
SAMPLES = {
    "Path": ("/tmp/elsewhere/x", Path("/tmp/elsewhere/x")),
    "Path | None": ("/tmp/elsewhere/y.csv", Path("/tmp/elsewhere/y.csv")),
    "str": ("other", "other"),
    "int": ("7", 7),
    "float": ("2.5", 2.5),
    "tuple[str, ...]": (None, None),  # built per separator below
    "date | None": ("2024-03-15", date(2024, 3, 15)),
}


@pytest.fixture
def clean_env(monkeypatch):
    for setting in fields(Settings):
        monkeypatch.delenv(ENV_PREFIX + setting.metadata["env"], raising=False)
    return monkeypatch


def test_every_setting_has_its_own_variable_and_says_what_it_sets():
    names = [setting.metadata["env"] for setting in fields(Settings)]
    assert len(names) == len(set(names)) == len(fields(Settings))
    assert all(setting.metadata["help"] for setting in fields(Settings))


@pytest.mark.parametrize("setting", fields(Settings), ids=lambda s: s.name)
def test_each_variable_sets_its_setting_and_is_reported_as_its_origin(clean_env, setting):
    variable = ENV_PREFIX + setting.metadata["env"]
    if setting.type == "bool":
        text, value = ("0", False) if setting.default else ("1", True)
    elif setting.type == "tuple[str, ...]":
        separator = setting.metadata["separator"]
        text, value = f"a{separator} b", ("a", "b")
    else:
        text, value = SAMPLES[setting.type]
    clean_env.setenv(variable, text)
    settings, origins = settings_with_origins()
    assert getattr(settings, setting.name) == value
    assert origins[setting.name] == f"environment ({variable})"


def test_docs_and_gx_follow_the_database_unless_named(clean_env):
    clean_env.setenv("CLAIMWATCH_DB", "/srv/cw/news.duckdb")
    settings, origins = settings_with_origins()
    folder = Path("/srv/cw/news.claimwatch")
    assert settings.docs_dir == folder / "docs" and settings.gx_dir == folder / "gx"
    assert origins["docs_dir"] == "the database's folder"
    clean_env.setenv("CLAIMWATCH_DOCS_DIR", "/var/www/docs")
    settings, origins = settings_with_origins()
    assert settings.docs_dir == Path("/var/www/docs") and settings.gx_dir == folder / "gx"


@pytest.mark.parametrize(
    "variable, text", [("CLAIMWATCH_TOP_K", "abc"), ("CLAIMWATCH_OFFLINE", "maybe")]
)
def test_a_bad_value_names_its_variable_and_the_cli_exits_2(clean_env, variable, text):
    clean_env.setenv(variable, text)
    with pytest.raises(SettingError, match=variable):
        settings_with_origins()
    result = CliRunner().invoke(app, ["config"])
    assert result.exit_code == 2 and variable in result.output


def test_config_prints_every_setting_with_its_origin(clean_env):
    clean_env.setenv("CLAIMWATCH_TOP_K", "30")
    result = CliRunner().invoke(app, ["config", "--format", "json", "--db", "/tmp/a/b.duckdb"])
    assert result.exit_code == 0, result.output
    rows = {row["setting"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {setting.name for setting in fields(Settings)}
    assert rows["top_k"]["value"] == "30" and rows["top_k"]["from"].startswith("environment")
    assert rows["db_path"]["from"] == "--db"
    assert rows["docs_dir"]["value"] == "/tmp/a/b.claimwatch/docs"
    assert rows["fetch_workers"]["variable"] == "CLAIMWATCH_FETCH_WORKERS"
