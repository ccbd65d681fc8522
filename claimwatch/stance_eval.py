"""Measuring the stance step on labelled (claim, evidence) pairs: any JSONL file of
{"claim", "evidence", "label"} rows (FEVER's own format, a climate benchmark, your own).

Each pair is judged as a run judges a claim against a source sentence: the claim is read
as the extractor reads an article sentence (its slots, terms and predicate), the evidence
as a source text, then stance.judge reads the pair and the precedence table of
claimwatch.stance.rules decides with the entailment model's reading."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from claimwatch.article import ArticleError, mask_boilerplate
from claimwatch.extract.component import article_cfg
from claimwatch.extract.slots.base import Slot
from claimwatch.stance.judge import NEUTRAL, REFUTES, SUPPORTS, Stance, judge
from claimwatch.stance.rules import read_open_pairs
from claimwatch.stance.scoring import f1_by_label
from claimwatch.text import normalise_tokens, sentence_slots

GOLD_LABELS = ("SUPPORTS", "REFUTES", "NOT ENOUGH INFO", "DISPUTED")
PREDICTED = {SUPPORTS: "SUPPORTS", REFUTES: "REFUTES", NEUTRAL: "NOT ENOUGH INFO"}
MAX_PAIRS = 100_000


class StanceInputError(ValueError):
    """The pairs file cannot be read; the message names the line, in one line."""


@dataclass(frozen=True)
class LabelledPair:
    claim: str
    evidence: str
    label: str


@dataclass(frozen=True)
class StanceReport:
    pairs: int
    accuracy: float
    macro_f1: float
    refutes_called_supports: float | None  # share of REFUTES pairs judged SUPPORTS
    pairs_per_second: float
    confusion: dict[str, dict[str, int]]  # gold label -> predicted label -> pairs
    recall: dict[str, float]  # gold label -> share of its pairs judged so


def load_pairs(path: Path, limit: int | None = None) -> list[LabelledPair]:
    """Return the labelled pairs of a JSONL file; evidence may be a text or a list of texts."""
    if not path.is_file():
        raise StanceInputError(f"{path}: no such file")
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                claim, evidence, label = row["claim"], row["evidence"], row["label"]
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise StanceInputError(
                    f"{path}:{number}: not a {{claim, evidence, label}} JSON object ({err})"
                ) from None
            if isinstance(evidence, list):
                evidence = " ".join(str(e) for e in evidence)
            if label not in GOLD_LABELS:
                raise StanceInputError(
                    f"{path}:{number}: label {label!r} is not one of {', '.join(GOLD_LABELS)}"
                )
            if not str(claim).strip() or not str(evidence).strip():
                raise StanceInputError(f"{path}:{number}: empty claim or evidence")
            pairs.append(LabelledPair(str(claim), str(evidence), label))
            if len(pairs) >= (limit or MAX_PAIRS):
                break
    if not pairs:
        raise StanceInputError(f"{path}: no pairs")
    return pairs


def claim_reading(text: str, nlp: Language) -> tuple[str, tuple[Slot, ...]]:
    """Return (terms, slots) of a claim as the extractor reads it: the longest claim it
    finds in the text, or the sentence's own slots when it finds none."""
    try:
        doc = nlp(mask_boilerplate(text), component_cfg=article_cfg(text, "pair"))
    except ArticleError:
        return text_reading(text, nlp)
    if not doc._.claims:
        return text_reading(text, nlp)
    # The extractor parsed each claim's own text already (doc._.claim_docs).
    best, parse = max(zip(doc._.claims, doc._.claim_docs), key=lambda pair: len(pair[0].text))
    return " ".join(normalise_tokens(list(parse))), tuple(best.slots)


def text_reading(text: str, nlp: Language) -> tuple[str, tuple[Slot, ...]]:
    """Return (terms, slots) of a source text, read as one sentence."""
    tokens = list(nlp(text))
    return " ".join(normalise_tokens(tokens)), sentence_slots(tokens, None)


def judged(pairs: Sequence[LabelledPair], nlp: Language) -> list[Stance]:
    """Return judge's reading of every pair, as a run reads a claim and a sentence."""
    stances = []
    for pair in pairs:
        claim_norm, claim_slots = claim_reading(pair.claim, nlp)
        evidence_norm, evidence_slots = text_reading(pair.evidence, nlp)
        stances.append(judge(claim_norm, claim_slots, evidence_norm, evidence_slots))
    return stances


def predict(
    pairs: Sequence[LabelledPair], nlp: Language, use_model: bool = True, learned: bool = False
) -> list[str]:
    """Return each pair's predicted label: SUPPORTS, REFUTES or NOT ENOUGH INFO
    (learned: decided by the learned decision rather than the table)."""
    stances = judged(pairs, nlp)
    texts = [(p.claim, p.evidence) for p in pairs]
    decided = read_open_pairs(texts, stances, use_model, learned=learned)
    return [PREDICTED[s.stance] for s in decided]


def open_readings(
    pairs: Sequence[LabelledPair], nlp: Language
) -> list[tuple[Stance, list[float] | None]]:
    """Return every pair's judge reading and, for the pairs it leaves open, the feature
    row the learned decision reads (claimwatch.stance.decision): for training it."""
    from claimwatch.stance.decision import pair_features
    from claimwatch.stance.rules import model_readings

    stances = judged(pairs, nlp)
    texts = [(p.claim, p.evidence) for p in pairs]
    unsettled = [texts[i] for i, s in enumerate(stances) if not s.settled]
    readings = model_readings(unsettled, {})
    return [
        (stance, None if stance.settled else pair_features(stance, readings[text]))
        for stance, text in zip(stances, texts, strict=True)
    ]


def stance_report(
    pairs: Sequence[LabelledPair], predictions: Sequence[str], seconds: float
) -> StanceReport:
    gold = [p.label for p in pairs]
    confusion: dict[str, dict[str, int]] = {}
    for (label, predicted), n in sorted(Counter(zip(gold, predictions)).items()):
        confusion.setdefault(label, {})[predicted] = n
    labels = sorted(set(gold))
    f1s = f1_by_label(gold, predictions)
    refuted = [p for g, p in zip(gold, predictions) if g == "REFUTES"]
    return StanceReport(
        pairs=len(pairs),
        accuracy=round(sum(g == p for g, p in zip(gold, predictions)) / len(pairs), 4),
        macro_f1=round(sum(f1s) / len(f1s), 4),
        refutes_called_supports=(
            round(refuted.count("SUPPORTS") / len(refuted), 4) if refuted else None
        ),
        pairs_per_second=round(len(pairs) / seconds, 1) if seconds > 0 else 0.0,
        recall={
            label: round(confusion[label].get(label, 0) / sum(confusion[label].values()), 4)
            for label in labels
        },
        confusion=confusion,
    )


def evaluate_stance(
    path: Path,
    nlp: Language,
    limit: int | None = None,
    use_model: bool = True,
    learned: bool = False,
) -> StanceReport:
    """Judge every pair of a JSONL file and return the report (use_model=False: the word
    overlap and the slots alone, the baseline the model is measured against; learned:
    the learned decision instead of the table)."""
    pairs = load_pairs(path, limit)
    started = time.perf_counter()
    predictions = predict(pairs, nlp, use_model, learned)
    return stance_report(pairs, predictions, time.perf_counter() - started)
