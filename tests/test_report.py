"""The review dashboard in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from benchmarks.report_site import CHROMIUM, CHROMIUM_ARGS
from claimwatch.cli import app
from claimwatch.report import segments

runner = CliRunner()
AGENCIES = "11 government agencies issued a joint statement"


def test_nested_claims_give_each_piece_to_the_shortest_claim():
    text = "China banned mining. Rain fell."
    pieces = segments(text, [(0, 20, "outer", "SUPPORTED"), (6, 19, "inner", "CONTRADICTED")])
    assert [(p.text, p.claim_id, p.css) for p in pieces] == [
        ("China ", "outer", "supported"),
        ("banned mining", "inner", "contradicted"),
        (".", "outer", "supported"),
        (" Rain fell.", None, ""),
    ]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def test_the_dashboard_shows_a_claims_evidence_on_click(seeded_copy, tmp_path, browser):
    db = str(seeded_copy.db_path)
    claims = runner.invoke(app, ["verdicts", "--db", db, "--format", "json"]).stdout
    by_text = {r["claim_text"]: r for r in json.loads(claims)}
    reviewed = next(r for t, r in by_text.items() if r["verdict"] == "NOT ENOUGH INFO")
    assert (
        runner.invoke(
            app,
            [
                "review",
                reviewed["claim_id"],
                "--verdict",
                "SUPPORTED",
                "--note",
                "read the notice",
                "--reviewer",
                "ana",
                "--db",
                db,
            ],
        ).exit_code
        == 0
    )
    site = tmp_path / "site"
    built = runner.invoke(app, ["report", "--out", str(site), "--db", db])
    assert built.exit_code == 0, built.output

    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.goto((site / "index.html").as_uri())
    assert page.locator("#articles tbody tr").count() == 1
    page.locator("#articles a").first.click()
    agencies = by_text[AGENCIES]
    span = page.locator(f'.article-text .claim[data-claim="{agencies["claim_id"]}"]')
    assert "disputed" in span.first.get_attribute("class")
    span.first.click()
    panel = page.locator(f"#claim-{agencies['claim_id']}")
    assert panel.is_visible()
    assert page.locator(".claim-panel:visible").count() == 1
    assert panel.locator(".verdict").inner_text() == "DISPUTED"
    first = panel.locator(".evidence").first
    assert "REFUTES" in first.get_attribute("class")  # contradicting evidence first
    assert "ten" in first.locator("blockquote").inner_text().lower()
    assert first.locator("a").get_attribute("href").startswith("http")
    # Colour classes follow verdicts, and a reviewed claim shows both verdicts.
    supported = next(
        r for r in by_text.values() if r["verdict"] == "SUPPORTED" and not r["human_reviewed"]
    )
    assert "supported" in page.locator(
        f'#claim-list .claim[data-claim="{supported["claim_id"]}"]'
    ).get_attribute("class")
    page.locator(f'#claim-list .claim[data-claim="{reviewed["claim_id"]}"]').click()
    review = page.locator(f"#claim-{reviewed['claim_id']} .review")
    assert "Reviewed by ana" in review.inner_text() and "NOT ENOUGH INFO" in review.inner_text()
    span.first.click()
    shot = tmp_path / "article.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    # The runs page lists the run and links its Data Docs page.
    page.goto((site / "runs.html").as_uri())
    assert page.locator("#runs tbody tr").count() >= 1
    assert page.locator("#runs a[href*='validations']").count() >= 1
    # The schema page lists the views users query, with their columns.
    page.goto((site / "schema.html").as_uri())
    assert "review_disagrees" in page.locator("#verdicts_published + table").inner_text()
    assert page.locator("#reviews").count() == 1
