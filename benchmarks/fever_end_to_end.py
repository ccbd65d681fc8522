"""FEVER end to end through the real pipeline: held-out FEVER claims become one article
(a claim a paragraph), their gold evidence texts become pooled source pages (one page
each, every claim checked against all of them), and `claimwatch run`'s verdicts are
scored against FEVER's labels (SUPPORTS -> SUPPORTED, REFUTES -> CONTRADICTED).

    uv run python benchmarks/fever_end_to_end.py [--pairs 300]

The pairs are the first N of models/stance/fever-test.jsonl, the split the stance model
was never trained or tuned on. Prints the figures and writes
benchmarks/results/fever-end-to-end.json."""

from __future__ import annotations

import argparse
import csv
import html
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

from claimwatch.config import PROJECT_ROOT, load_settings
from claimwatch.nlp import load_nlp
from claimwatch.verdict_eval import GoldVerdict, score_gold, verify_and_predict

HELD_OUT = PROJECT_ROOT / "models" / "stance" / "fever-test.jsonl"
RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "fever-end-to-end.json"
VERDICT_OF = {"SUPPORTS": "SUPPORTED", "REFUTES": "CONTRADICTED"}
DATE = "2021-01-01"


def page(number: int, text: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>FEVER evidence {number}</title>"
        f'<meta name="claimwatch:outlet" content="FEVER evidence {number}">'
        f'<meta property="article:published_time" content="{DATE}">'
        f"</head><body><article><p>{html.escape(text)}</p></article></body></html>\n"
    )


def write_inputs(rows: list[dict], root: Path) -> tuple[Path, Path, list[GoldVerdict]]:
    """Write the article, one source page per distinct evidence text and the registry."""
    (root / "sources").mkdir()
    evidence = sorted({row["evidence"] for row in rows})
    with (root / "sources.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["url", "outlet", "published", "tier", "original_url"])
        for number, text in enumerate(evidence):
            path = root / "sources" / f"evidence-{number:04d}.html"
            path.write_text(page(number, text), encoding="utf-8")
            writer.writerow([f"sources/{path.name}", f"FEVER evidence {number}", DATE, 2, ""])
    claims = [row["claim"].strip().rstrip(".") + "." for row in rows]
    article = root / "fever-claims.txt"
    article.write_text(f" date {DATE} " + "\n\n".join(claims) + "\n", encoding="utf-8")
    gold = [
        GoldVerdict(row["claim"].strip().rstrip("."), VERDICT_OF[row["label"]], "", "FEVER")
        for row in rows
    ]
    return article, root / "sources.csv", gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="keep the scratch database and inputs here")
    args = parser.parse_args()
    rows = [json.loads(line) for line in HELD_OUT.read_text(encoding="utf-8").splitlines()]
    rows = [row for row in rows if row["label"] in VERDICT_OF][: args.pairs]
    nlp = load_nlp(load_settings().spacy_model)
    with tempfile.TemporaryDirectory(prefix="claimwatch-fever-") as scratch:
        root = args.keep or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        article, registry, gold = write_inputs(rows, root)
        settings = load_settings().with_overrides(
            sources_csv=registry,
            db_path=root / "fever.duckdb",
            docs_dir=root / "docs",
            gx_dir=root / "gx",
        )
        started = time.perf_counter()
        predictions = verify_and_predict(article, settings, nlp)
        seconds = time.perf_counter() - started
    results, unmatched = score_gold(gold, predictions, article.stem)
    verdicts = [r.predicted["claimwatch"] for r in results]
    refuted = [r.predicted["claimwatch"] for r in results if r.expected == "CONTRADICTED"]
    confusion = Counter((r.expected, r.predicted["claimwatch"]) for r in results)
    right = sum(r.expected == v for r, v in zip(results, verdicts))
    report = {
        "pairs": len(rows),
        "claims_scored": len(results),
        "claims_unmatched": len(unmatched),
        "accuracy": round(right / len(results), 4),
        "accuracy_counting_unmatched_as_wrong": round(right / len(rows), 4),
        "refuted_called_supported": round(refuted.count("SUPPORTED") / max(1, len(refuted)), 4),
        "confusion": {f"{gold} -> {got}": n for (gold, got), n in sorted(confusion.items())},
        "seconds": round(seconds, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
