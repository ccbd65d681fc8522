"""Print what a cold run and a warm re-run of the seed transfer over HTTP.

Serves the bundled source snapshots from a local HTTP server (Python's file server, which
answers If-Modified-Since with 304), points a registry at it, and verifies the seed twice
against one database: the first run downloads every page, the second should only ask
"changed since?" and reuse the stored documents.

Usage: uv run python benchmarks/fetch_rerun.py [--host-delay 0.2]
"""

from __future__ import annotations

import argparse
import csv
import functools
import http.server
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from claimwatch import batch
from claimwatch.config import PROJECT_ROOT, Settings
from claimwatch.nlp import load_nlp


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def http_registry(base: str, target: Path) -> Path:
    """Return a copy of the bundled registry whose snapshot paths are URLs on the server."""
    with (PROJECT_ROOT / "seeds" / "sources.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["url"] = f"{base}/{Path(row['url']).name}"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return target


def fetch_figures(db: Path, run_id: str) -> tuple[int, int, int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select count(*), sum(size_bytes), count(*) filter (where from_cache), "
            "count(*) filter (where status_code = 304) from fetches where run_id = ?",
            [run_id],
        ).fetchone()
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host-delay", type=float, default=0.2)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="claimwatch-fetch-"))
    server, base = serve(PROJECT_ROOT / "seeds" / "sources")
    settings = Settings(
        db_path=root / "bench.duckdb",
        docs_dir=root / "docs",
        gx_dir=root / "gx",
        sources_csv=http_registry(base, root / "sources.csv"),
        host_delay_s=args.host_delay,
        allow_addresses=("127.0.0.1/32",),
    )
    load_nlp(settings.spacy_model)  # loaded before the clock starts
    article = PROJECT_ROOT / "seeds" / "articles" / "pboc-2021-09-24.txt"
    print(f"{'run':<6}{'seconds':>9}{'fetches':>9}{'bytes':>10}{'cached':>8}{'304':>6}")
    for label in ("cold", "warm"):
        started = time.perf_counter()
        summary = batch.verify_article(article, settings)
        elapsed = time.perf_counter() - started
        n, size, cached, not_modified = fetch_figures(settings.db_path, summary.run_id)
        print(f"{label:<6}{elapsed:>9.1f}{n:>9}{size:>10}{cached:>8}{not_modified:>6}")
    server.shutdown()


if __name__ == "__main__":
    main()
