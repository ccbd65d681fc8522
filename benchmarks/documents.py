"""Real documents end to end through the pipeline, as `claimwatch run` reads them, scored
against two public benchmarks' labels (benchmarks/splits.py holds the splits: choose on
dev, report test):

- WiCE: a Wikipedia sentence against the web page it cites. Every sentence of the half
  is a paragraph of one article, every cited page a source (pooled, as a newsroom's
  sources are); a sentence is `supported` when all the claims claimwatch extracts from
  it are SUPPORTED, `partially_supported` when some are, `not_supported` when none is.
- Check-COVID: a news claim against the abstract of a paper. Every distinct claim is a
  paragraph of one article, every abstract (title and sentences) a source; its gold
  label pools its rows (pooled_label), its verdict is that of its longest extracted claim.

    uv run python -m benchmarks.documents --set wice --split dev
    uv run python -m benchmarks.documents --set check-covid --split test

Prints accuracy, macro-F1 and the share of unsupported (or refuted) claims called
supported, and writes benchmarks/results/documents-<set>-<split>.json. No benchmark text
is written into the repository: the inputs live in a scratch folder.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.splits import check_covid, wice
from claimwatch import batch, db
from claimwatch.config import PROJECT_ROOT, load_settings
from claimwatch.stance.scoring import f1_by_label

RESULTS = PROJECT_ROOT / "benchmarks" / "results"
DATE = "2022-01-01"
META_TITLE = re.compile(r"^\(meta data\) TITLE:\s*(.*)$")
CHECK_COVID_VERDICTS = {
    "SUPPORTS": "SUPPORTED",
    "REFUTES": "CONTRADICTED",
    "NOT ENOUGH INFO": "NOT ENOUGH INFO",
}


@dataclass(frozen=True)
class Item:
    """One benchmark item: its paragraph of the article and its gold label."""

    text: str
    label: str


def page(title: str, sentences: Sequence[str], outlet: str) -> str:
    body = "".join(f"<p>{html.escape(s)}</p>" for s in sentences if s.strip())
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        f'<meta name="claimwatch:outlet" content="{html.escape(outlet)}">'
        f"</head><body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>\n"
    )


def write_registry(root: Path, pages: Sequence[tuple[str, Sequence[str]]]) -> Path:
    """Write each (title, sentences) as a page and the registry listing them."""
    (root / "sources").mkdir(parents=True, exist_ok=True)
    registry = root / "sources.csv"
    with registry.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["url", "outlet", "published", "tier", "original_url"])
        for number, (title, sentences) in enumerate(pages):
            outlet = f"source {number:04d}"
            path = root / "sources" / f"page-{number:04d}.html"
            path.write_text(page(title or outlet, sentences, outlet), encoding="utf-8")
            writer.writerow([f"sources/{path.name}", outlet, "", 2, ""])
    return registry


def write_article(root: Path, items: Sequence[Item]) -> tuple[Path, list[tuple[int, int]]]:
    """Write the items as the paragraphs of one article; return it and each paragraph's
    character span in the article's text."""
    text = f" date {DATE} "
    spans = []
    for item in items:
        paragraph = item.text.strip()
        spans.append((len(text), len(text) + len(paragraph)))
        text += paragraph + "\n\n"
    article = root / "article.txt"
    article.write_text(text, encoding="utf-8")
    return article, spans


def verdicts_by_paragraph(
    settings, article: Path, spans: Sequence[tuple[int, int]]
) -> list[list[tuple[str, str]]]:
    """Verify the article; return each paragraph's (claim text, verdict) pairs."""
    summary = batch.verify_article(article, settings)
    con = db.connect(settings.db_path, read_only=True)
    try:
        rows = con.execute(
            db.query("run_claim_verdicts"), {"run_id": summary.same_as or summary.run_id}
        ).fetchall()
    finally:
        con.close()
    found: list[list[tuple[str, str]]] = [[] for _ in spans]
    for span_start, claim_text, verdict in rows:
        for index, (start, end) in enumerate(spans):
            if start <= span_start < end:
                found[index].append((claim_text, verdict))
                break
    return found


def wice_label(claims: Sequence[tuple[str, str]]) -> str:
    supported = sum(verdict == "SUPPORTED" for _, verdict in claims)
    if claims and supported == len(claims):
        return "supported"
    return "partially_supported" if supported else "not_supported"


def check_covid_label(claims: Sequence[tuple[str, str]]) -> str:
    if not claims:
        return "NOT ENOUGH INFO"
    return max(claims, key=lambda pair: (len(pair[0]), pair[0]))[1]


def scores(gold: Sequence[str], predicted: Sequence[str], unsupported: str, supported: str) -> dict:
    f1s = f1_by_label(gold, predicted)
    wrongly = [p for g, p in zip(gold, predicted) if g == unsupported]
    majority = Counter(gold).most_common(1)[0]
    return {
        "items": len(gold),
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted)) / len(gold), 4),
        "macro_f1": round(sum(f1s) / len(f1s), 4),
        f"{unsupported}_called_{supported}": round(
            wrongly.count(supported) / max(1, len(wrongly)), 4
        ),
        "majority_baseline": {"label": majority[0], "accuracy": round(majority[1] / len(gold), 4)},
        "confusion": {
            f"{g} -> {p}": n for (g, p), n in sorted(Counter(zip(gold, predicted)).items())
        },
    }


def wice_inputs(split: str) -> tuple[list[Item], list[tuple[str, list[str]]]]:
    items, pages = [], []
    for row in wice(split):
        items.append(Item(row["claim"], row["label"]))
        sentences = list(row["evidence"])
        title = ""
        if sentences and (meta := META_TITLE.match(sentences[0])):
            title, sentences = meta.group(1), sentences[1:]
        pages.append((title, sentences))
    return items, pages


def check_covid_inputs(split: str) -> tuple[list[Item], list[tuple[str, list[str]]]]:
    """The distinct claims of the half: one claim is often checked against several
    abstracts, and with the abstracts pooled it has one verdict: SUPPORTED when an
    abstract supports it and none refutes it, CONTRADICTED the other way round, DISPUTED
    when some abstract does each, NOT ENOUGH INFO when none settles it."""
    from benchmarks.splits import CHECK_COVID, halves, rows

    labels: dict[str, set[str]] = {}
    for e in check_covid(split):
        labels.setdefault(" ".join(e.claim.split()), set()).add(CHECK_COVID_VERDICTS[e.label])
    items = [Item(text, pooled_label(found)) for text, found in labels.items()]
    abstracts: dict[str, tuple[str, list[str]]] = {}
    for row in rows(CHECK_COVID / "dev.jsonl"):
        if halves(row["cord_id"]) == split:
            abstracts.setdefault(row["cord_id"], (row.get("title", ""), list(row["abstract"])))
    return items, list(abstracts.values())


def pooled_label(labels: set[str]) -> str:
    settled = labels - {"NOT ENOUGH INFO"}
    if len(settled) > 1:
        return "DISPUTED"
    return next(iter(settled)) if settled else "NOT ENOUGH INFO"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=("wice", "check-covid"), required=True)
    parser.add_argument("--split", choices=("dev", "test"), required=True)
    parser.add_argument("--keep", type=Path, help="keep the scratch database and inputs here")
    args = parser.parse_args()
    items, pages = (wice_inputs if args.set == "wice" else check_covid_inputs)(args.split)
    with tempfile.TemporaryDirectory(prefix="claimwatch-documents-") as scratch:
        root = args.keep or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        registry = write_registry(root, pages)
        article, spans = write_article(root, items)
        settings = load_settings().with_overrides(
            sources_csv=registry,
            db_path=root / "documents.duckdb",
            docs_dir=root / "docs",
            gx_dir=root / "gx",
        )
        started = time.perf_counter()
        found = verdicts_by_paragraph(settings, article, spans)
        seconds = time.perf_counter() - started
    gold = [item.label for item in items]
    if args.set == "wice":
        predicted = [wice_label(claims) for claims in found]
        report = scores(gold, predicted, "not_supported", "supported")
    else:
        predicted = [check_covid_label(claims) for claims in found]
        report = scores(gold, predicted, "CONTRADICTED", "SUPPORTED")
    report.update(
        {
            "set": args.set,
            "split": args.split,
            "pages": len(pages),
            "items_without_claims": sum(not claims for claims in found),
            "claims": sum(len(claims) for claims in found),
            "seconds": round(seconds, 1),
        }
    )
    out = RESULTS / f"documents-{args.set}-{args.split}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
