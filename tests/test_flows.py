"""Real Prefect runs under prefect_test_harness; every flow module imports."""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb
import pytest

from claimwatch.config import PROJECT_ROOT
from tests.conftest import SEED_ARTICLE

FLOW_MODULES = sorted(p.stem for p in (PROJECT_ROOT / "flows").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", FLOW_MODULES)
def test_flow_module_imports(module: str):
    assert importlib.import_module(f"flows.{module}")


def test_verify_article_flow_publishes_the_seed(prefect_harness, tmp_path: Path, monkeypatch):
    from flows.verify_article import verify_article_flow

    monkeypatch.setenv("CLAIMWATCH_DOCS_DIR", str(tmp_path / "docs"))
    monkeypatch.setenv("CLAIMWATCH_GX_DIR", str(tmp_path / "gx"))
    db = tmp_path / "flow.duckdb"
    summary = verify_article_flow(str(SEED_ARTICLE), db_path=str(db))
    assert summary.status == "published"
    con = duckdb.connect(str(db), read_only=True)
    verdict = con.execute(
        "select verdict from verdicts_published where claim_text = '11 government agencies issued a joint statement'"
    ).fetchone()[0]
    con.close()
    assert verdict == "DISPUTED"


def test_flow_and_cli_paths_agree(prefect_harness, seeded, tmp_path: Path, monkeypatch):
    """The flow wires the same stage functions as `claimwatch run`: same verdicts."""
    from flows.verify_article import verify_article_flow

    monkeypatch.setenv("CLAIMWATCH_DOCS_DIR", str(tmp_path / "docs"))
    monkeypatch.setenv("CLAIMWATCH_GX_DIR", str(tmp_path / "gx"))
    db = tmp_path / "flow.duckdb"
    verify_article_flow(str(SEED_ARTICLE), db_path=str(db))
    query = "select claim_id, verdict, confidence from verdicts_published order by claim_id"
    flow_rows = duckdb.connect(str(db), read_only=True).execute(query).fetchall()
    cli_rows = (
        duckdb.connect(str(seeded.settings.db_path), read_only=True).execute(query).fetchall()
    )
    assert flow_rows == cli_rows
