"""Print how long the review dashboard takes to build and to open for 1,000 articles.

The seed article is verified once; its published run is then copied, in SQL, to 1,000
articles (ids suffixed, dates spread over three years), so the site has 1,000 article
pages of 31 claims each. Building is timed in-process; opening index.html and one article
page is timed in headless Chromium (the navigation's load event).

Usage: uv run python -m benchmarks.report_site [--articles 1000]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from claimwatch import batch, store
from claimwatch.config import PROJECT_ROOT, Settings
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="claimwatch-report-"))
    settings = Settings(db_path=root / "r.duckdb", docs_dir=root / "docs", gx_dir=root / "gx")
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
    print(
        f"articles          {counts['articles']} ({counts['claims']} claims, {counts['runs']} runs)"
    )
    print(f"build             {built:.1f} s, {size / 2**20:.1f} MiB on disk")
    print(
        f"index.html        {(site / 'index.html').stat().st_size / 1024:.0f} KiB, loads in {index_ms:.0f} ms"
    )
    print(
        f"an article page   {article.stat().st_size / 1024:.0f} KiB, loads in {article_ms:.0f} ms"
    )


if __name__ == "__main__":
    main()
