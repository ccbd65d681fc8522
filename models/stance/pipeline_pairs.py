"""Pairs in a run's own shape, built from real text by claimwatch's own extractor, for the
stance model (train.py --pipeline): a run asks whether a source sentence that says a
claim among other things (a second figure, another holder, a clause more) supports it,
and the benchmarks' pairs seldom look like that.

From each page (here a Check-COVID abstract), read as an article:
- each claim the extractor takes out of a sentence, against that sentence: SUPPORTS;
- the claim with one fact changed (claimwatch.verdict_eval.perturbations: a number, a
  date, a name, the predicate negated), against the same sentence: REFUTES;
- the claim against the page's other sentences most like it (as retrieval would
  shortlist them), none restating it: NOT ENOUGH INFO.

Built from the pages of the split a caller names only: the model's three quarters of
Check-COVID's train file, never the decision's quarter or a dev or test half. The pairs
are benchmark text: main() writes them under .cache/ (ignored by git), never into the
repository.

    uv run python models/stance/pipeline_pairs.py models/stance/.cache/pipeline-model.jsonl

Measured in model version 5 and a decision fitted with such pairs from WiCE's fit pages
too; neither shipped (docs/stance.md, "Tried and not shipped").
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmarks.splits import Example, check_covid_rows
from claimwatch.article import ArticleError, mask_boilerplate, parse_article
from claimwatch.extract.claims import extract_claims
from claimwatch.verdict_eval import perturbations

# Enough claims from one page that no long page outweighs the rest.
CLAIMS_PER_PAGE = 12
# The other sentences of a page a claim meets (NOT ENOUGH INFO).
OTHERS_PER_CLAIM = 3
# An other sentence this like the claim may well restate it: left out, not labelled.
RESTATES_AT = 85
MIN_WORDS = 6


def stable_order(key: str, items: list) -> list:
    """items in an order fixed by key (a hash), so a page's claims are sampled the same
    way on every run."""
    return sorted(items, key=lambda item: hashlib.sha1(f"{key}|{item!r}".encode()).hexdigest())


def factual_claims(article, doc) -> list:
    return [c for c in extract_claims(article, doc) if c.kind == "factual"]


def sentence_at(article, offset: int) -> int | None:
    """The index of the article sentence holding a character offset, if one does."""
    for sentence in article.sentences:
        if sentence.start <= offset < sentence.end:
            return sentence.index
    return None


def page_examples(source: str, split: str, key: str, lines: list[str], nlp) -> list[Example]:
    """The page's SUPPORTS, REFUTES and NOT ENOUGH INFO pairs (see the module)."""
    kept = [
        line.strip()
        for line in lines
        if not line.startswith("(meta data)") and len(line.split()) >= MIN_WORDS
    ]
    if len(kept) < 2:
        return []
    text = "\n".join(kept)
    doc = nlp(mask_boilerplate(text))
    try:
        article = parse_article(text, source, nlp, doc=doc)
    except ArticleError:
        return []
    sentences = [s.text for s in article.sentences]
    found: list[Example] = []
    for claim in stable_order(key, factual_claims(article, doc))[:CLAIMS_PER_PAGE]:
        index = sentence_at(article, claim.span_start)
        if index is None:
            continue
        own = sentences[index]
        found.append(Example(source, split, claim.text, own, "SUPPORTS", key=key))
        changed = stable_order(claim.text, perturbations(claim.text, nlp, text))
        if changed:
            found.append(Example(source, split, changed[0][1], own, "REFUTES", key=key))
        others = sorted(
            (
                (fuzz.token_set_ratio(claim.text, sentence), i)
                for i, sentence in enumerate(sentences)
                if i != index
            ),
            key=lambda item: (-item[0], item[1]),
        )
        found += [
            Example(source, split, claim.text, sentences[i], "NOT ENOUGH INFO", key=key)
            for score, i in others[:OTHERS_PER_CLAIM]
            if score < RESTATES_AT
        ]
    return found


def check_covid_pages(split: str) -> Iterable[tuple[str, list[str]]]:
    """Each distinct abstract of Check-COVID's split (benchmarks.splits.check_covid_rows)."""
    seen: set[str] = set()
    for row in check_covid_rows(split):
        if row["cord_id"] not in seen and row.get("abstract"):
            seen.add(row["cord_id"])
            yield row["cord_id"], [s for s in row["abstract"] if s.strip()]


def pipeline_examples(
    name: str, pages: Iterable[tuple[str, list[str]]], split: str, nlp
) -> list[Example]:
    return [
        example for key, lines in pages for example in page_examples(name, split, key, lines, nlp)
    ]


def main(out: Path) -> None:
    """Write the model's pipeline-shaped pairs (train.py --pipeline): from the abstracts of
    its own three quarters of Check-COVID's train file only. Benchmark text: keep the file
    out of the repository (.cache/ is ignored)."""
    import json

    from claimwatch.nlp import load_nlp

    examples = pipeline_examples(
        "check-covid-pipeline", check_covid_pages("model"), "model", load_nlp("en_core_web_sm")
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for e in examples:
            row = {"claim": e.claim, "evidence": e.evidence, "label": e.label, "origin": e.source}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(examples)} pairs -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
