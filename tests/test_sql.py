"""Meta-tests: every migration applies in order and is recorded; every query parses and runs."""

from pathlib import Path

import duckdb
import pytest

from claimwatch import store

QUERIES = sorted((store.SQL_DIR / "queries").glob("*.sql"))
PARAMS = {"run_id": None, "article_id": None, "top_k": 5, "verdict": None}


def test_migrations_apply_once_and_are_recorded(tmp_path: Path):
    con = store.connect(tmp_path / "db.duckdb")
    versions = [
        r[0]
        for r in con.execute("select version from schema_migrations order by version").fetchall()
    ]
    schema_files = sorted((store.SQL_DIR / "schema").glob("*.sql"))
    assert versions == [int(p.name[:3]) for p in schema_files]
    assert store.migrate(con) == []  # nothing left to apply
    con.close()


def test_an_existing_database_upgrades_in_place(tmp_path: Path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "create table schema_migrations (version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    con.execute((store.SQL_DIR / "schema" / "001_init.sql").read_text())
    con.execute("insert into schema_migrations values (1, '001_init.sql', now())")
    con.execute(
        "insert into runs (run_id, article_id, origin, started_at, status) values ('r1', 'a1', 'x', now(), 'published')"
    )
    con.close()
    con = store.connect(db)
    assert con.execute("select count(*) from runs").fetchone()[0] == 1  # kept
    assert con.execute("select count(*) from verdicts_published").fetchone()[0] == 0  # view added
    con.close()


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_query_runs_on_an_empty_database(tmp_path: Path, path: Path):
    con = store.connect(tmp_path / "db.duckdb")
    text = path.read_text()
    assert text.lstrip().startswith("--"), "queries start with a comment saying their grain"
    params = {k: v for k, v in PARAMS.items() if f"${k}" in text}
    assert con.execute(text, params).fetchall() == []
    con.close()
