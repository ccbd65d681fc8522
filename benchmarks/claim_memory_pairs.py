"""Build the labelled claim pairs that `benchmarks/claim_memory.py` measures claim memory on.

Input: `benchmarks/data/claim-memory-paraphrases.csv`, one row per claim of a bundled
story (its labelled claims in tests/gold) with a paraphrase written for it, the way a
second outlet would say the same thing. Each row gives:

- the claim against its paraphrase: a match (the same truth conditions);
- the claim against the paraphrase with one fact changed by claimwatch's perturbation
  generator (another figure, date, holder, or the predicate negated): never a match;
- the claim against another claim of the same story, the one sharing most of its words
  without either holding the other's words (a same-topic negative; "X said on Friday
  that Y" against "Y" is left out, since whether those are one claim is a judgement call).

Each pair is on the dev or the test side by a hash of the claim, so a claim and every
pair made from it stay on one side. Thresholds are chosen on dev only.

    uv run python benchmarks/claim_memory_pairs.py   # writes benchmarks/data/claim-memory-pairs.jsonl
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator

from claimwatch.config import PROJECT_ROOT
from claimwatch.nlp import load_nlp
from claimwatch.verdict_eval import perturbations

DATA = PROJECT_ROOT / "benchmarks" / "data"
PARAPHRASES = DATA / "claim-memory-paraphrases.csv"
PAIRS = DATA / "claim-memory-pairs.jsonl"
GOLD_FOLDERS = (
    PROJECT_ROOT / "tests/gold/claims",
    PROJECT_ROOT / "tests/gold/first-contact-claims",
)
ARTICLE_FOLDERS = (PROJECT_ROOT / "seeds/articles", PROJECT_ROOT / "seeds/first-contact/articles")


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def story_claims(story: str) -> list[str]:
    """Return the labelled claims of a story, in the order its gold file lists them."""
    for folder in GOLD_FOLDERS:
        path = folder / f"{story}.csv"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                return [row["claim_text"] for row in csv.DictReader(handle)]
    raise FileNotFoundError(f"no gold claims for {story}")


def story_text(story: str) -> str:
    for folder in ARTICLE_FOLDERS:
        path = folder / f"{story}.txt"
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(f"no article for {story}")


def same_topic_claim(claim: str, others: list[str]) -> str | None:
    """Return the story's other claim that shares most words with claim, neither holding
    all the other's words (an attribution and its content are left out)."""
    own = words(claim)
    options = [
        (len(own & words(o)), o)
        for o in others
        if o != claim and not (words(o) <= own or own <= words(o))
    ]
    return max(options, key=lambda item: (item[0], item[1]))[1] if options else None


def pairs() -> Iterator[dict]:
    from benchmarks.splits import halves

    nlp = load_nlp()
    with PARAPHRASES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        story, claim, paraphrase = row["story"], row["claim"], row["paraphrase"]
        side = halves("claim-memory " + claim)
        base = {"story": story, "split": side, "a": claim}
        yield {**base, "b": paraphrase, "kind": "paraphrase", "match": True}
        for kind, changed in perturbations(paraphrase, nlp, story_text(story)):
            yield {**base, "b": changed, "kind": kind, "match": False}
        other = same_topic_claim(claim, story_claims(story))
        if other is not None:
            yield {**base, "b": other, "kind": "same topic", "match": False}


def main() -> None:
    built = list(pairs())
    with PAIRS.open("w", encoding="utf-8") as handle:
        for pair in built:
            handle.write(json.dumps(pair, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for pair in built:
        kinds[pair["kind"]] = kinds.get(pair["kind"], 0) + 1
    print(f"{len(built)} pairs -> {PAIRS.relative_to(PROJECT_ROOT)}: {kinds}")


if __name__ == "__main__":
    main()
