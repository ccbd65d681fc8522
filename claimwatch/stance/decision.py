"""The learned stance decision: what judge found on a (claim, sentence) pair and the
entailment model's reading become one row of features, and a multinomial logistic
regression stored as data (models/stance/decision.json, trained by
models/stance/decision_train.py on benchmark splits nobody tuned for) maps it to
SUPPORTS, REFUTES or NEUTRAL with a probability.

Rules stay only where they are certain, and judge applies them before this: a figure or
date of the same holder that differs settles REFUTES, a sentence sharing nothing with
the claim settles NEUTRAL. Inference is a few dot products in numpy on rounded inputs,
so it is the same on every CPU."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from claimwatch.config import PROJECT_ROOT
from claimwatch.entailment import Entailment
from claimwatch.stance.judge import NEUTRAL, REFUTES, SUPPORTS, Stance

DECISION_FILE = PROJECT_ROOT / "models" / "stance" / "decision.json"
# The held-out rows the decision was reported on, as numbers (tests/test_decision.py).
HELD_OUT_FILE = PROJECT_ROOT / "models" / "stance" / "decision-heldout.json"
# What the decision's outputs depend on besides this code (claimwatch.version hashes it).
VERSIONED_DATA = ("models/stance/decision.json",)
LABELS = (SUPPORTS, REFUTES, NEUTRAL)
# A count past this says no more (a claim with five silent figures is as open as three).
MAX_COUNT = 3


def capped(count: int) -> float:
    return float(min(count, MAX_COUNT))


# Each feature: its name and how it is read off the pair. The order is the stored weights'.
FEATURES: tuple[tuple[str, object], ...] = (
    ("model_entails", lambda r, m: m.entails),
    ("model_contradicts", lambda r, m: m.contradicts),
    ("model_neutral", lambda r, m: m.neutral),
    ("similarity", lambda r, m: r.similarity / 100),
    ("coverage", lambda r, m: r.coverage),
    (
        "shared_share",
        lambda r, m: r.findings.shared_terms / max(1, r.findings.claim_terms),
    ),
    ("names_subject", lambda r, m: float(r.findings.names_subject)),
    ("anchored", lambda r, m: float(r.findings.anchored)),
    ("quantities_agree", lambda r, m: capped(r.findings.quantities_agree)),
    ("quantities_silent", lambda r, m: capped(r.findings.quantities_silent)),
    ("dates_agree", lambda r, m: capped(r.findings.dates_agree)),
    ("dates_silent", lambda r, m: capped(r.findings.dates_silent)),
    ("other_event", lambda r, m: capped(r.findings.other_event)),
    ("entity_clash", lambda r, m: capped(r.findings.entity_clash)),
    ("entity_gap", lambda r, m: capped(r.findings.entity_gap)),
    ("unnamed", lambda r, m: capped(r.findings.unnamed)),
    ("polarity_gap", lambda r, m: float(r.findings.polarity_gap)),
    ("modality_gap", lambda r, m: capped(r.findings.modality_gap)),
    ("antonyms", lambda r, m: capped(r.findings.antonyms)),
    ("loose_topic", lambda r, m: float(r.loose_topic)),
    ("overlap_supports", lambda r, m: float(r.stance == SUPPORTS)),
    # The model's lean where the slots found nothing open, and where they did: a reading
    # means more when every fact of the claim is in the sentence.
    ("entails_when_closed", lambda r, m: m.entails * float(not r.facts_open)),
    ("contradicts_when_anchored", lambda r, m: m.contradicts * float(r.findings.anchored)),
    # Where the claim's figure is not in the sentence, a contradiction reading is most
    # often the model meeting another figure of another thing ("food rose 0.9%" against
    # "core prices rose 0.2%"): the slots compare figures, the model the words.
    (
        "contradicts_when_silent",
        lambda r, m: m.contradicts * float(r.findings.quantities_silent > 0),
    ),
    # Where the slots confirmed a figure or date, a contradiction reading is often about
    # the words around it ("jumped 0.9%" against "shot up 0.9%").
    (
        "contradicts_when_agreed",
        lambda r, m: (
            m.contradicts * float(r.findings.quantities_agree + r.findings.dates_agree > 0)
        ),
    ),
)
FEATURE_NAMES = tuple(name for name, _ in FEATURES)


# The corners of the model's simplex (entails, contradicts, neutral).
MODEL_CORNERS = (Entailment(1.0, 0.0, 0.0), Entailment(0.0, 1.0, 0.0), Entailment(0.0, 0.0, 1.0))


def pair_features(reading: Stance, model: Entailment) -> list[float]:
    """Return the pair's feature row, each value rounded to 4 decimals."""
    return [round(float(read(reading, model)), 4) for _, read in FEATURES]  # type: ignore[operator]


@dataclass(frozen=True)
class Decision:
    """The stored classifier: standardisation, weights per label, and the least
    probability at which SUPPORTS or REFUTES is said (else NEUTRAL)."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # labels x features
    bias: np.ndarray  # labels
    labels: tuple[str, ...]
    says_at: dict[str, float]

    def probabilities(self, row: list[float]) -> dict[str, float]:
        """Return each label's probability for a feature row, rounded to 3 decimals."""
        x = (np.asarray(row, dtype=np.float64) - self.mean) / self.scale
        logits = self.weights @ x + self.bias
        shifted = np.exp(logits - logits.max())
        probabilities = shifted / shifted.sum()
        return {label: round(float(p), 3) for label, p in zip(self.labels, probabilities)}

    def could_say(self, reading: Stance) -> bool:
        """False when no reading of the model could make the decision say SUPPORTS or
        REFUTES for this pair, so the model need not read it. The features are affine in
        the model's three probabilities, so each label's logit gap is smallest at one of
        the three corners of their simplex: a bound on each label's probability."""
        rows = [
            (self.weights @ ((np.asarray(pair_features(reading, corner)) - self.mean) / self.scale))
            + self.bias
            for corner in MODEL_CORNERS
        ]
        logits = np.asarray(rows)  # corners x labels
        for index, label in enumerate(self.labels):
            if label == NEUTRAL:
                continue
            gaps = np.delete(logits, index, axis=1) - logits[:, [index]]
            ceiling = 1 / (1 + np.exp(gaps.min(axis=0)).sum())
            if ceiling >= self.says_at.get(label, 0.0):
                return True
        return False

    def label(self, probabilities: dict[str, float]) -> str:
        """The label said: the likeliest, when it is SUPPORTS or REFUTES at least as sure
        as its bar; NEUTRAL otherwise."""
        best = max(self.labels, key=lambda label: (probabilities[label], label))
        if best != NEUTRAL and probabilities[best] < self.says_at.get(best, 0.0):
            return NEUTRAL
        return best


def decision_from(record: dict) -> Decision:
    if tuple(record["features"]) != FEATURE_NAMES:
        raise ValueError("decision.json was trained on other features: train it again")
    return Decision(
        tuple(record["features"]),
        np.asarray(record["mean"], dtype=np.float64),
        np.asarray(record["scale"], dtype=np.float64),
        np.asarray(record["weights"], dtype=np.float64),
        np.asarray(record["bias"], dtype=np.float64),
        tuple(record["labels"]),
        dict(record["says_at"]),
    )


@lru_cache(maxsize=4)
def load_decision(path: Path = DECISION_FILE) -> Decision:
    """Return the shipped decision, read once per process."""
    return decision_from(json.loads(path.read_text(encoding="utf-8")))


def decide_learned(reading: Stance, model: Entailment | None) -> Stance:
    """Return the pair decided by the stored decision, its first reason in words a
    reviewer reads ("says the same in other words (entails 0.97)"), the probabilities
    after it (kept in the evidence row and the JSON). model is None for a pair that
    Decision.could_say found NEUTRAL whatever the model reads."""
    decision = load_decision()
    if model is None:
        return replace(
            reading,
            stance=NEUTRAL,
            reasons=("says nothing that could settle the claim", *reading.reasons),
            settled=True,
        )
    probabilities = decision.probabilities(pair_features(reading, model))
    label = decision.label(probabilities)
    said = READABLE[label](reading, model)
    detail = "decision: " + ", ".join(
        f"{name.lower()} {probabilities[name]:.2f}" for name in decision.labels
    )
    return replace(
        reading,
        stance=label,
        reasons=(said, detail, *reading.reasons),
        settled=True,
        probability=probabilities[label],
    )


def supports_in_words(reading: Stance, model: Entailment) -> str:
    agreed = reading.findings.quantities_agree + reading.findings.dates_agree
    facts = " and gives the same figures" if agreed else ""
    outweighed = (
        f"; its contradiction reading ({model.contradicts:.2f}) is outweighed"
        if model.contradicts >= 0.5
        else ""
    )
    return f"says the same in other words{facts} (entails {model.entails:.2f}){outweighed}"


def refutes_in_words(reading: Stance, model: Entailment) -> str:
    signs = [*reading.contested, *reading.entity_clash]
    if reading.findings.polarity_gap:
        signs.append("one of the two is negated")
    why = f": {'; '.join(signs)}" if signs else ""
    return f"says otherwise{why} (contradicts {model.contradicts:.2f})"


def neutral_in_words(reading: Stance, model: Entailment) -> str:
    return f"neither says the claim nor its contrary ({model.describe()})"


READABLE = {SUPPORTS: supports_in_words, REFUTES: refutes_in_words, NEUTRAL: neutral_in_words}
