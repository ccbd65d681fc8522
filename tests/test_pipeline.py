"""End to end on real parts: DuckDB files, snapshots and a local HTTP server, real GX."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from claimwatch import batch, pipeline, store
from claimwatch.validate import publish_or_quarantine, validate_run
from tests.conftest import SEED_ARTICLE, make_settings

# Verdict accuracy on the labelled claims is measured (with floors) in test_verdict_eval.py.


def published(db: Path) -> dict[str, dict]:
    con = duckdb.connect(str(db), read_only=True)
    cursor = con.execute("select * from verdicts_published")
    names = [d[0] for d in cursor.description]
    rows = {r[names.index("claim_text")]: dict(zip(names, r)) for r in cursor.fetchall()}
    con.close()
    return rows


def count(db: Path, sql: str, params: list | None = None) -> int:
    con = duckdb.connect(str(db), read_only=True)
    value = con.execute(sql, params or []).fetchone()[0]
    con.close()
    return value


def test_seed_run_is_published_with_data_docs(seeded):
    assert seeded.summary.status == "published", seeded.summary.failure_reason
    assert seeded.summary.n_claims >= 15
    assert seeded.summary.n_sources_ok == seeded.summary.n_sources >= 6
    assert Path(seeded.summary.docs_path).is_file()


def test_overseas_and_friday_claims_are_supported_with_evidence_urls(seeded):
    rows = published(seeded.settings.db_path)
    overseas = next(
        r
        for t, r in rows.items()
        if t.startswith("Overseas virtual currency exchanges") and "PBOC said" not in t
    )
    friday = rows["China issued a joint statement on Friday"]
    for row in (overseas, friday):
        assert row["verdict"] == "SUPPORTED"
        assert row["evidence_url"].startswith("http")
        assert row["evidence_text"]
    # The verdict's reason is in words; the evidence row keeps judge's finding.
    assert "the same date, 2021-09-24" in friday["reason"]
    assert "=" not in friday["reason"] and "overlap.supports" not in friday["reason"]
    con = duckdb.connect(str(seeded.settings.db_path), read_only=True)
    findings = con.execute(
        "select string_agg(reasons, ' ') from evidence_published where claim_id = ?",
        [friday["claim_id"]],
    ).fetchone()[0]
    con.close()
    assert "date 2021-09-24 = 2021-09-24" in findings


def test_eleven_agencies_claim_is_disputed_with_the_reason_shown(seeded):
    row = published(seeded.settings.db_path)["11 government agencies issued a joint statement"]
    assert row["verdict"] == "DISPUTED"
    assert row["contradicting_outlets"] >= 2 and row["supporting_outlets"] >= 1
    assert "gives 10, not 11 (agency)" in row["reason"]
    assert "ten" in row["evidence_text"].lower()


def test_rerun_adds_no_duplicate_claims_documents_or_sentences(seeded_copy, nlp):
    db = seeded_copy.db_path
    before = {
        t: count(db, f"select count(*) from {t}")
        for t in ("claims", "documents", "sentences", "runs")
    }
    published_before = count(db, "select any_value(run_id) from verdicts_published")
    # Nothing changed: the run is recorded as unchanged and the published verdicts stand.
    unchanged = batch.verify_article(SEED_ARTICLE, seeded_copy)
    assert unchanged.status == "unchanged" and unchanged.same_as == published_before
    assert count(db, "select any_value(run_id) from verdicts_published") == published_before
    # Forced, it scores and publishes again, still without duplicating any row.
    summary = batch.verify_article(SEED_ARTICLE, seeded_copy.with_overrides(force=True))
    after = {
        t: count(db, f"select count(*) from {t}")
        for t in ("claims", "documents", "sentences", "runs")
    }
    assert summary.status == "published"
    assert after == {**before, "runs": before["runs"] + 2}
    assert count(db, "select count(distinct run_id) from verdicts_published") == 1
    assert count(db, "select any_value(run_id) from verdicts_published") == summary.run_id


def write_registry(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("url,outlet,published\n" + "".join(f"{u},{o},2021-09-24\n" for u, o in rows))
    return path


def test_failed_sources_are_recorded_and_do_not_fail_the_run(tmp_path, http_server, nlp):
    registry = write_registry(
        tmp_path / "sources.csv",
        [
            (http_server.url("/pages/agency-count.html"), "synthetic-test"),
            (http_server.url("/error500"), "Broken Outlet"),
            ("http://127.0.0.1:9/dead", "Dead Host"),
            (str(tmp_path / "missing.html"), "Missing Snapshot"),
        ],
    )
    settings = make_settings(tmp_path, sources=registry)
    summary = batch.verify_article(SEED_ARTICLE, settings)
    assert summary.status == "published" and summary.n_sources_ok == 1
    con = duckdb.connect(str(settings.db_path), read_only=True)
    statuses = dict(
        con.execute("select url, status from fetches where run_id = ?", [summary.run_id]).fetchall()
    )
    con.close()
    assert sorted(statuses.values()) == ["http_error", "missing", "network_error", "ok"]
    row = published(settings.db_path)["11 government agencies issued a joint statement"]
    assert row["verdict"] == "CONTRADICTED" and "gives 10, not 11" in row["reason"]


def test_all_sources_failing_publishes_nothing(tmp_path, http_server, nlp):
    registry = write_registry(tmp_path / "sources.csv", [(http_server.url("/error500"), "Broken")])
    settings = make_settings(tmp_path, sources=registry)
    summary = batch.verify_article(SEED_ARTICLE, settings)
    assert summary.n_sources_ok == 0 and summary.status == "quarantined"
    assert "all 1 fetches failed (http_error)" in summary.failure_reason
    assert published(settings.db_path) == {}


def test_a_copy_of_the_article_is_never_its_own_evidence(tmp_path, nlp):
    copy = tmp_path / "copy.txt"
    copy.write_text(SEED_ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    settings = make_settings(
        tmp_path, sources=write_registry(tmp_path / "sources.csv", [(str(copy), "Copycat")])
    )
    summary = batch.verify_article(SEED_ARTICLE, settings)
    assert count(settings.db_path, "select count(*) from run_documents where is_excluded") == 1
    assert (
        count(settings.db_path, "select count(*) from evidence where run_id = ?", [summary.run_id])
        == 0
    )


def unpublished_run(settings, nlp) -> tuple[duckdb.DuckDBPyConnection, str, str]:
    """Run every stage but validation, leaving the run in status 'running'."""
    parsed = pipeline.load_article(SEED_ARTICLE, settings, nlp)
    con = store.connect(settings.db_path)
    run_id = pipeline.new_run_id()
    store.start_run(con, run_id, parsed.article)
    pipeline.extract_and_store(con, parsed, nlp)
    results = pipeline.fetch_sources(pipeline.load_sources(settings), settings, lambda m: None)
    pipeline.store_documents(con, run_id, parsed.article, results, nlp)
    pipeline.score_claims(con, run_id, parsed.article.article_id, settings.top_k)
    return con, run_id, parsed.article.article_id


CORRUPTIONS = {
    "confidence out of range": (
        "update verdicts set confidence = 1.5 where run_id = $run_id",
        "verdicts.confidence",
    ),
    "unknown verdict label": (
        "update verdicts set verdict = 'TRUE-ISH' where run_id = $run_id",
        "verdicts.verdict",
    ),
    "verdict without evidence": (
        "update verdicts set evidence_text = null where run_id = $run_id and verdict = 'SUPPORTED'",
        "verdicts.evidence_text",
    ),
    "evidence for an unknown claim": (
        "insert into evidence values ($run_id, 'ghost-claim', 'ghost-sentence', 1, 1.0, 50, 0.5, 'NEUTRAL', '', null)",
        "evidence.claim_in_run",
    ),
    "bad stance": (
        "update evidence set stance = 'MAYBE' where run_id = $run_id",
        "evidence.stance",
    ),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_corrupted_run_is_quarantined_and_published_data_unchanged(seeded_copy, nlp, corruption):
    sql, expected = CORRUPTIONS[corruption]
    before = published(seeded_copy.db_path)
    con, run_id, article_id = unpublished_run(seeded_copy, nlp)
    try:
        con.execute(sql, {"run_id": run_id})
        outcome = validate_run(con, run_id, article_id, seeded_copy)
        status = publish_or_quarantine(
            con, run_id, outcome, {"n_claims": 0, "n_sources": 0, "n_sources_ok": 0}
        )
        reason = con.execute(
            "select failure_reason from runs where run_id = ?", [run_id]
        ).fetchone()[0]
    finally:
        con.close()
    assert not outcome.success and status == "quarantined"
    assert expected in reason
    assert published(seeded_copy.db_path) == before


def test_near_duplicates_share_an_outlet_group_and_copies_of_the_article_are_excluded():
    article = "China's central bank said all crypto transactions are illegal. " * 20
    wire = "Reuters reported that ten agencies vowed to root out illegal crypto activity. " * 20
    reprint = wire.replace("vowed", "pledged", 1)  # a syndicated copy with one word changed
    other = "Bitcoin fell 9% after the announcement, traders said on Friday. " * 20
    rows = pipeline.outlet_groups(
        article, [("wire", wire), ("reprint", reprint), ("other", other), ("copy", article)]
    )
    groups = {doc_id: group for doc_id, _, group in rows}
    excluded = {doc_id for doc_id, is_excluded, _ in rows if is_excluded}
    assert groups["reprint"] == groups["wire"] == "wire"
    assert groups["other"] == "other"
    assert excluded == {"copy"}


def test_an_unchanged_article_is_not_parsed_again(seeded_copy, nlp):
    from claimwatch import store
    from claimwatch.version import extractor_version, model_id

    messages: list[str] = []
    summary = batch.verify_article(SEED_ARTICLE, seeded_copy, progress=messages.append)
    assert summary.status == "unchanged"
    assert any("as extracted before from this very text" in m for m in messages), messages
    con = store.connect(seeded_copy.db_path, read_only=True)
    try:
        version = extractor_version(model_id(nlp))
        known = store.stored_claims(con, summary.article_id, version)
        assert known is not None and len(known) == summary.n_claims
        assert store.stored_claims(con, summary.article_id, "another-version") is None
    finally:
        con.close()


def scoring_message(messages: list[str]) -> tuple[int, int]:
    line = next(m for m in messages if m.startswith("scored ") and "new pairs" in m)
    words = line.replace(";", "").split()
    return int(words[1]), int(words[5])


def test_a_forced_rerun_scores_no_pair_again_and_gives_the_same_verdicts(seeded_copy, nlp):
    db = seeded_copy.db_path
    before = {t: (r["verdict"], r["confidence"], r["reason"]) for t, r in published(db).items()}
    messages: list[str] = []
    summary = batch.verify_article(
        SEED_ARTICLE, seeded_copy.with_overrides(force=True), progress=messages.append
    )
    scored, reused = scoring_message(messages)
    n_pairs = count(db, "select count(*) from evidence where run_id = ?", [summary.run_id])
    assert (scored, reused) == (0, n_pairs) and n_pairs > 100
    after = {t: (r["verdict"], r["confidence"], r["reason"]) for t, r in published(db).items()}
    assert after == before


def test_the_model_reads_a_pair_of_texts_once_whatever_scores_it(seeded_copy, nlp, monkeypatch):
    """With every stored stance gone, a forced re-run judges all its pairs again, but the
    model's readings come from entailment_scores: no pair of texts is read twice."""
    from claimwatch import entailment

    db = seeded_copy.db_path
    before = {t: (r["verdict"], r["confidence"], r["reason"]) for t, r in published(db).items()}
    n_readings = count(db, "select count(*) from entailment_scores")
    con = duckdb.connect(str(db))
    con.execute("delete from pair_scores")
    con.close()
    monkeypatch.setattr(entailment.EntailmentModel, "score", refuse_to_score)
    messages: list[str] = []
    summary = batch.verify_article(
        SEED_ARTICLE, seeded_copy.with_overrides(force=True), progress=messages.append
    )
    scored, reused = scoring_message(messages)
    assert summary.status == "published" and scored > 100 and reused == 0
    assert count(db, "select count(*) from entailment_scores") == n_readings > 100
    after = {t: (r["verdict"], r["confidence"], r["reason"]) for t, r in published(db).items()}
    assert after == before


def refuse_to_score(self, pairs):
    raise AssertionError(f"the model was asked to read {len(pairs)} pairs it had read before")


def test_an_edited_article_scores_only_its_new_claims(seeded_copy, nlp, tmp_path):
    db = seeded_copy.db_path
    old_claims = {r[0] for r in duckdb_rows(db, "select claim_text from claims")}
    edited = tmp_path / "edited.txt"
    edited.write_text(
        SEED_ARTICLE.read_text(encoding="utf-8").rstrip()
        + "\nThe central bank said mining farms in Sichuan had already shut down.\n",
        encoding="utf-8",
    )
    messages: list[str] = []
    summary = batch.verify_article(edited, seeded_copy, progress=messages.append)
    scored, reused = scoring_message(messages)
    new_pairs = count(
        db,
        "select count(*) from evidence e join claims c using (claim_id) "
        "where e.run_id = ? and c.claim_text not in (select unnest(?::varchar[]))",
        [summary.run_id, sorted(old_claims)],
    )
    assert summary.status == "published"
    assert 0 < scored == new_pairs
    assert reused > scored


def duckdb_rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def registry_with_extra_page(settings, folder: Path) -> Path:
    """The bundled registry plus one invented page on the seed's story."""
    page = folder / "extra.html"
    page.write_text(
        "<html><body><article><h1>Beijing widens crypto ban</h1><p>China's central bank "
        "said on Friday that all cryptocurrency transactions are illegal. Ten government "
        "agencies pledged to keep up the crackdown on mining. Analysts said the ban may "
        "push miners abroad.</p></article></body></html>",
        encoding="utf-8",
    )
    lines = settings.sources_csv.read_text(encoding="utf-8").splitlines()
    rows = [lines[0]]
    for line in lines[1:]:
        url, rest = line.split(",", 1)
        rows.append(f"{(settings.sources_csv.parent / url).resolve()},{rest}")
    rows.append(f"{page},Invented Daily (invented for a test),2021-09-25,3,")
    registry = folder / "sources.csv"
    registry.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return registry


def test_a_new_document_scores_its_pairs_and_reuses_the_rest_with_the_same_verdicts(
    seeded_copy, nlp, tmp_path
):
    registry = registry_with_extra_page(seeded_copy, tmp_path)
    # The registry lives in tmp_path and names the bundled snapshots: allow their folder.
    roots = (str(seeded_copy.sources_csv.parent),)
    messages: list[str] = []
    incremental = batch.verify_article(
        SEED_ARTICLE,
        seeded_copy.with_overrides(sources_csv=registry, snapshot_roots=roots),
        progress=messages.append,
    )
    scored, reused = scoring_message(messages)
    db = seeded_copy.db_path
    new_document_pairs = count(
        db,
        "select count(*) from evidence e join sentences s using (sentence_id) "
        "join documents d using (document_id) where e.run_id = ? and d.url like '%extra.html'",
        [incremental.run_id],
    )
    assert incremental.status == "published" and new_document_pairs > 0
    assert scored >= new_document_pairs and reused >= 3 * scored
    # From scratch, with the same sources: the very same published verdicts.
    fresh_settings = make_settings(tmp_path / "fresh").with_overrides(
        sources_csv=registry, snapshot_roots=roots
    )
    batch.verify_article(SEED_ARTICLE, fresh_settings)
    columns = "claim_id, verdict, confidence, reason, evidence_text"
    query = f"select {columns} from verdicts_published order by claim_id"
    assert duckdb_rows(db, query) == duckdb_rows(fresh_settings.db_path, query)


def test_an_upgrade_rechecks_unchanged_articles_and_reads_stored_documents_again(seeded_copy, nlp):
    """Data stored by an older claimwatch: runs by other code and sentences analysed by
    another extractor. The next run re-analyses the documents in place and scores again."""
    db = seeded_copy.db_path
    sentence_ids = {
        r[0]
        for r in duckdb.connect(str(db)).execute("select sentence_id from sentences").fetchall()
    }
    con = duckdb.connect(str(db))
    try:
        con.execute("update run_code_versions set code_version = 'an-older-release'")
        con.execute("update document_analyses set extractor_version = 'an-older-release'")
        con.execute("update extractions set extractor_version = 'an-older-release'")
        con.execute("update claims set norm_text = 'stale'")
        # an older extractor knew nothing of the clause a figure belongs to
        con.execute(
            "update sentences set slots = replace(slots::varchar, '\"anchor\"', '\"gone\"')::json"
        )
    finally:
        con.close()
    summary = batch.verify_article(SEED_ARTICLE, seeded_copy)
    assert summary.status == "published"
    con = duckdb.connect(str(db), read_only=True)
    try:
        versions = con.execute(
            "select distinct extractor_version from document_analyses"
        ).fetchall()
        assert versions and "an-older-release" not in {v for (v,) in versions}
        assert {
            r[0] for r in con.execute("select sentence_id from sentences").fetchall()
        } == sentence_ids
        stale = con.execute(
            "select count(*) from sentences where slots::varchar like '%\"gone\"%'"
        ).fetchone()[0]
        assert stale == 0
        assert (
            con.execute("select count(*) from claims where norm_text = 'stale'").fetchone()[0] == 0
        )
        code = con.execute(
            "select code_version from run_code_versions where run_id = ?", [summary.run_id]
        ).fetchone()[0]
        assert code != "an-older-release"
    finally:
        con.close()
    # With code and documents current again, the next run is skipped as unchanged.
    assert batch.verify_article(SEED_ARTICLE, seeded_copy).status == "unchanged"


def test_an_outlet_speaks_in_its_own_pages():
    names = pipeline.document_names(["Bureau of Labor Statistics"], "the PBOC")
    assert names == {"Bureau of Labor Statistics", "People's Bank of China"}


def test_two_sentences_of_one_document_are_read_together_only_where_none_decides(nlp):
    from datetime import date

    from claimwatch.extract.slots import extract_slots
    from claimwatch.extract.slots.base import Slot
    from claimwatch.stance.judge import NEUTRAL, REFUTES, SUPPORTS, Stance
    from claimwatch.text import normalise_tokens, sentence_slots, term_of

    day = date(2021, 10, 13)
    claim = nlp(
        "US consumer prices rose 5.4% in September from a year earlier, the Labor Department"
        " said Wednesday"
    )
    claim_slots = extract_slots(list(claim), day) + (
        Slot("predicate", term_of(claim[:].root) or "", "", ""),
    )
    sentences = [
        "In the 12 months through September, the CPI advanced 5.4% after climbing 5.3% in August.",
        "The consumer price index rose 0.4% last month, the Labor Department said on Wednesday.",
    ]

    def row(document_id: str, index: int, text: str) -> pipeline.CandidatePair:
        tokens = list(nlp(text))
        return pipeline.CandidatePair(
            run_id="r1",
            claim_id="c1",
            sentence_id=f"{document_id}-{index}",
            candidate_rank=index + 1,
            retrieval_score=1.0,
            weighted_coverage=0.5,
            claim_text=claim.text,
            claim_norm=" ".join(normalise_tokens(list(claim))),
            claim_slots=store.slots_json(claim_slots),
            sentence_norm=" ".join(normalise_tokens(tokens)),
            sentence_slots=store.slots_json(sentence_slots(tokens, day)),
            sentence_text=text,
            document_id=document_id,
            evidence_url=f"https://news.example/{document_id}",
            outlet="Example News",
            tier=2,
            outlet_group=document_id,
            document_entities=[],
            document_dates=[],
            document_names=frozenset({"Labor Department", "United States"}),
            document_lede=("2021-10-13",),
        )

    rows = [row("d1", i, t) for i, t in enumerate(sentences)]
    rows += [row("d2", i, t) for i, t in enumerate(sentences)]
    # as the pipeline sees them with corpus weighting: neither alone close enough
    stances = [
        Stance(NEUTRAL, 85.0 - i, 0.45, ("on topic but not close enough",)) for i in range(4)
    ]
    # the second document also holds a sentence that refutes: no joint reading there
    stances[3] = Stance(REFUTES, 90.0, 0.8, ("percent 5.4 ≠ 5.3",))
    joint = pipeline.joint_stances(rows, stances)
    assert list(joint) == [0]
    assert joint[0].stance == SUPPORTS
    assert joint[0].reasons[0] == f'read with "{sentences[1]}"'
    assert "percent 5.4 = 5.4 (inflation, over a year)" in joint[0].reasons


class FailingWork(batch.LocalWork):
    """Work that breaks down in one stage, as a worker lost mid-batch would."""

    def __init__(self, stage: str) -> None:
        super().__init__()
        object.__setattr__(self, "broken", stage)

    def map(self, stage, fn, items, on_done=lambda result: None):
        if stage == self.broken:
            raise RuntimeError(f"worker lost during {stage}")
        return super().map(stage, fn, items, on_done)


def test_a_batch_that_breaks_mid_way_marks_its_runs_failed_and_publishes_nothing(
    seeded_copy, tmp_path
):
    db = seeded_copy.db_path
    before = published(db)
    edited = tmp_path / "edited.txt"
    edited.write_text(
        SEED_ARTICLE.read_text(encoding="utf-8").rstrip() + "\nTen agencies signed it.\n",
        encoding="utf-8",
    )
    with pytest.raises(RuntimeError, match="worker lost during score"):
        batch.verify_articles([str(edited)], seeded_copy, FailingWork("score"))
    rows = duckdb_rows(db, "select status, failure_reason from runs order by started_at")
    assert rows[-1] == ("failed", "RuntimeError: worker lost during score")
    assert published(db) == before
    # The next batch starts afresh and publishes.
    assert batch.verify_article(edited, seeded_copy).status == "published"


def test_candidates_of_many_runs_in_one_query_are_each_runs_own(seeded_copy):
    """The blocking query ranks each run of a batch against its own documents: run
    together, two runs get exactly the rows each gets alone."""
    olympic = SEED_ARTICLE.parent / "olympic-100m-2021-07-31.txt"
    other = batch.verify_article(olympic, seeded_copy)
    con = store.connect(seeded_copy.db_path, read_only=True)
    try:
        runs = con.execute(
            "select run_id, article_id from runs where status = 'published'"
        ).fetchall()
        together = pipeline.find_candidates_many(con, [r for r, _ in runs], seeded_copy.top_k)
        alone = {r: pipeline.find_candidates(con, r, a, seeded_copy.top_k) for r, a in runs}
    finally:
        con.close()
    assert len(runs) == 2 and other.run_id in together
    for run_id, _ in runs:
        assert together[run_id].rows == alone[run_id].rows and together[run_id].rows
        assert together[run_id].keys == alone[run_id].keys
