"""Human reviews, the read-only query commands and the exports, on a real seeded DuckDB."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from claimwatch import batch
from claimwatch.cli import app
from claimwatch.export import claimreview_problems
from tests.conftest import SEED_ARTICLE

runner = CliRunner()
AGENCIES = "11 government agencies issued a joint statement"


def cli(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def published(db: Path) -> dict[str, dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute("select * from verdicts_published")
        names = [d[0] for d in cursor.description]
        return {r[names.index("claim_text")]: dict(zip(names, r)) for r in cursor.fetchall()}
    finally:
        con.close()


def test_a_review_overrides_the_shown_verdict_keeps_history_and_survives_runs(seeded_copy, nlp):
    db = str(seeded_copy.db_path)
    claim = published(seeded_copy.db_path)[AGENCIES]
    assert claim["verdict"] == "DISPUTED" and not claim["human_reviewed"]
    first = cli(
        "review",
        claim["claim_id"],
        "--verdict",
        "contradicted",
        "--note",
        "ten agencies signed",
        "--reviewer",
        "ana",
        "--db",
        db,
    )
    assert first.exit_code == 0, first.output
    second = cli(
        "review",
        claim["claim_id"],
        "--verdict",
        "CONTRADICTED",
        "--note",
        "checked the notice: ten",
        "--reviewer",
        "bo",
        "--db",
        db,
    )
    assert second.exit_code == 0, second.output
    row = published(seeded_copy.db_path)[AGENCIES]
    assert (row["verdict"], row["machine_verdict"], row["human_reviewed"]) == (
        "CONTRADICTED",
        "DISPUTED",
        True,
    )
    assert row["reviewer"] == "bo" and not row["review_disagrees"]
    con = duckdb.connect(db, read_only=True)
    n_reviews = con.execute(
        "select count(*) from reviews where claim_id = ?", [claim["claim_id"]]
    ).fetchall()
    con.close()
    assert n_reviews == [(2,)]  # history kept
    # A later automatic run publishes again; the review still stands over it.
    summary = batch.verify_article(SEED_ARTICLE, seeded_copy.with_overrides(force=True))
    after = published(seeded_copy.db_path)[AGENCIES]
    assert summary.status == "published" and after["run_id"] == summary.run_id
    assert (after["verdict"], after["human_reviewed"], after["review_disagrees"]) == (
        "CONTRADICTED",
        True,
        False,
    )


def test_a_review_that_the_machine_verdict_moved_away_from_is_flagged(seeded_copy):
    db = str(seeded_copy.db_path)
    claim = published(seeded_copy.db_path)[AGENCIES]
    assert (
        cli(
            "review", claim["claim_id"], "--verdict", "SUPPORTED", "--note", "n", "--db", db
        ).exit_code
        == 0
    )
    # As if the reviewer had seen an older machine verdict that later runs changed:
    con = duckdb.connect(db)
    con.execute("update reviews set machine_verdict = 'SUPPORTED'")
    con.close()
    row = published(seeded_copy.db_path)[AGENCIES]
    assert row["review_disagrees"] and row["verdict"] == "SUPPORTED"
    listing = cli("verdicts", "--db", db)
    assert "new evidence disagrees" in listing.output


def test_bad_reviews_fail_in_one_line_and_write_nothing(seeded_copy):
    db = str(seeded_copy.db_path)
    claim_id = published(seeded_copy.db_path)[AGENCIES]["claim_id"]
    for args, message in (
        (("nope", "--verdict", "SUPPORTED", "--note", "x"), "no claim 'nope'"),
        ((claim_id, "--verdict", "TRUE", "--note", "x"), "is not a verdict"),
        ((claim_id, "--verdict", "SUPPORTED", "--note", "  "), "needs a note"),
    ):
        result = cli("review", *args, "--db", db)
        assert result.exit_code == 2 and message in result.output
        assert len(result.output.strip().splitlines()) == 1
    con = duckdb.connect(db, read_only=True)
    assert con.execute("select count(*) from reviews").fetchall() == [(0,)]
    con.close()


def test_claims_and_evidence_commands_read_the_published_run(seeded):
    db = str(seeded.settings.db_path)
    article_id = seeded.summary.article_id
    claims = json.loads(cli("claims", article_id, "--db", db, "--format", "json").stdout)
    assert len(claims) == seeded.summary.n_claims
    agencies = next(c for c in claims if c["claim_text"] == AGENCIES)
    rows = json.loads(cli("evidence", agencies["claim_id"], "--db", db, "--format", "json").stdout)
    stances = [r["stance"] for r in rows]
    assert stances[0] == "REFUTES" and "SUPPORTS" in stances
    assert stances == sorted(stances, key=["REFUTES", "SUPPORTS", "NEUTRAL"].index)
    assert all(r["url"].startswith("http") for r in rows if r["stance"] != "NEUTRAL")
    for command in (("claims", "no-such-article"), ("evidence", "no-such-claim")):
        result = cli(*command, "--db", db)
        assert result.exit_code == 2 and "no " in result.output


def test_claimreview_export_is_complete_and_carries_reviews(seeded_copy, tmp_path):
    db = str(seeded_copy.db_path)
    claim = published(seeded_copy.db_path)[AGENCIES]
    cli(
        "review",
        claim["claim_id"],
        "--verdict",
        "CONTRADICTED",
        "--note",
        "ten agencies",
        "--reviewer",
        "ana",
        "--db",
        db,
    )
    out = tmp_path / "reviews.json"
    site = ("--site-url", "https://checks.example.org", "--org-name", "Desk")
    # Who publishes and where are the user's to say: no example.org stand-in.
    for missing in (site[:2], site[2:], ()):
        refused = cli("export", str(out), "--format", "claimreview", *missing, "--db", db)
        assert refused.exit_code == 2 and "--site-url" in refused.output
    assert not out.exists()
    result = cli("export", str(out), "--format", "claimreview", *site, "--db", db)
    assert result.exit_code == 0, result.output
    reviews = json.loads(out.read_text(encoding="utf-8"))
    # Only the reviewed verdict is a fact-check until more are reviewed.
    assert [r["claimReviewed"] for r in reviews] == [AGENCIES]
    assert reviews[0]["url"].startswith("https://checks.example.org/claims/")
    everything = tmp_path / "all.json"
    result = cli("export", str(everything), "--include-unreviewed", *site, "--db", db)
    assert result.exit_code == 0, result.output
    decided = json.loads(everything.read_text(encoding="utf-8"))
    con = duckdb.connect(db, read_only=True)
    try:
        n_decided, n_all = con.execute(
            "select count(*) filter (verdict <> 'NOT ENOUGH INFO'), count(*) from verdicts_published"
        ).fetchone()
    finally:
        con.close()
    assert len(decided) == n_decided and 0 < n_decided < n_all
    assert not any(r["reviewRating"]["alternateName"].startswith("Not enough") for r in decided)
    reviews = decided
    assert all(claimreview_problems(r) == [] for r in reviews)
    reviewed = next(r for r in reviews if r["claimReviewed"] == AGENCIES)
    assert reviewed["reviewRating"]["alternateName"].startswith("Contradicted")
    assert (
        reviewed["author"]["name"] == "ana" and reviewed["author"]["affiliation"]["name"] == "Desk"
    )
    assert reviewed["itemReviewed"]["appearance"]["datePublished"] == "2021-09-24"
    # The validator is not a rubber stamp.
    broken = {**reviewed, "reviewRating": {"@type": "Rating"}, "url": "ftp://x"}
    assert len(claimreview_problems(broken)) == 2


def test_parquet_export_is_partitioned_by_article_date_and_complete(seeded, tmp_path):
    out = tmp_path / "exports"
    result = cli("export", str(out), "--format", "parquet", "--db", str(seeded.settings.db_path))
    assert result.exit_code == 0, result.output
    assert (out / "verdicts_published" / "article_date=2021-09-24").is_dir()
    con = duckdb.connect()
    n_rows = con.execute(
        "select count(*), min(article_date) from read_parquet(?, hive_partitioning = true)",
        [str(out / "verdicts_published" / "**" / "*.parquet")],
    ).fetchall()
    assert n_rows == [(seeded.summary.n_claims, date(2021, 9, 24))]
    assert f"verdicts_published: {seeded.summary.n_claims} rows" in result.output  # COPY's count
    missing_dir = cli("export", "--format", "parquet", "--db", str(seeded.settings.db_path))
    assert missing_dir.exit_code == 2


def test_hostile_urls_and_text_cannot_script_the_dashboard_or_the_json_ld(seeded_copy, tmp_path):
    """A registry's original_url of "javascript:…" and a review note that closes a script
    tag: the dashboard links only http(s) URLs, and the JSON-LD escapes "<"."""
    db = str(seeded_copy.db_path)
    con = duckdb.connect(db)
    try:
        con.execute("update sources set original_url = 'javascript:alert(document.cookie)'")
    finally:
        con.close()
    claim = published(seeded_copy.db_path)[AGENCIES]
    note = "</script><script>alert(1)</script> & <!--"
    cli(
        "review",
        claim["claim_id"],
        "--verdict",
        "CONTRADICTED",
        "--note",
        note,
        "--reviewer",
        "ana",
        "--db",
        db,
    )
    site = tmp_path / "site"
    assert cli("report", "--out", str(site), "--db", db).exit_code == 0
    pages = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "javascript:alert(document.cookie)" in pages  # shown as text…
    assert 'href="javascript:' not in pages.lower()  # …never as a link
    assert "<script>alert(1)" not in pages
    out = tmp_path / "reviews.json"
    site = ("--site-url", "https://checks.example.org", "--org-name", "Desk")
    assert cli("export", str(out), "--format", "claimreview", *site, "--db", db).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "</script" not in text.lower() and "<" not in text
    reviews = json.loads(text)  # escaping changes the bytes, not the data
    assert any(r["reviewRating"]["ratingExplanation"] == note for r in reviews)
