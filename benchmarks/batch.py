"""Print what verifying a batch of articles costs: cold, warm (unchanged) and edited, with
seconds per stage, articles per second and peak memory; write them as JSON to
benchmarks/results/batch-<N>.json.

The articles are built, deterministically, from sentences of the sample articles (as in
claims_speed.py) and verified in one process, one after another, as `claimwatch run
FOLDER` does, against the bundled sources. The cold pass starts from an empty database;
the warm pass runs them all again (unchanged articles against unchanged sources score and
validate nothing: their runs are recorded as 'unchanged'); the edited pass adds one
sentence to every article, so only the pairs of the claims it yields are scored.

Usage: uv run python -m benchmarks.batch [--articles 200]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.claims_speed import sample_articles
from claimwatch import pipeline, store
from claimwatch.config import PROJECT_ROOT, Settings
from claimwatch.nlp import load_nlp

RESULTS = PROJECT_ROOT / "benchmarks" / "results"
# A sentence added to every article for the edited pass; its claims are new to the store.
EDIT = "The central bank said mining farms in Sichuan had already shut down."


def verify_all(paths: list[Path], settings: Settings, nlp) -> dict:
    """Verify every article as one batch (pipeline.verify_batch, what `claimwatch run
    FOLDER` runs); return seconds, statuses and seconds per stage."""
    started = time.perf_counter()
    items, _ = pipeline.verify_batch(
        [str(p) for p in paths], settings, lambda path, s: pipeline.verify_article(path, s, nlp)
    )
    seconds = time.perf_counter() - started
    statuses: dict[str, int] = {}
    stages: dict[str, float] = {}
    for item in items:
        status = item.summary.status if item.summary else "unreadable"
        statuses[status] = statuses.get(status, 0) + 1
        for stage, spent in item.summary.stage_seconds if item.summary else ():
            stages[stage] = round(stages.get(stage, 0.0) + spent, 3)
    # After the runs: the Data Docs site, rendered once when any run was validated.
    stages["after"] = round(seconds - sum(item.seconds for item in items), 3)
    return {
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(paths) / seconds, 3),
        "statuses": statuses,
        "stage_seconds": stages,
    }


def pair_counts(settings: Settings) -> tuple[int, int]:
    """Return (stances ever scored, evidence rows ever written)."""
    con = store.connect(settings.db_path, read_only=True)
    try:
        scored = con.execute("select count(*) from pair_scores").fetchall()[0][0]
        pairs = con.execute("select count(*) from evidence").fetchall()[0][0]
    finally:
        con.close()
    return scored, pairs


def show(name: str, result: dict) -> None:
    stages = " · ".join(f"{k} {v:.1f}" for k, v in result["stage_seconds"].items())
    print(
        f"{name:<7} {result['seconds']:>7.1f} s  {result['articles_per_second']:.2f} articles/s  "
        f"{result['statuses']}\n        stages: {stages}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="claimwatch-batch-"))
    paths = []
    for index, text in enumerate(sample_articles(args.articles, seed=11)):
        path = root / f"article-{index:04d}.txt"
        path.write_text(text[:2500] + "\n", encoding="utf-8")
        paths.append(path)
    settings = Settings(db_path=root / "batch.duckdb", docs_dir=root / "docs", gx_dir=root / "gx")
    nlp = load_nlp(settings.spacy_model)
    cold = verify_all(paths, settings, nlp)
    show("cold", cold)
    warm = verify_all(paths, settings, nlp)
    show("warm", warm)
    for path in paths:
        text = path.read_text(encoding="utf-8").rstrip()
        path.write_text(f"{text}\n{EDIT}\n", encoding="utf-8")
    scored_before, pairs_before = pair_counts(settings)
    edited = verify_all(paths, settings, nlp)
    scored_after, pairs_after = pair_counts(settings)
    edited["pairs_compared"] = pairs_after - pairs_before
    edited["pairs_scored"] = scored_after - scored_before
    show("edited", edited)
    print(f"        pairs: {edited['pairs_compared']} compared, {edited['pairs_scored']} scored")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"warm / cold {warm['seconds'] / cold['seconds']:.1%}   "
        f"edited / cold {edited['seconds'] / cold['seconds']:.1%}   peak RSS {peak_mib:.0f} MiB"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"batch-{len(paths)}.json"
    out.write_text(
        json.dumps(
            {
                "articles": len(paths),
                "cold": cold,
                "warm": warm,
                "edited": edited,
                "warm_over_cold": round(warm["seconds"] / cold["seconds"], 4),
                "edited_over_cold": round(edited["seconds"] / cold["seconds"], 4),
                "peak_rss_mib": round(peak_mib),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written to {out}")


if __name__ == "__main__":
    main()
