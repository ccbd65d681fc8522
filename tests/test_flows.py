"""Real Prefect runs under prefect_test_harness; every flow module imports."""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb
import pytest

from claimwatch.config import PROJECT_ROOT
from tests.conftest import SEED_ARTICLE, SEED_SOURCES

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
    # Scheduled again with nothing new, the flow records an unchanged run and succeeds.
    again = verify_article_flow(str(SEED_ARTICLE), db_path=str(db))
    assert again.status == "unchanged" and again.same_as == summary.run_id
    con = duckdb.connect(str(db), read_only=True)
    published_runs = con.execute("select distinct run_id from verdicts_published").fetchall()
    n_evidence = con.execute(
        "select count(*) from evidence where run_id = ?", [again.run_id]
    ).fetchall()
    con.close()
    assert published_runs == [(summary.run_id,)] and n_evidence == [(0,)]


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


def test_the_seed_on_a_two_worker_dask_cluster_gives_the_sequential_verdicts(
    prefect_harness, seeded, tmp_path: Path, monkeypatch
):
    """Parsing, fetching (one task per host) and judging (shares of the new pairs) run on
    a 2-worker LocalCluster; DuckDB is written from the flow only. Same verdicts."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect_dask import DaskTaskRunner

    from claimwatch import pipeline
    from claimwatch.batch import JUDGE_SHARE
    from flows.verify_article import verify_article_flow

    monkeypatch.setenv("CLAIMWATCH_DOCS_DIR", str(tmp_path / "docs"))
    monkeypatch.setenv("CLAIMWATCH_GX_DIR", str(tmp_path / "gx"))
    db = tmp_path / "dask.duckdb"
    runner = DaskTaskRunner(
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True}
    )
    state = verify_article_flow.with_options(task_runner=runner)(
        str(SEED_ARTICLE), db_path=str(db), return_state=True
    )
    assert state.is_completed(), state.message
    query = (
        "select claim_id, verdict, confidence, reason, evidence_text, evidence_url "
        "from verdicts_published order by claim_id"
    )
    dask_rows = duckdb.connect(str(db), read_only=True).execute(query).fetchall()
    sequential_rows = (
        duckdb.connect(str(seeded.settings.db_path), read_only=True).execute(query).fetchall()
    )
    assert dask_rows == sequential_rows and len(dask_rows) >= 15
    with get_client(sync_client=True) as client:
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])
            )
        )
    names = [t.name.rsplit("-", 1)[0] for t in task_runs]
    n_hosts = len(pipeline.by_host(pipeline.load_sources(load_settings_for(db))))
    con = duckdb.connect(str(db), read_only=True)
    n_pairs = con.execute("select count(*) from pair_scores").fetchall()[0][0]
    con.close()
    assert names.count("parse-share") == 1
    assert names.count("fetch-host") == n_hosts > 1
    assert names.count("judge-pairs") == -(-n_pairs // JUDGE_SHARE) > 1


def load_settings_for(db: Path):
    from claimwatch.config import load_settings

    return load_settings().with_overrides(db_path=db, sources_csv=SEED_SOURCES)


def test_a_batch_on_one_two_worker_dask_cluster_gives_the_sequential_verdicts(
    prefect_harness, tmp_path: Path, monkeypatch
):
    """`claimwatch run FOLDER --dask` starts one LocalCluster for the whole batch; each
    article's flow runs on it. Same published verdicts as the batch run in-process."""
    from typer.testing import CliRunner

    from claimwatch.cli import app

    monkeypatch.setenv("CLAIMWATCH_DOCS_DIR", str(tmp_path / "docs"))
    monkeypatch.setenv("CLAIMWATCH_GX_DIR", str(tmp_path / "gx"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("pboc-2021-09-24.txt", "boe-rates-2021-12-16.txt"):
        (inbox / name).write_text(
            (SEED_ARTICLE.parent / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    query = "select claim_id, verdict, confidence, reason from verdicts_published order by 1"
    rows = {}
    for mode, extra in (("sequential", []), ("dask", ["--dask"])):
        db = tmp_path / f"{mode}.duckdb"
        result = CliRunner().invoke(
            app, ["run", str(inbox), "--db", str(db), "--sources", str(SEED_SOURCES), *extra]
        )
        assert result.exit_code == 0, result.output
        assert "2 articles · 2 published" in result.output
        rows[mode] = duckdb.connect(str(db), read_only=True).execute(query).fetchall()
    assert rows["dask"] == rows["sequential"] and len(rows["dask"]) >= 40
