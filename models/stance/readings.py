"""Write readings.jsonl: the shipped model's readings of 200 fixed (claim, sentence) pairs,
which tests/test_entailment.py reads again on every machine it runs on. A machine whose
readings differ by more than 0.002 fails there, so CI passing on one CPU says the
verdicts are the same on the next.

The pairs are the project's own text (never a benchmark's): each labelled claim of the
tuned and first-contact stories against its labelled evidence, then against the evidence
of the next claim of its story, until there are 200.

    uv run python models/stance/readings.py      # after the model changes, on purpose
"""

from __future__ import annotations

import csv
import json

from claimwatch.config import PROJECT_ROOT
from claimwatch.entailment import MODEL_DIR, load_model

GOLD = PROJECT_ROOT / "tests" / "gold"
READINGS = MODEL_DIR / "readings.jsonl"
PAIRS = 200


def labelled_pairs() -> list[tuple[str, str]]:
    """Return (claim, sentence) pairs: labelled evidence first, then a story's evidence
    against its next claim, in file and row order."""
    stories = []
    for path in sorted((GOLD / "verdicts").glob("*.csv")) + sorted(
        (GOLD / "first-contact").glob("*.csv")
    ):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r["evidence"].strip()]
        stories.append([(r["claim_text"], r["evidence"]) for r in rows])
    own = [pair for story in stories for pair in story]
    shifted = [
        (story[i][0], story[(i + 1) % len(story)][1])
        for story in stories
        for i in range(len(story))
        if len(story) > 1
    ]
    return (own + shifted)[:PAIRS]


def main() -> None:
    pairs = labelled_pairs()
    readings = load_model().score(pairs)
    with READINGS.open("w", encoding="utf-8") as out:
        for (claim, sentence), reading in zip(pairs, readings, strict=True):
            record = {
                "claim": claim,
                "sentence": sentence,
                "entails": reading.entails,
                "contradicts": reading.contradicts,
                "neutral": reading.neutral,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(pairs)} readings written to {READINGS}")


if __name__ == "__main__":
    main()
