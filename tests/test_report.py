"""The review dashboard in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import json
import re
import shutil

import duckdb
from typer.testing import CliRunner

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


def test_the_dashboard_shows_a_claims_evidence_on_click(seeded, seeded_copy, tmp_path, browser):
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
    # An outlet whose name holds the filter's old separator is still one outlet.
    con = duckdb.connect(db)
    con.execute("update documents set outlet = 'Tech | Crunch' where outlet = 'TechCrunch'")
    con.close()
    site = tmp_path / "site"
    built = runner.invoke(
        app, ["report", "--out", str(site), "--db", db, "--docs", str(seeded.settings.docs_dir)]
    )
    assert built.exit_code == 0, built.output
    # Copied elsewhere, the site still works: every link in it is relative.
    moved = tmp_path / "copied" / "site"
    shutil.copytree(site, moved)
    shutil.rmtree(site)

    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith("file://") else outside.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    # Each page's Content-Security-Policy blocks nothing claimwatch itself wrote.
    page.on("console", lambda m: errors.append(m.text) if "Security Policy" in m.text else None)
    page.goto((moved / "index.html").as_uri())
    assert page.locator("#articles tbody tr").count() == 1
    title = page.locator("#articles a").first
    assert title.inner_text().startswith("China’s central bank")  # a title, not a file name
    title.click()
    assert "date 2021-09-24" not in page.locator(".article-text").inner_text()
    assert "2021-09-24" in page.locator(".meta").inner_text()
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
    # Its reason in words; the finding as judge wrote it stays in the tooltip.
    reason = first.locator("small")
    assert "gives 10, not 11 (agency)" in reason.inner_text()
    assert "number 11 ≠ 10 (agency)" in reason.get_attribute("title")
    # Colour classes follow verdicts, and a reviewed claim shows both verdicts.
    supported = next(
        r for r in by_text.values() if r["verdict"] == "SUPPORTED" and not r["human_reviewed"]
    )
    assert "supported" in page.locator(
        f'#claim-list .claim[data-claim="{supported["claim_id"]}"]'
    ).get_attribute("class")
    # A claim clicked in the list, far below, brings its panel into view.
    page.locator(f'#claim-list .claim[data-claim="{reviewed["claim_id"]}"]').click()
    opened = page.locator(f"#claim-{reviewed['claim_id']}")
    top = opened.evaluate("el => el.getBoundingClientRect().top")
    assert -1 <= top < page.viewport_size["height"]  # scrolled to its start
    review = opened.locator(".review")
    assert "Reviewed by ana" in review.inner_text() and "NOT ENOUGH INFO" in review.inner_text()

    # Filters: verdict, outlet, review, words; and sorting.
    items = page.locator("#claim-list > li")
    total = items.count()
    filters = page.locator("form.filters")
    filters.locator("select[name=verdict]").select_option("DISPUTED")
    visible = page.locator("#claim-list > li:visible")
    assert 0 < visible.count() < total
    assert {v.get_attribute("data-verdict") for v in visible.all()} == {"DISPUTED"}
    assert filters.locator(".shown").inner_text() == f"{visible.count()} of {total} claims"
    filters.locator("select[name=verdict]").select_option("")
    filters.locator("select[name=outlet]").select_option("Tech | Crunch")
    assert 0 < visible.count() < total
    assert all(
        "Tech | Crunch" in json.loads(v.get_attribute("data-outlets")) for v in visible.all()
    )
    filters.locator("select[name=outlet]").select_option("")
    filters.locator("select[name=reviewed]").select_option("yes")
    assert [v.get_attribute("data-claim-item") for v in visible.all()] == [reviewed["claim_id"]]
    filters.locator("select[name=reviewed]").select_option("")
    filters.locator("input[name=q]").fill("agencies")
    assert visible.count() >= 1
    assert all("agencies" in v.inner_text().lower() for v in visible.all())
    filters.locator("input[name=q]").fill("")
    assert visible.count() == total
    filters.locator("select[name=sort]").select_option("confidence-desc")
    confidences = [float(v.get_attribute("data-confidence")) for v in visible.all()]
    assert confidences == sorted(confidences, reverse=True) and len(set(confidences)) > 1
    filters.locator("select[name=sort]").select_option("verdict")
    order = ["CONTRADICTED", "DISPUTED", "SUPPORTED", "NOT ENOUGH INFO", "none"]
    ranks = [order.index(v.get_attribute("data-verdict")) for v in visible.all()]
    assert ranks == sorted(ranks)
    span.first.click()
    shot = tmp_path / "article.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    # All claims, across articles: a filtered claim links to its panel on its page.
    page.goto((moved / "claims.html").as_uri())
    page.locator("form.filters select[name=verdict]").select_option("DISPUTED")
    link = page.locator("#claim-list > li:visible a.claim").first
    link.click()
    assert page.locator(".claim-panel:visible .verdict").inner_text() == "DISPUTED"

    # The runs page: expectations per run, and a relative link to its Data Docs page.
    page.goto((moved / "runs.html").as_uri())
    assert page.locator("#runs tbody tr").count() >= 1
    passed = page.locator("#runs .expectations").first.inner_text()
    assert re.fullmatch(r"(\d+) of \1", passed), passed  # the seeded run passed all
    docs = page.locator("#runs a[href*='validations']").first
    assert not docs.get_attribute("href").startswith(("file:", "/"))
    docs.click()
    page.wait_for_load_state("load")
    assert "Expectation Validation Result" in page.content()
    assert page.evaluate("typeof jQuery !== 'undefined' && typeof jQuery.fn.bootstrapTable")
    # The schema page lists the views users query, with their columns.
    page.goto((moved / "schema.html").as_uri())
    assert "review_disagrees" in page.locator("#verdicts_published + table").inner_text()
    assert page.locator("#reviews").count() == 1
    assert outside == [] and errors == []


def test_data_docs_pages_render_styled_with_no_outside_request(seeded, browser):
    """GX's pages load their CSS and scripts from the site's own vendored copies."""
    site = seeded.settings.docs_dir
    pages = [site / "index.html", *sorted(site.glob("validations/*/*/*/*.html"))]
    assert len(pages) >= 5  # the index and one page per suite
    page = browser.new_page()
    outside: list[str] = []
    failed: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(("file://", "data:")) else outside.append(r.url),
    )
    page.on("requestfailed", lambda r: failed.append(r.url))
    for one in pages:
        page.goto(one.as_uri())
        page.wait_for_load_state("load")
        styled = page.evaluate("getComputedStyle(document.querySelector('.navbar')).display")
        assert styled == "flex", one  # Bootstrap's navbar: the stylesheet loaded
        assert page.evaluate("typeof jQuery !== 'undefined' && typeof jQuery.fn.bootstrapTable")
    assert outside == [], outside
    assert failed == [], failed


def test_a_data_docs_page_is_pointed_at_the_sites_own_files():
    from claimwatch.datadocs import LOCAL_COPIES, VENDOR_SOURCE, offline_page

    html = (
        '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>'
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" '
        'integrity="sha384-x" crossorigin="anonymous"></script>'
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1&dataContextId=abc">'
        '<script src="https://cdn.example.net/new-in-a-later-gx.js"></script>'
        '<a href="https://greatexpectations.io">Great Expectations</a>'
    )
    page = offline_page(html, "../..")
    assert 'href="../../static/vendor/bootstrap/bootstrap.min.css"' in page
    assert 'src="../../static/vendor/popper/popper.min.js"></script>' in page  # no SRI, no CORS
    assert 'src="../../static/images/logo-long.png"' in page and "dataContextId" not in page
    assert "new-in-a-later-gx.js" not in page  # an unknown outside load is dropped…
    assert 'href="https://greatexpectations.io"' in page  # …a link to click is not a load
    # Every address has its file in the package.
    assert all((VENDOR_SOURCE / local).is_file() for local in LOCAL_COPIES.values())


def test_an_article_is_titled_by_its_first_sentence_without_its_date_line():
    from claimwatch.titles import article_title, body_start

    text = " date 2021-09-24 China's central bank said all crypto trading is illegal. More text."
    assert text[body_start(text) :].startswith("China's")
    assert article_title(text) == "China's central bank said all crypto trading is illegal."
    long = "word " * 40
    assert article_title(long).endswith("…") and len(article_title(long)) <= 91
