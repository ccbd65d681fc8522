"""Write-audit-publish: each kind of bad row, injected into a run's tables before its audit,
quarantines the run and leaves what is published exactly as it was."""

from __future__ import annotations

import duckdb
import pytest

from claimwatch import pipeline, store
from tests.conftest import SEED_ARTICLE

# (what is wrong, SQL that makes it so for run $run_id, expectation that must catch it)
CORRUPTIONS = [
    (
        "confidence above 1",
        (
            "update verdicts set confidence = 1.7 where run_id = $run_id "
            "and claim_id = (select min(claim_id) from verdicts where run_id = $run_id)"
        ),
        "expect_column_values_to_be_between",
    ),
    (
        "unknown verdict label",
        (
            "update verdicts set verdict = 'PROBABLY' where run_id = $run_id "
            "and claim_id = (select min(claim_id) from verdicts where run_id = $run_id)"
        ),
        "expect_column_values_to_be_in_set",
    ),
    (
        "SUPPORTED without an evidence URL",
        "update verdicts set evidence_url = null where run_id = $run_id and verdict = 'SUPPORTED'",
        "expect_column_values_to_not_be_null",
    ),
    (
        "evidence span not in its sentence",
        (
            "update verdicts set evidence_text = 'words no source ever wrote' "
            "where run_id = $run_id and verdict = 'SUPPORTED'"
        ),
        "expect_column_values_to_be_in_set",
    ),
    (
        "verdict for a claim of another article",
        (
            "update verdicts set claim_id = 'ffffffffffffffff' where run_id = $run_id "
            "and claim_id = (select min(claim_id) from verdicts where run_id = $run_id)"
        ),
        "expect_column_values_to_be_in_set",
    ),
    (
        "negative outlet count",
        (
            "update verdicts set n_supporting_outlets = -1 where run_id = $run_id "
            "and claim_id = (select min(claim_id) from verdicts where run_id = $run_id)"
        ),
        "expect_column_values_to_be_between",
    ),
    (
        "verdict count collapsed against the previous run",
        (
            "delete from verdicts where run_id = $run_id and claim_id not in "
            "(select claim_id from verdicts where run_id = $run_id order by claim_id limit 3)"
        ),
        "runs.n_verdicts: expect_column_pair_values_a_to_be_greater_than_b",
    ),
    (
        "most decided verdicts turned NOT ENOUGH INFO (sources lost, e.g. an emptied registry)",
        (
            "update verdicts set verdict = 'NOT ENOUGH INFO', evidence_text = null, "
            "evidence_url = null, evidence_sentence_id = null "
            "where run_id = $run_id and verdict in ('SUPPORTED', 'CONTRADICTED')"
        ),
        "runs.decisive_lost_share",
    ),
    (
        "claim text far longer than its span",
        (
            "update claims set claim_text = claim_text || repeat(' and so on', 20) "
            "where claim_id = (select min(claim_id) from verdicts where run_id = $run_id)"
        ),
        "expect_column_values_to_be_between",
    ),
]


def published(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select run_id, claim_id, verdict, confidence, evidence_url "
            "from verdicts_published order by all"
        ).fetchall()
    finally:
        con.close()


def unaudited_run(settings, nlp) -> tuple[str, str, dict[str, int]]:
    """Write a complete run of the seed, everything but the audit; return its ids."""
    parsed = pipeline.load_article(SEED_ARTICLE, settings, nlp)
    con = store.connect(settings.db_path)
    try:
        run_id = pipeline.new_run_id()
        store.start_run(con, run_id, parsed.article)
        claims = pipeline.extract_and_store(con, parsed, nlp)
        results = pipeline.fetch_sources(
            pipeline.load_sources(settings), settings, lambda message: None
        )
        pipeline.store_documents(con, run_id, parsed.article, results, nlp)
        pipeline.score_claims(con, run_id, parsed.article.article_id, settings.top_k)
    finally:
        con.close()
    counts = {"n_claims": len(claims), "n_sources": len(results), "n_sources_ok": len(results)}
    return run_id, parsed.article.article_id, counts


@pytest.mark.parametrize("what, corruption, expectation", CORRUPTIONS)
def test_a_corrupted_run_is_quarantined_and_nothing_published_changes(
    seeded_copy, nlp, what, corruption, expectation
):
    before = published(seeded_copy.db_path)
    run_id, article_id, counts = unaudited_run(seeded_copy, nlp)
    con = store.connect(seeded_copy.db_path)
    try:
        con.execute(corruption, {"run_id": run_id})
        summary = pipeline.validate_and_publish(con, run_id, article_id, counts, seeded_copy)
        status, reason = con.execute(
            "select status, failure_reason from runs where run_id = ?", [run_id]
        ).fetchone()
    finally:
        con.close()
    assert summary.status == status == "quarantined", what
    assert expectation in reason, (what, reason)
    assert published(seeded_copy.db_path) == before, what


def test_an_uncorrupted_rerun_publishes(seeded_copy, nlp):
    before = published(seeded_copy.db_path)
    run_id, article_id, counts = unaudited_run(seeded_copy, nlp)
    con = store.connect(seeded_copy.db_path)
    try:
        summary = pipeline.validate_and_publish(con, run_id, article_id, counts, seeded_copy)
    finally:
        con.close()
    assert summary.status == "published"
    after = published(seeded_copy.db_path)
    assert {row[0] for row in after} == {run_id} and len(after) == len(before)


def test_one_validation_of_two_runs_fails_only_the_corrupted_one(seeded_copy, nlp):
    """A batch is validated in one pass of each suite; a bad row fails its own run only."""
    from claimwatch.validate import validate_runs

    good, _, _ = unaudited_run(seeded_copy, nlp)
    bad, _, _ = unaudited_run(seeded_copy, nlp)
    con = store.connect(seeded_copy.db_path)
    try:
        con.execute("update verdicts set confidence = 1.7 where run_id = $run_id", {"run_id": bad})
        outcomes = validate_runs(con, [good, bad], seeded_copy)
    finally:
        con.close()
    assert outcomes[good].success and not outcomes[good].failures
    assert not outcomes[bad].success
    assert [f.describe().split(" (")[0] for f in outcomes[bad].failures] == [
        "verdicts.confidence: expect_column_values_to_be_between"
    ]
    assert outcomes[bad].run_page is not None and outcomes[bad].run_page.exists()
