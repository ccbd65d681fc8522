"""Print what verifying a batch of articles costs: cold, warm (unchanged) and edited, with
seconds per stage, the entailment model's share, articles per second and peak memory;
write them as JSON to benchmarks/results/batch-<N>[-dask].json.

The articles are built, deterministically, from sentences of the sample articles (as in
claims_speed.py), a third of their figures changed, so each batch brings claims the
store has not seen. They are verified as one batch, as `claimwatch run FOLDER` does,
against the bundled sources. The cold pass starts from an empty database; the warm pass
runs them all again (unchanged articles against unchanged sources score and validate
nothing: their runs are recorded as 'unchanged'); the edited pass adds one sentence to
every article, so only the pairs of the claims it yields are scored.

With --dask the batches run as the verify-batch Prefect flow on a 2-worker LocalCluster;
the model then runs on the workers, and its share is not measured.

Usage: uv run python -m benchmarks.batch [--articles 200] [--dask]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.claims_speed import sample_articles
from claimwatch import store
from claimwatch.batch import Outcome, outcomes, verify_articles
from claimwatch.config import EXAMPLE_REGISTRY, PROJECT_ROOT, Settings
from claimwatch.entailment import load_model
from claimwatch.nlp import load_nlp

RESULTS = PROJECT_ROOT / "benchmarks" / "results"
# A sentence added to every article for the edited pass; its claims are new to the store.
EDIT = "The central bank said mining farms in Sichuan had already shut down."
FIGURE = re.compile(r"\b\d+(?:\.\d+)?\b")


def with_changed_figures(text: str, rng: random.Random) -> str:
    """Return the text with about a third of its figures moved up by 1 to 9."""

    def change(match: re.Match) -> str:
        if rng.random() > 1 / 3 or len(match.group()) == 4:  # years stay
            return match.group()
        whole, _, fraction = match.group().partition(".")
        moved = str(int(whole) + rng.randint(1, 9))
        return f"{moved}.{fraction}" if fraction else moved

    return FIGURE.sub(change, text)


def write_articles(n: int, folder: Path) -> list[Path]:
    rng = random.Random(11)
    paths = []
    for index, text in enumerate(sample_articles(n, seed=11)):
        path = folder / f"article-{index:04d}.txt"
        path.write_text(with_changed_figures(text[:2500], rng) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def verify_all(paths: list[Path], settings: Settings, dask: bool) -> dict:
    """Verify every article as one batch; return seconds, statuses and seconds per stage."""
    model = load_model()
    pairs_before, model_before = model.pairs_scored, model.seconds_scoring
    started = time.perf_counter()
    if dask:
        results = on_dask([str(p) for p in paths], settings)
    else:
        results = outcomes(verify_articles([str(p) for p in paths], settings))
    seconds = time.perf_counter() - started
    statuses: dict[str, int] = {}
    for one in results:
        status = one.summary.status if one.summary else "unreadable"
        statuses[status] = statuses.get(status, 0) + 1
    stages = next((one.summary.stage_seconds for one in results if one.summary), ())
    figures = {
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(paths) / seconds, 3),
        "statuses": statuses,
        "stage_seconds": {stage: round(spent, 3) for stage, spent in stages},
    }
    if not dask:
        model_seconds = model.seconds_scoring - model_before
        figures["model_pairs"] = model.pairs_scored - pairs_before
        figures["model_seconds"] = round(model_seconds, 2)
        figures["seconds_without_model"] = round(seconds - model_seconds, 2)
    return figures


def on_dask(targets: list[str], settings: Settings) -> list[Outcome]:
    from prefect.testing.utilities import prefect_test_harness
    from prefect_dask import DaskTaskRunner

    from flows.verify_batch import verify_batch_flow

    runner = DaskTaskRunner(
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True}
    )
    with prefect_test_harness():
        return verify_batch_flow.with_options(task_runner=runner)(
            targets, str(settings.sources_csv), str(settings.db_path)
        )


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
    model = (
        f"\n        model: {result['model_pairs']} pairs in {result['model_seconds']:.1f} s; "
        f"all else {result['seconds_without_model']:.1f} s"
        if "model_seconds" in result
        else ""
    )
    print(
        f"{name:<7} {result['seconds']:>7.1f} s  {result['articles_per_second']:.2f} articles/s  "
        f"{result['statuses']}\n        stages: {stages}{model}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--dask", action="store_true", help="run on a 2-worker LocalCluster")
    parser.add_argument("--cold-only", action="store_true", help="skip the warm and edited passes")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="claimwatch-batch-"))
    (root / "articles").mkdir()
    paths = write_articles(args.articles, root / "articles")
    settings = Settings(
        db_path=root / "batch.duckdb",
        docs_dir=root / "docs",
        gx_dir=root / "gx",
        sources_csv=EXAMPLE_REGISTRY,
    )
    load_nlp(settings.spacy_model)  # loaded before the clock starts, as a served process has it
    load_model()
    figures: dict = {"articles": len(paths), "dask": args.dask}
    figures["cold"] = verify_all(paths, settings, args.dask)
    show("cold", figures["cold"])
    if not args.cold_only:
        figures["warm"] = verify_all(paths, settings, args.dask)
        show("warm", figures["warm"])
        for path in paths:
            text = path.read_text(encoding="utf-8").rstrip()
            path.write_text(f"{text}\n{EDIT}\n", encoding="utf-8")
        scored_before, pairs_before = pair_counts(settings)
        edited = verify_all(paths, settings, args.dask)
        scored_after, pairs_after = pair_counts(settings)
        edited["pairs_compared"] = pairs_after - pairs_before
        edited["pairs_scored"] = scored_after - scored_before
        figures["edited"] = edited
        show("edited", edited)
        print(
            f"        pairs: {edited['pairs_compared']} compared, {edited['pairs_scored']} scored"
        )
        figures["warm_over_cold"] = round(
            figures["warm"]["seconds"] / figures["cold"]["seconds"], 4
        )
        figures["edited_over_cold"] = round(edited["seconds"] / figures["cold"]["seconds"], 4)
        print(
            f"warm / cold {figures['warm_over_cold']:.1%}   "
            f"edited / cold {figures['edited_over_cold']:.1%}"
        )
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"peak RSS {figures['peak_rss_mib']} MiB")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"batch-{len(paths)}{'-dask' if args.dask else ''}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
