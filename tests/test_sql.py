"""Meta-tests: every migration applies in order and is recorded; every query parses and runs."""

import re
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from claimwatch import store

QUERIES = sorted((store.SQL_DIR / "queries").glob("*.sql"))
PARAMS = {
    "run_id": None,
    "article_id": None,
    "top_k": 5,
    "verdict": None,
    "extractor_version": None,
    "pair_keys": ["k1"],
    "entailment_keys": ["k1"],
    "run_ids": ["r1"],
    "max_df": 50,
    "min_shared": 2,
    "min_coverage": 0.5,
    "claim_id": None,
    "include_unreviewed": True,
    "neutral_shown": 3,
    "document_ids": ["d1"],
    "claim_ids": ["c1"],
    "article_ids": ["a1"],
    "fact_check_ids": ["f1"],
    "max_terms": 6,
}
WRITES = sorted((store.SQL_DIR / "writes").glob("*.sql"))
# A value for every parameter of the write statements.
WRITE_PARAMS = {
    "run_id": "r1",
    "article_id": "a1",
    "directory": "/tmp/claimwatch-export/",
    "origin": "a.txt",
    "started_at": datetime(2026, 1, 1),
    "finished_at": datetime(2026, 1, 1),
    "status": "published",
    "failure_reason": None,
    "docs_path": None,
    "n_claims": 1,
    "n_sources": 1,
    "n_sources_ok": 1,
    "n_expectations": 3,
    "n_expectations_failed": 0,
    "memory_limit": "1GB",
    "claim_id": "c1",
    "verdict": "SUPPORTED",
    "note": "checked",
    "reviewer": "ana",
    "machine_verdict": None,
    "machine_run_id": None,
    "reviewed_at": datetime(2026, 1, 1),
    "claim_ids": ["c1"],
    "document_id": "d1",
    "sentence_ids": ["s1"],
    "fact_check_ids": ["f1"],
    "matched_id": "m1",
    "decision": "rejected",
}
# Queries that return rows on a freshly migrated database: the catalogue and the ledger.
CATALOG_QUERIES = {"report_schema.sql", "applied_migrations.sql"}


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
    db = database_before(tmp_path, 2)
    con = duckdb.connect(str(db))
    con.execute(
        "insert into runs (run_id, article_id, origin, started_at, status) values ('r1', 'a1', 'x', now(), 'published')"
    )
    con.close()
    con = store.connect(db)
    assert con.execute("select count(*) from runs").fetchone()[0] == 1  # kept
    assert con.execute("select count(*) from verdicts_published").fetchone()[0] == 0  # view added
    con.close()


def database_before(tmp_path: Path, version: int) -> Path:
    """A database file with the migrations before `version` applied, as an older
    claimwatch left it."""
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "create table schema_migrations (version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    for path in store.schema_files():
        if int(path.name[:3]) < version:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "insert into schema_migrations values (?, ?, now())",
                [int(path.name[:3]), path.name],
            )
    con.close()
    return db


# Slot records as schema 1 stored them, and the slots they are now.
SCHEMA_1_SLOTS = [
    (
        {"kind": "number", "value": "11", "unit": "agency", "text": "11"},
        ("11", "agency", "", "", ()),
    ),
    (
        {
            "kind": "percent",
            "value": "0.1",
            "unit": "rate (from)",
            "text": "0.1%",
            "scope": "",
            "period": "",
            "anchor": "4",
        },
        ("0.1", "rate", "from", "", ()),
    ),
    (
        {"kind": "number", "value": "0.13", "unit": "second (margin)", "text": "0.13"},
        ("0.13", "second", "margin", "", ()),
    ),
    # A unit that only looks like it carries a role keeps its words.
    (
        {"kind": "number", "value": "3", "unit": "unit (metric)", "text": "3"},
        ("3", "unit (metric)", "", "", ()),
    ),
    (
        {"kind": "clause", "value": "negated", "unit": "illegal  transaction", "text": "are"},
        ("", "", "", "negated", ("illegal", "transaction")),
    ),
    (
        {"kind": "object", "value": "trading", "unit": "derivative;order;", "text": ""},
        ("trading", "", "", "", ("derivative", "order")),
    ),
    # Already in its fields (a row written between the typed slots and this migration).
    (
        {
            "kind": "percent",
            "value": "6",
            "unit": "growth",
            "text": "6%",
            "role": "forecast",
            "polarity": "",
            "terms": [],
        },
        ("6", "growth", "forecast", "", ()),
    ),
]


def test_the_slot_schema_migration_rewrites_stored_slots_into_their_fields(tmp_path: Path):
    import json

    from claimwatch.extract.slots.base import SLOT_SCHEMA

    db = database_before(tmp_path, 14)
    con = duckdb.connect(str(db))
    records = json.dumps([record for record, _ in SCHEMA_1_SLOTS])
    con.execute(
        "insert into claims (claim_id, article_id, sentence_index, claim_text, span_start, span_end, "
        "kind, is_date_explicit, slots, norm_text) values ('c1', 'a1', 0, 'x', 0, 1, 'factual', false, ?, 'x')",
        [records],
    )
    con.execute(
        "insert into claims (claim_id, article_id, sentence_index, claim_text, span_start, span_end, "
        "kind, is_date_explicit, slots, norm_text) values ('c2', 'a1', 1, 'y', 0, 1, 'factual', false, '[]', 'y')"
    )
    con.execute(
        "insert into sentences values ('s1', 'd1', 0, 0, 1, 'x', ?, 'x')",
        [records],
    )
    con.close()

    con = store.connect(db)
    for table, key in (("claims", "claim_id"), ("sentences", "sentence_id")):
        rows = con.execute(f"select {key}, slots, slot_schema from {table} order by 1").fetchall()
        assert {schema for _, _, schema in rows} == {SLOT_SCHEMA}
        slots = store.slots_from_json(rows[0][1])
        assert [(s.value, s.unit, s.role, s.polarity, s.terms) for s in slots] == [
            now for _, now in SCHEMA_1_SLOTS
        ]
        assert [s.text for s in slots] == [record["text"] for record, _ in SCHEMA_1_SLOTS]
        assert slots[1].anchor == "4" and slots[1].measure == "rate (from)"
    assert (
        store.slots_from_json(
            con.execute("select slots from claims where claim_id = 'c2'").fetchone()[0]
        )
        == ()
    )
    con.close()


def test_the_holder_migration_gives_stored_figures_an_unknown_holder(tmp_path: Path):
    """Schema 3 (016) adds each figure's holder; a row written before has none, which
    compares as not known (the figure is compared as it was)."""
    import json

    db = database_before(tmp_path, 16)
    con = duckdb.connect(str(db))
    record = {
        "kind": "percent", "value": "5.4", "unit": "inflation", "text": "5.4%", "scope": "",
        "period": "year", "anchor": "3", "role": "", "polarity": "", "terms": [],
    }  # fmt: skip
    con.execute(
        "insert into sentences (sentence_id, document_id, sentence_index, start_char, end_char, "
        "sentence_text, slots, norm_text) values ('s1', 'd1', 0, 0, 1, 'x', ?, 'x')",
        [json.dumps([record])],
    )
    assert con.execute("select slot_schema from sentences").fetchone() == (2,)
    con.close()

    con = store.connect(db)
    raw, schema = con.execute("select slots, slot_schema from sentences").fetchone()
    (slot,) = store.slots_from_json(raw)
    assert schema == 3 and slot.holder == () and (slot.value, slot.period) == ("5.4", "year")
    con.close()


def test_rows_are_written_in_the_current_slot_schema(tmp_path: Path):
    """A change of Slot's shape must come with a migration: the column's default, which
    only a migration sets, is the schema the code writes."""
    from claimwatch.extract.slots.base import SLOT_SCHEMA

    con = store.connect(tmp_path / "db.duckdb")
    defaults = con.execute(
        "select table_name, column_default from duckdb_columns() "
        "where column_name = 'slot_schema' order by table_name"
    ).fetchall()
    assert defaults == [
        ("claims", str(SLOT_SCHEMA)),
        ("fact_checks", str(SLOT_SCHEMA)),
        ("sentences", str(SLOT_SCHEMA)),
    ]
    con.close()


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_query_runs_on_an_empty_database(tmp_path: Path, path: Path):
    con = store.connect(tmp_path / "db.duckdb")
    text = path.read_text()
    assert text.lstrip().startswith("--"), "queries start with a comment saying their grain"
    params = {k: v for k, v in PARAMS.items() if re.search(rf"\${k}\b", text)}
    rows = con.execute(text, params).fetchall()
    assert (rows != []) if path.name in CATALOG_QUERIES else (rows == [])
    con.close()


@pytest.mark.parametrize("path", WRITES, ids=lambda p: p.name)
def test_write_statement_runs_on_an_empty_database(tmp_path: Path, path: Path):
    """Every statement in sql/writes/ names its parameters and runs against the schema (on
    a connection not yet locked down, as the lock-down statements themselves need)."""
    con = duckdb.connect(str(tmp_path / "db.duckdb"), config=store.CONNECTION_CONFIG)
    store.migrate(con)
    text = path.read_text()
    assert text.lstrip().startswith("--"), "statements start with a comment saying what they do"
    params = {k: v for k, v in WRITE_PARAMS.items() if re.search(rf"\${k}\b", text)}
    assert set(re.findall(r"\$(\w+)", text)) <= set(params), "a parameter has no test value"
    con.execute(text, params).fetchall()
    con.close()


def test_a_run_starts_and_finishes_through_the_write_statements(tmp_path: Path):
    from claimwatch.article import Article

    con = store.connect(tmp_path / "db.duckdb")
    article = Article("a1", "a.txt", "Text.", None, ())
    store.start_run(con, "r1", article)
    store.finish_run(con, "r1", "published", None, "docs/x.html", {"n_claims": 4})
    row = con.execute("select status, docs_path, n_claims, n_sources from runs").fetchall()
    assert row == [("published", "docs/x.html", 4, None)]
    store.start_run(con, "r2", article)
    assert store.mark_interrupted(con) == ["r2"]
    assert con.execute("select status from runs where run_id = 'r2'").fetchall() == [
        ("interrupted",)
    ]
    con.close()


def test_candidates_rank_a_shared_number_above_a_shared_word(tmp_path: Path):
    """Two sentences share one term with the claim, equally rare: the one sharing the
    claim's number ("#11") ranks first, because the query weighs fact slots double."""
    con = store.connect(tmp_path / "db.duckdb")
    con.execute(
        "insert into claims (claim_id, article_id, sentence_index, claim_text, span_start, span_end, kind, is_date_explicit, slots, norm_text) values ('c1', 'a1', 0, 'x', 0, 1, 'factual', false, '[]', 'agency statement')"
    )
    con.executemany("insert into claim_terms values (?, ?)", [("c1", "agency"), ("c1", "#11")])
    con.execute("insert into sources values ('s1', 'u', 'Outlet', 1, null, null)")
    con.execute(
        "insert into documents values ('d1', 's1', 'u', 'Outlet', null, 'text', null, now())"
    )
    con.execute("insert into run_documents values ('r1', 'd1', false, 'd1', false)")
    con.execute(
        "insert into runs (run_id, article_id, origin, started_at, status) "
        "values ('r1', 'a1', 'x', now(), 'running')"
    )
    for sid, term in (("word", "agency"), ("number", "#11"), ("other", "weather")):
        con.execute(
            "insert into sentences (sentence_id, document_id, sentence_index, start_char, "
            "end_char, sentence_text, slots, norm_text) values (?, 'd1', 0, 0, 1, ?, '[]', ?)",
            [sid, sid, term],
        )
        con.execute("insert into sentence_terms values (?, ?)", [sid, term])
    rows = con.execute(store.query("candidates"), {"run_ids": ["r1"], "top_k": 5}).fetchall()
    con.close()
    ranked = [r[2] for r in sorted(rows, key=lambda r: r[3])]
    assert ranked == ["number", "word"]  # "other" shares nothing and is no candidate


def test_index_terms_add_number_and_entity_terms():
    from claimwatch.extract.slots.base import Slot
    from claimwatch.text import index_terms

    slots = (
        Slot("number", "11", "agency"),
        Slot("entity", "People's Bank of China", "ORG"),
        Slot("date", "2021-09-24"),
    )
    assert index_terms(["agency", "issue"], slots) == [
        "agency",
        "issue",
        "#11",
        "@people_bank_china",
    ]


def test_every_row_type_names_columns_of_its_table(tmp_path: Path):
    """Rows are written by column name (store.insert_rows): every field of a row type is a
    column of its table, so a schema change that drops or renames one fails here first."""
    from dataclasses import fields

    from claimwatch.rows import TABLE_ROWS

    con = store.connect(tmp_path / "db.duckdb")
    for table, kind in TABLE_ROWS.items():
        columns = [row[0] for row in con.execute(f"describe {table}").fetchall()]
        assert [f.name for f in fields(kind)] == [
            c for c in columns if c in {f.name for f in fields(kind)}
        ], table
        assert {f.name for f in fields(kind)} <= set(columns), table
    con.close()


def test_a_row_of_the_wrong_type_is_refused(tmp_path: Path):
    from claimwatch.rows import ClaimTermRow, SentenceTermRow

    con = store.connect(tmp_path / "db.duckdb")
    with pytest.raises(TypeError, match="claim_terms takes ClaimTermRow"):
        store.insert_rows(con, "claim_terms", [SentenceTermRow("s1", "term")])
    store.insert_rows(con, "claim_terms", [ClaimTermRow("c1", "a"), ClaimTermRow("c1", "b")])
    assert con.execute("select term from claim_terms order by term").fetchall() == [("a",), ("b",)]
    con.close()
