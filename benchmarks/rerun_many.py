"""Print cold versus warm time for verifying many articles against the bundled sources.

The articles are built, deterministically, from sentences of the sample articles (as in
claims_speed.py). The cold pass verifies each into a fresh database; the warm pass runs
them all again: unchanged articles against unchanged sources extract, fetch (304 or
snapshot) and compare, but score and validate nothing, so their runs are recorded as
'unchanged'. The edited pass adds one sentence to every article: only the pairs of the
claims that sentence yields are scored; every other pair's stance is reused.

Usage: uv run python benchmarks/rerun_many.py [--articles 200]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.claims_speed import sample_articles
from claimwatch import pipeline, store
from claimwatch.config import Settings
from claimwatch.nlp import load_nlp


def verify_all(paths: list[Path], settings: Settings, nlp) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    statuses: dict[str, int] = {}
    for path in paths:
        status = pipeline.verify_article(path, settings, nlp).status
        statuses[status] = statuses.get(status, 0) + 1
    return time.perf_counter() - started, statuses


# A sentence added to every article for the edited pass; its claims are new to the store.
EDIT = "The central bank said mining farms in Sichuan had already shut down."


def pair_counts(settings: Settings) -> tuple[int, int]:
    """Return (stances ever scored, evidence rows ever written)."""
    con = store.connect(settings.db_path, read_only=True)
    try:
        scored = con.execute("select count(*) from pair_scores").fetchall()[0][0]
        pairs = con.execute("select count(*) from evidence").fetchall()[0][0]
    finally:
        con.close()
    return scored, pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="claimwatch-rerun-"))
    paths = []
    for index, text in enumerate(sample_articles(args.articles, seed=11)):
        path = root / f"article-{index:04d}.txt"
        path.write_text(text[:2500] + "\n", encoding="utf-8")
        paths.append(path)
    settings = Settings(db_path=root / "rerun.duckdb", docs_dir=root / "docs", gx_dir=root / "gx")
    nlp = load_nlp(settings.spacy_model)
    cold, cold_statuses = verify_all(paths, settings, nlp)
    warm, warm_statuses = verify_all(paths, settings, nlp)
    print(f"articles      {len(paths)}")
    print(f"cold          {cold:.1f} s  {cold_statuses}")
    print(f"warm          {warm:.1f} s  {warm_statuses}")
    print(f"warm / cold   {warm / cold:.1%}")
    for path in paths:
        text = path.read_text(encoding="utf-8").rstrip()
        path.write_text(f"{text}\n{EDIT}\n", encoding="utf-8")
    scored_before, pairs_before = pair_counts(settings)
    edited, edited_statuses = verify_all(paths, settings, nlp)
    scored_after, pairs_after = pair_counts(settings)
    scored, pairs = scored_after - scored_before, pairs_after - pairs_before
    print(f"edited        {edited:.1f} s  {edited_statuses}")
    print(f"  pairs       {pairs} compared, {scored} scored ({scored / max(pairs, 1):.1%})")


if __name__ == "__main__":
    main()
