"""Print how long each stage takes on the seed article (cold parser load, then one run).

Usage: uv run python benchmarks/pipeline_stages.py [ARTICLE]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from claimwatch import pipeline, store
from claimwatch.config import EXAMPLE_REGISTRY, PROJECT_ROOT, Settings
from claimwatch.nlp import load_nlp
from claimwatch.validate import publish_or_quarantine, validate_run


def timed(label: str, timings: list[tuple[str, float]], func, *args):
    started = time.perf_counter()
    result = func(*args)
    timings.append((label, time.perf_counter() - started))
    return result


def main() -> None:
    article_path = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else PROJECT_ROOT / "seeds/articles/pboc-2021-09-24.txt"
    )
    root = Path(tempfile.mkdtemp(prefix="claimwatch-bench-"))
    settings = Settings(
        db_path=root / "bench.duckdb",
        docs_dir=root / "docs",
        gx_dir=root / "gx",
        sources_csv=EXAMPLE_REGISTRY,
    )
    timings: list[tuple[str, float]] = []
    nlp = timed("load parser", timings, load_nlp, settings.spacy_model)
    parsed = timed("parse article", timings, pipeline.load_article, article_path, settings, nlp)
    con = store.connect(settings.db_path)
    run_id = pipeline.new_run_id()
    store.start_run(con, run_id, parsed.article)
    claims = timed("extract claims", timings, pipeline.extract_and_store, con, parsed, nlp)
    sources = pipeline.load_sources(settings)
    results = timed(
        "fetch sources", timings, pipeline.fetch_sources, sources, settings, lambda m: None
    )
    timed(
        "store documents",
        timings,
        pipeline.store_documents,
        con,
        run_id,
        parsed.article,
        results,
        nlp,
    )
    timed(
        "candidates + score",
        timings,
        pipeline.score_claims,
        con,
        run_id,
        parsed.article.article_id,
        settings.top_k,
    )
    outcome = timed(
        "validate (GX)", timings, validate_run, con, run_id, parsed.article.article_id, settings
    )
    publish_or_quarantine(con, run_id, outcome, {})
    n_pairs = con.execute("select count(*) from evidence where run_id = ?", [run_id]).fetchone()[0]
    con.close()
    print(
        f"article: {article_path.name} · {len(claims)} claims · {len(sources)} sources · {n_pairs} scored pairs"
    )
    for label, seconds in timings:
        print(f"{label:<20} {seconds * 1000:9.1f} ms")
    print(f"{'total':<20} {sum(s for _, s in timings) * 1000:9.1f} ms")
    print(
        f"peak RSS             {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:9.1f} MiB"
    )


if __name__ == "__main__":
    main()
