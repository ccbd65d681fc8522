"""Scoring the stance decision as a run meets claims: pair by pair, and per claim with
its candidates pooled (SUPPORTS when a pair supports and none refutes, REFUTES the other
way round, DISPUTED when pairs do both, NEUTRAL when none settles it). Used where the
decision is trained (models/stance/decision_train.py) and where its held-out floors are
asserted (tests/test_decision.py). A record is one pair: its gold label, the claim it
belongs to (group), whether judge settled it and with what, and its feature row."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from claimwatch.stance.decision import LABELS, Decision
from claimwatch.stance.judge import NEUTRAL, REFUTES, SUPPORTS


def open_probabilities(records: list[dict], decision: Decision) -> list[dict[str, float] | None]:
    """Each open pair's probabilities under decision (None for a settled pair)."""
    return [
        None if record["settled"] else decision.probabilities(record["features"])
        for record in records
    ]


def predictions(
    records: list[dict],
    decision: Decision,
    probabilities: list[dict[str, float] | None] | None = None,
) -> list[str]:
    """Each pair's label: a settled pair keeps judge's, an open one the decision's.
    probabilities, when given, are open_probabilities under the same weights (the bars
    may differ): computed once while bars are chosen."""
    read = probabilities if probabilities is not None else open_probabilities(records, decision)
    return [
        record["judged"] if p is None else decision.label(p)
        for record, p in zip(records, read, strict=True)
    ]


def f1_by_label(gold: Sequence[str], said: Sequence[str]) -> list[float]:
    """Each gold label's F1 (sorted by label), 0 where none is right."""
    f1s = []
    for label in sorted(set(gold)):
        tp = sum(g == p == label for g, p in zip(gold, said))
        fp = sum(p == label != g for g, p in zip(gold, said))
        fn = sum(g == label != p for g, p in zip(gold, said))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return f1s


def figures(records: list[dict], predicted: list[str]) -> dict:
    """Pair by pair: accuracy, macro-F1, each label's recall, REFUTES called SUPPORTS."""
    gold = [r["label"] for r in records]
    refuted = [p for g, p in zip(gold, predicted) if g == REFUTES]
    recall = {
        label: round(
            sum(g == p == label for g, p in zip(gold, predicted)) / max(1, gold.count(label)), 3
        )
        for label in LABELS
    }
    f1s = f1_by_label(gold, predicted)
    return {
        "pairs": len(records),
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted)) / max(1, len(records)), 4),
        "macro_f1": round(sum(f1s) / max(1, len(f1s)), 4),
        "refutes_called_supports": round(refuted.count(SUPPORTS) / max(1, len(refuted)), 4),
        "recall": recall,
    }


def pooled(labels: set[str]) -> str:
    settled = labels - {NEUTRAL}
    return "DISPUTED" if len(settled) > 1 else next(iter(settled), NEUTRAL)


def claim_level(records: list[dict], predicted: list[str]) -> tuple[list[str], list[str]]:
    """Gold and predicted label of each claim (group), its pairs pooled."""
    gold: dict[str, set[str]] = defaultdict(set)
    said: dict[str, set[str]] = defaultdict(set)
    for record, label in zip(records, predicted, strict=True):
        gold[record["group"]].add(record["label"])
        said[record["group"]].add(label)
    groups = sorted(gold)
    return [pooled(gold[g]) for g in groups], [pooled(said[g]) for g in groups]


def claim_figures(records: list[dict], predicted: list[str]) -> dict:
    """Per claim: accuracy, macro-F1 over the gold labels present, the share of claims not
    supported that were called SUPPORTS, and how often each label was said."""
    gold, said = claim_level(records, predicted)
    f1s = f1_by_label(gold, said)
    not_supported = [p for g, p in zip(gold, said) if g != SUPPORTS]
    return {
        "claims": len(gold),
        "accuracy": round(sum(g == p for g, p in zip(gold, said)) / max(1, len(gold)), 4),
        "macro_f1": round(sum(f1s) / max(1, len(f1s)), 4),
        "unsupported_called_supports": round(
            not_supported.count(SUPPORTS) / max(1, len(not_supported)), 4
        ),
        "said": dict(sorted(Counter(said).items())),
    }
