"""Extraction quality: align extracted claims with hand-written gold claims and score them."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from claimwatch.config import Settings
from claimwatch.extract.claims import Claim
from claimwatch.extract.grammar import Rejected
from claimwatch.extract.nominals import verb_of
from claimwatch.extract.slots.entities import canonical_entity
from claimwatch.extract.slots.numbers import clock_seconds

# token_sort_ratio compares whole claims word by word regardless of order, and, unlike
# token_set_ratio, it penalises extra words: a claim that carries two facts must not
# match a gold claim that carries one.
MATCH_THRESHOLD = 75.0
SLOT_KINDS = ("numbers", "dates", "entities", "polarity")


class GoldError(ValueError):
    """A gold file cannot be read; the message says why, in one line."""


@dataclass(frozen=True)
class GoldClaim:
    text: str
    kind: str
    numbers: frozenset[str]
    dates: frozenset[str]
    entities: frozenset[str]
    negated: bool


@dataclass
class Score:
    article: str
    n_extracted: int
    n_gold: int
    n_matched: int
    slot_correct: dict[str, int] = field(default_factory=dict)
    slot_total: dict[str, int] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.n_matched / self.n_extracted if self.n_extracted else 0.0

    @property
    def recall(self) -> float:
        return self.n_matched / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def slot_accuracy(self, kind: str) -> float | None:
        total = self.slot_total.get(kind, 0)
        return self.slot_correct.get(kind, 0) / total if total else None


def split_cell(value: str | None) -> frozenset[str]:
    return frozenset(v.strip() for v in (value or "").split(";") if v.strip())


def read_gold_rows(path: Path, required: set[str]) -> list[dict[str, str]]:
    """Return the rows of a gold CSV, or raise GoldError saying what is wrong with it."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise GoldError(f"{path}: cannot read gold file ({err})") from None
    if not rows or not required <= set(rows[0]):
        raise GoldError(
            f"{path}: needs a header with {', '.join(sorted(required))} and at least one row"
        )
    return rows


def load_gold(path: Path) -> list[GoldClaim]:
    """Return the gold claims in a CSV (claim_text, kind, numbers, dates, entities, negated)."""
    rows = read_gold_rows(path, {"claim_text"})
    return [
        GoldClaim(
            text=row["claim_text"].strip(),
            kind=(row.get("kind") or "factual").strip(),
            # A race-clock time is written h:mm:ss and read as seconds, like the slot.
            numbers=frozenset(clock_seconds(n) or n for n in split_cell(row.get("numbers"))),
            dates=split_cell(row.get("dates")),
            entities=frozenset(canonical_entity(e) for e in split_cell(row.get("entities"))),
            negated=(row.get("negated") or "").strip().lower() in {"true", "yes", "1"},
        )
        for row in rows
    ]


def align(extracted: Sequence[str], gold: Sequence[str]) -> list[tuple[int, int, float]]:
    """Return one-to-one (extracted index, gold index, score) pairs, best scores first."""
    if not extracted or not gold:
        return []
    matrix = process.cdist(
        [e.lower() for e in extracted], [g.lower() for g in gold], scorer=fuzz.token_sort_ratio
    )
    # Best score first; ties go to the earlier claims, so the result is deterministic.
    candidates = sorted(
        (-float(matrix[i][j]), i, j) for i in range(len(extracted)) for j in range(len(gold))
    )
    used_e, used_g, pairs = set(), set(), []
    for negative, i, j in candidates:
        score = -negative
        if score < MATCH_THRESHOLD:
            break
        if i in used_e or j in used_g:
            continue
        used_e.add(i)
        used_g.add(j)
        pairs.append((i, j, score))
    return pairs


def slot_checks(claim: Claim, gold: GoldClaim) -> dict[str, bool]:
    """Return, per slot kind the gold claim states, whether the extracted claim has it right."""
    values = {
        kind: {s.value for s in claim.slots if s.kind == kind}
        for kind in ("number", "percent", "money", "date", "entity")
    }
    checks: dict[str, bool] = {}
    if gold.numbers:
        found = values["number"] | values["percent"] | values["money"]
        checks["numbers"] = gold.numbers <= found
    if gold.dates:
        checks["dates"] = gold.dates <= values["date"] | (
            {claim.claim_date} if claim.claim_date else set()
        )
    if gold.entities:
        checks["entities"] = gold.entities <= values["entity"] | (
            {claim.speaker} if claim.speaker else set()
        )
    negated = any(s.kind == "polarity" and s.value == "negated" for s in claim.slots)
    checks["polarity"] = negated == gold.negated
    return checks


def score_article(
    name: str,
    claims: Sequence[Claim],
    gold: Sequence[GoldClaim],
    rejected: Sequence[Rejected] = (),
    article_text: str = "",
) -> Score:
    """Return precision, recall and slot accuracy of extracted claims against gold claims,
    and each missed gold claim with its likely cause (see classify_miss)."""
    pairs = align([c.text for c in claims], [g.text for g in gold])
    score = Score(name, len(claims), len(gold), len(pairs), rejected=list(rejected))
    for i, j, _ in pairs:
        for kind, correct in slot_checks(claims[i], gold[j]).items():
            score.slot_total[kind] = score.slot_total.get(kind, 0) + 1
            score.slot_correct[kind] = score.slot_correct.get(kind, 0) + int(correct)
    matched_e = {i for i, _, _ in pairs}
    matched_g = {j for _, j, _ in pairs}
    score.missed = [g.text for j, g in enumerate(gold) if j not in matched_g]
    score.spurious = [c.text for i, c in enumerate(claims) if i not in matched_e]
    texts = [c.text for c in claims]
    dropped = [r.claim.text for r in rejected]
    score.misses = [
        Miss(name, g.text, *classify_miss(g, texts, dropped, article_text))
        for j, g in enumerate(gold)
        if j not in matched_g
    ]
    return score


# Why a gold claim was missed, in the order they are tested (classify_miss).
GARBLED = "garbled (dropped by the grammar check)"
ATTRIBUTION = "attribution"
NOMINALISATION = "nominalisation"
UNSPLIT = "unsplit list"
LOST_QUALIFIER = "lost qualifier"
OTHER = "other"
CAUSES = (GARBLED, ATTRIBUTION, NOMINALISATION, UNSPLIT, LOST_QUALIFIER, OTHER)
# Words that open a time, place or quantity a claim needs ("in July", "by 50 points").
QUALIFIER_WORDS = {
    "in",
    "on",
    "at",
    "by",
    "since",
    "from",
    "to",
    "for",
    "during",
    "after",
    "before",
}
WORD = re.compile(r"[\w%$.:'-]+")


@dataclass(frozen=True)
class Miss:
    article: str
    gold: str
    cause: str
    nearest: str  # the extracted (or dropped) claim closest to it, "" when none is close


def words_of(text: str) -> set[str]:
    return {w.strip(".,'").lower() for w in WORD.findall(text)} - {""}


def nominalised(gold_words: set[str], article_text: str) -> bool:
    """True when the gold claim's verb stands in the article as an act noun ("is
    developing" where the article says "development")."""
    for word in words_of(article_text) - gold_words:
        verb = verb_of(word)
        if verb and verb != word and any(w.startswith(verb.rstrip("e")) for w in gold_words):
            return True
    return False


def classify_miss(
    gold: GoldClaim, extracted: Sequence[str], dropped: Sequence[str], article_text: str
) -> tuple[str, str]:
    """Return (cause, nearest claim) for a missed gold claim, by the first that fits:
    a close claim was dropped as garbled; an attribution; the fact sat in an act noun; the
    nearest claim has the gold's words and more, joined by a list ("and", "as well as",
    "respectively"); the nearest claim lacks a number, date or prepositional qualifier the
    gold has; other."""

    def best(texts: Sequence[str]) -> tuple[float, str]:
        scored = [(fuzz.token_set_ratio(gold.text.lower(), t.lower()), t) for t in texts]
        return max(scored, default=(0.0, ""))

    near_score, nearest = best(extracted)
    drop_score, dropped_text = best(dropped)
    if drop_score >= MATCH_THRESHOLD and drop_score >= near_score:
        return GARBLED, dropped_text
    nearest = nearest if near_score >= 60 else ""
    if gold.kind == "attribution":
        return ATTRIBUTION, nearest
    gold_words = words_of(gold.text)
    if nominalised(gold_words, article_text):
        return NOMINALISATION, nearest
    if not nearest:
        return OTHER, ""
    near_words = words_of(nearest)
    missing, extra = gold_words - near_words, near_words - gold_words
    lists = (" and ", "as well as", "respectively", ",")
    if len(extra) > len(missing) and any(mark in nearest.lower() for mark in lists):
        return UNSPLIT, nearest
    if any(any(c.isdigit() for c in w) or w in QUALIFIER_WORDS for w in missing):
        return LOST_QUALIFIER, nearest
    return OTHER, nearest


def misses_by_cause(scores: Sequence[Score]) -> dict[str, list[Miss]]:
    """Return the missed gold claims grouped by cause, the most frequent cause first."""
    grouped: dict[str, list[Miss]] = {cause: [] for cause in CAUSES}
    for score in scores:
        for miss in score.misses:
            grouped[miss.cause].append(miss)
    ordered = sorted(grouped.items(), key=lambda item: (-len(item[1]), CAUSES.index(item[0])))
    return {cause: misses for cause, misses in ordered if misses}


def total(scores: Sequence[Score]) -> Score:
    """Return the micro-averaged score over articles."""
    overall = Score(
        "overall",
        sum(s.n_extracted for s in scores),
        sum(s.n_gold for s in scores),
        sum(s.n_matched for s in scores),
    )
    for s in scores:
        for kind in SLOT_KINDS:
            overall.slot_total[kind] = overall.slot_total.get(kind, 0) + s.slot_total.get(kind, 0)
            overall.slot_correct[kind] = overall.slot_correct.get(kind, 0) + s.slot_correct.get(
                kind, 0
            )
    return overall


def gold_pairs(gold_dir: Path, articles_dir: Path) -> list[tuple[Path, Path]]:
    """Return (article, gold file) pairs: DIR/<name>.csv with <name>.txt beside it or in articles_dir."""
    if not gold_dir.is_dir():
        raise GoldError(f"{gold_dir}: not a folder of gold files")
    pairs = []
    for gold_file in sorted(gold_dir.glob("*.csv")):
        for folder in (gold_dir, articles_dir):
            article = folder / f"{gold_file.stem}.txt"
            if article.is_file():
                pairs.append((article, gold_file))
                break
        else:
            raise GoldError(
                f"{gold_file}: no article {gold_file.stem}.txt beside it or in {articles_dir}"
            )
    if not pairs:
        raise GoldError(f"{gold_dir}: no gold files (<article name>.csv)")
    return pairs


def evaluate_claims(gold: Path, articles: Path, settings: Settings) -> list[Score]:
    """Extract the claims of every article with a gold file and score each against its
    gold, then the overall score last. Raises GoldError, ArticleError or ModelNotFound."""
    from claimwatch.nlp import load_nlp
    from claimwatch.pipeline import extract_claims_from_file

    pairs = gold_pairs(gold, articles)
    nlp = load_nlp(settings.spacy_model)
    scores = []
    for article, gold_file in pairs:
        extraction = extract_claims_from_file(article, settings, nlp)
        text = article.read_text(encoding="utf-8", errors="replace")
        scores.append(
            score_article(
                article.stem, extraction.claims, load_gold(gold_file), extraction.rejected, text
            )
        )
    return [*scores, total(scores)]


def score_record(score: Score) -> dict[str, object]:
    """A score as `claimwatch eval claims --format json` prints it."""
    return {
        "article": score.article,
        "n_extracted": score.n_extracted,
        "n_gold": score.n_gold,
        "n_matched": score.n_matched,
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "f1": round(score.f1, 4),
        "slot_accuracy": {k: score.slot_accuracy(k) for k in SLOT_KINDS},
        "missed": score.missed,
        "misses_by_cause": {
            cause: [m.gold for m in misses] for cause, misses in misses_by_cause([score]).items()
        },
        "spurious": score.spurious,
        "dropped": [
            {"claim": r.claim.text, "faults": [str(f) for f in r.faults]} for r in score.rejected
        ],
    }
