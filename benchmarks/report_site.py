"""Print how long the review dashboard takes to build and to open for 1,000 articles.

The seed article is verified once; its published run is then copied, in SQL, to 1,000
articles (ids suffixed, dates spread over three years), so the site has 1,000 article
pages of 31 claims each. Building is timed in-process; opening index.html and one article
page is timed in headless Chromium (the navigation's load event).

Usage: uv run python -m benchmarks.report_site [--articles 1000]
Writes benchmarks/results/report-site-N.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from claimwatch import batch, store
from claimwatch.config import EXAMPLE_REGISTRY, PROJECT_ROOT, Settings
from claimwatch.report import build_report

# Copies of a published run, one statement per table; $n is the number of copies.
COPIES = {
    "articles": "select x.* replace (article_id || '-' || i as article_id, "
    "published_date + cast(i as integer) as published_date) from articles as x, range(1, $n) t(i)",
    "runs": "select x.* replace (run_id || '-' || i as run_id, article_id || '-' || i as article_id) "
    "from runs as x, range(1, $n) t(i)",
    "claims": "select x.* replace (claim_id || '-' || i as claim_id, article_id || '-' || i as article_id) "
    "from claims as x, range(1, $n) t(i)",
    "verdicts": "select x.* replace (run_id || '-' || i as run_id, claim_id || '-' || i as claim_id) "
    "from verdicts as x, range(1, $n) t(i)",
    "evidence": "select x.* replace (run_id || '-' || i as run_id, claim_id || '-' || i as claim_id) "
    "from evidence as x, range(1, $n) t(i)",
}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless Chromium on a closed network, as root in CI: no sandbox, no background traffic.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def load_time_ms(url: str) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        browser.close()
    return float(ms)


def filter_time_ms(url: str) -> float:
    """Open a claim list and time one verdict filter (and the re-sort it runs) in the page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        ms = page.evaluate(
            """() => {
              const select = document.querySelector("form.filters select[name=verdict]");
              const started = performance.now();
              select.value = "DISPUTED";
              select.dispatchEvent(new Event("change", {bubbles: true}));
              return performance.now() - started;
            }"""
        )
        browser.close()
    return float(ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="claimwatch-report-"))
    settings = Settings(
        db_path=root / "r.duckdb",
        docs_dir=root / "docs",
        gx_dir=root / "gx",
        sources_csv=EXAMPLE_REGISTRY,
    )
    seed = PROJECT_ROOT / "seeds" / "articles" / "pboc-2021-09-24.txt"
    batch.verify_article(seed, settings)
    con = store.connect(settings.db_path)
    for table, select in COPIES.items():
        con.execute(f"insert into {table} {select}", {"n": args.articles})
    started = time.perf_counter()
    counts = build_report(con, root / "site")
    built = time.perf_counter() - started
    con.close()
    site = root / "site"
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index_ms = load_time_ms((site / "index.html").as_uri())
    article = next((site / "articles").glob("*.html"))
    article_ms = load_time_ms(article.as_uri())
    claims_ms = load_time_ms((site / "claims.html").as_uri())
    filter_ms = filter_time_ms((site / "claims.html").as_uri())
    figures = {
        "articles": counts["articles"],
        "claims": counts["claims"],
        "runs": counts["runs"],
        "build_s": round(built, 2),
        "site_mib": round(size / 2**20, 1),
        "index_kib": round((site / "index.html").stat().st_size / 1024),
        "index_load_ms": round(index_ms),
        "article_kib": round(article.stat().st_size / 1024),
        "article_load_ms": round(article_ms),
        "claims_page_kib": round((site / "claims.html").stat().st_size / 1024),
        "claims_page_load_ms": round(claims_ms),
        "claims_page_filter_ms": round(filter_ms),
    }
    for name, value in figures.items():
        print(f"{name:24} {value}")
    results = PROJECT_ROOT / "benchmarks" / "results" / f"report-site-{args.articles}.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written to {results}")


if __name__ == "__main__":
    main()
