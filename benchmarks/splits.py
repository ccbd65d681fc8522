"""The one split of each public benchmark in ../shared/benchmarks/, made once by a hash:
choose on `dev`, look at `test` only to report (docs/evaluation.md says which figure was
chosen on what). No benchmark text is copied into the repository; these functions read
the files where the shared folder keeps them.

- FEVER (the development half): by a hash of the claim, train 70% (the entailment model
  is trained on it), dev 10%, test 20% (models/stance/splits.py, unchanged).
- Check-COVID: `train.jsonl` is train; `dev.jsonl` is halved by a hash of the abstract's
  CORD id into dev and test, so no abstract (and none of the near-identical claims
  written against it) is on both sides.
- WiCE (its dev file): halved by a hash of the Wikipedia article's title into dev and
  test, so no article's sentences are on both sides.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from claimwatch.config import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared" / "benchmarks"
FEVER_FILE = SHARED / "fever-dev-binary" / "fever_dev_half.jsonl"
CHECK_COVID = SHARED / "check-covid"
WICE_FILE = SHARED / "wice-dev" / "dev.jsonl"

sys.path.insert(0, str(PROJECT_ROOT / "models" / "stance"))
from splits import check_covid_part  # the model's own splits
from splits import split_of as fever_split


def halves(key: str) -> str:
    """dev or test, by a hash of key: the same key always lands on the same side."""
    return "dev" if int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) % 2 else "test"


def rows(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


@dataclass(frozen=True)
class Example:
    """A claim, its evidence text, its gold label and where it came from."""

    source: str  # fever | check-covid | wice
    split: str  # train | dev | test
    claim: str
    evidence: str
    label: str  # SUPPORTS | REFUTES | NOT ENOUGH INFO (wice: supported, ...)
    title: str = ""
    key: str = ""  # what the split hashed


def fever(split: str) -> list[Example]:
    found = []
    for row in rows(FEVER_FILE):
        if fever_split(row["claim"]) != split:
            continue
        evidence = (
            " ".join(row["evidence"]) if isinstance(row["evidence"], list) else row["evidence"]
        )
        found.append(
            Example("fever", split, row["claim"], evidence, row["label"], key=row["claim"])
        )
    return found


def check_covid_rows(split: str) -> Iterator[dict]:
    """Check-COVID's rows of a split: train is the decision's quarter of the train file,
    model the entailment model's three quarters (models/stance/splits.py), dev and test
    the dev file's halves."""
    if split in ("train", "model"):
        part = "decision" if split == "train" else "model"
        return (
            r for r in rows(CHECK_COVID / "train.jsonl") if check_covid_part(r["cord_id"]) == part
        )
    return (r for r in rows(CHECK_COVID / "dev.jsonl") if halves(r["cord_id"]) == split)


def check_covid(split: str) -> list[Example]:
    """train (the decision's quarter of the train file: the model trains on the other
    three, models/stance/splits.py), dev or test (the dev file's halves)."""
    return [
        Example(
            "check-covid",
            split,
            r["claim"],
            r["evidence"],
            r["label"],
            r.get("title", ""),
            r["cord_id"],
        )
        for r in check_covid_rows(split)
    ]


def check_covid_candidates(split: str, per_claim: int = 3) -> list[Example]:
    """Each Check-COVID claim against up to per_claim other sentences of its own abstract
    (never its evidence): NOT ENOUGH INFO, as most sentences a run retrieves for a claim
    are. The first ones by position, so the choice is fixed."""
    found = []
    for r in check_covid_rows(split):
        others = [
            s for s in r.get("abstract") or [] if s.strip() and s.strip() not in r["evidence"]
        ]
        found += [
            Example(
                "check-covid-other",
                split,
                r["claim"],
                s,
                "NOT ENOUGH INFO",
                r.get("title", ""),
                r["cord_id"],
            )
            for s in others[:per_claim]
        ]
    return found


def wice(split: str) -> list[dict]:
    """WiCE rows of one half, as the file holds them (a sentence and its cited page)."""
    return [r for r in rows(WICE_FILE) if halves(r.get("title") or r["id"]) == split]


def wice_part(row: dict) -> str:
    """fit or choose: the dev half's rows split again by a hash of the article title, so
    the learned decision is fitted on one part and its bars chosen on the other."""
    return "fit" if halves("part:" + (row.get("title") or row["id"])) == "dev" else "choose"


# The page lines a run would never treat as sentences: too short or page furniture.
WICE_MIN_WORDS = 6
WICE_CANDIDATES = 20


def wice_pairs(split: str, part: str | None = None) -> list[Example]:
    """WiCE sentences of one half (and part) against lines of their cited page, as a run
    meets them: each set of lines WiCE marks as supporting a `supported` sentence is
    SUPPORTS; of the page's other lines, the WICE_CANDIDATES most like the sentence (by
    rapidfuzz, as retrieval shortlists them) are NOT ENOUGH INFO. A partially supported
    sentence's supporting lines are left out (they settle only part of it). key is the
    row's id, so pairs group back into their sentence."""
    from rapidfuzz import fuzz

    found = []
    for row in wice(split):
        if part is not None and wice_part(row) != part:
            continue
        lines = row["evidence"]
        supporting = [sorted(set(group)) for group in row.get("supporting_sentences") or []]
        marked = {i for group in supporting for i in group}
        if row["label"] == "supported":
            for group in supporting:
                if 0 < len(group) <= 3 and all(0 <= i < len(lines) for i in group):
                    text = " ".join(lines[i] for i in group)
                    found.append(
                        Example(
                            "wice", split, row["claim"], text, "SUPPORTS", row["title"], row["id"]
                        )
                    )
        others = [
            (i, line)
            for i, line in enumerate(lines)
            if i not in marked
            and not line.startswith("(meta data)")
            and len(line.split()) >= WICE_MIN_WORDS
        ]
        others.sort(key=lambda item: (-fuzz.token_set_ratio(row["claim"], item[1]), item[0]))
        found += [
            Example(
                "wice-other", split, row["claim"], line, "NOT ENOUGH INFO", row["title"], row["id"]
            )
            for _, line in others[:WICE_CANDIDATES]
        ]
    return found


if __name__ == "__main__":
    for name, count in (
        ("fever train", len(fever("train"))),
        ("fever dev", len(fever("dev"))),
        ("fever test", len(fever("test"))),
        ("check-covid train", len(check_covid("train"))),
        ("check-covid dev", len(check_covid("dev"))),
        ("check-covid test", len(check_covid("test"))),
        ("wice dev", len(wice("dev"))),
        ("wice test", len(wice("test"))),
    ):
        print(f"{name:18} {count}")
