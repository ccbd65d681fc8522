"""Verdicts: one per claim, from the stances of independent outlets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claimwatch.stance.judge import REFUTES, SUPPORTS
from claimwatch.stance.wording import reasons_in_words

SUPPORTED, CONTRADICTED, DISPUTED, NEI = "SUPPORTED", "CONTRADICTED", "DISPUTED", "NOT ENOUGH INFO"
VERDICTS = (SUPPORTED, CONTRADICTED, DISPUTED, NEI)
# How much one outlet's agreement counts, by registry tier (1 = wire services and papers of record).
TIER_WEIGHT = {1: 1.0, 2: 0.85, 3: 0.7}
# One outlet at a perfect match gives this much; more outlets add up by noisy-or.
PER_OUTLET_STRENGTH = 0.6
MAX_CONFIDENCE = 0.99
# A lone outlet reading the claim otherwise, where at least this many independent outlets
# agree among themselves, is weighed as one dissent rather than a dispute, unless a rule
# decided it (a figure or date of the same holder that differs is certain).
AGREEING_OUTLETS = 2


@dataclass(frozen=True)
class ScoredEvidence:
    claim_id: str
    sentence_id: str
    stance: str
    similarity: float
    reasons: tuple[str, ...]
    sentence_text: str
    evidence_url: str
    outlet: str
    outlet_group: str
    tier: int
    # The learned decision's probability of this stance; None where a rule decided it.
    probability: float | None = None


@dataclass(frozen=True)
class Verdict:
    claim_id: str
    verdict: str
    confidence: float
    n_supporting_outlets: int
    n_contradicting_outlets: int
    evidence: ScoredEvidence | None
    reason: str


def item_strength(item: ScoredEvidence) -> float:
    """How much one piece of evidence counts: its decision's probability where the learned
    decision gave it, else how closely it matches; by its outlet's tier."""
    closeness = item.probability if item.probability is not None else item.similarity / 100
    return PER_OUTLET_STRENGTH * closeness * TIER_WEIGHT.get(item.tier, 0.7)


def side_strength(evidence: Sequence[ScoredEvidence]) -> float:
    """Return noisy-or strength of the best evidence per outlet group, in [0, 1)."""
    best: dict[str, float] = {}
    for item in evidence:
        best[item.outlet_group] = max(best.get(item.outlet_group, 0.0), item_strength(item))
    remaining = 1.0
    for strength in best.values():
        remaining *= 1 - strength
    return 1 - remaining


def explain(evidence: ScoredEvidence) -> str:
    """Return the reasons of one piece of evidence, slot findings first, in the words a
    reviewer reads (the evidence row keeps them as judge and the rules wrote them)."""
    return reasons_in_words(evidence.reasons)


def strongest_first(evidence: ScoredEvidence) -> tuple[float, int, str]:
    """Sort key: the closest match, then the better tier, then the sentence id, so equal
    scores pick the same evidence whatever order the rows came in."""
    return (-evidence.similarity, evidence.tier, evidence.sentence_id)


def lone_dissent(
    side: Sequence[ScoredEvidence], other: Sequence[ScoredEvidence], label: str
) -> tuple[str, Sequence[ScoredEvidence], ScoredEvidence] | None:
    """Return (label, side, the dissenting evidence) when side's outlets agree, at least
    AGREEING_OUTLETS of them, and other is one outlet whose every reading the learned
    decision gave (so none is a rule's certain conflict); None otherwise."""
    if len({e.outlet_group for e in side}) < AGREEING_OUTLETS:
        return None
    if len({e.outlet_group for e in other}) != 1 or any(e.probability is None for e in other):
        return None
    return label, side, other[0]


def outlet_readings(evidence: Sequence[ScoredEvidence]) -> list[ScoredEvidence]:
    """Return the evidence each outlet group settles the claim with: the side (SUPPORTS
    or REFUTES) of its strongest settling item, and its items on that side. An outlet that
    states the claim in one sentence and gives another fact in the next is one outlet
    saying the claim, not a dispute with itself; disputes are between outlets."""
    settling = [e for e in evidence if e.stance in (SUPPORTS, REFUTES)]
    strongest: dict[str, ScoredEvidence] = {}
    for item in sorted(settling, key=strongest_first):
        held = strongest.get(item.outlet_group)
        if held is None or item_strength(item) > item_strength(held):
            strongest[item.outlet_group] = item
    return [e for e in settling if e.stance == strongest[e.outlet_group].stance]


def decide(claim_id: str, evidence: Sequence[ScoredEvidence]) -> Verdict:
    """Return the verdict for one claim from all its scored evidence."""
    settled = outlet_readings(evidence)
    supports = sorted((e for e in settled if e.stance == SUPPORTS), key=strongest_first)
    refutes = sorted((e for e in settled if e.stance == REFUTES), key=strongest_first)
    n_sup = len({e.outlet_group for e in supports})
    n_con = len({e.outlet_group for e in refutes})
    sup, con = side_strength(supports), side_strength(refutes)
    if supports and refutes:
        lone = lone_dissent(supports, refutes, SUPPORTED) or lone_dissent(
            refutes, supports, CONTRADICTED
        )
        if lone is not None:
            label, side, dissent = lone
            strength, against = (sup, con) if label == SUPPORTED else (con, sup)
            best = side[0]
            return Verdict(
                claim_id,
                label,
                round(min(strength * (1 - against), MAX_CONFIDENCE), 4),
                n_sup,
                n_con,
                best,
                f"{best.outlet}: {explain(best)} · one outlet reads it otherwise, "
                f"{dissent.outlet}: {explain(dissent)}",
            )
        best = refutes[0]
        reason = f"{best.outlet}: {explain(best)} · {supports[0].outlet}: {explain(supports[0])}"
        return Verdict(claim_id, DISPUTED, round(min(sup, con), 4), n_sup, n_con, best, reason)
    for label, side, strength in ((SUPPORTED, supports, sup), (CONTRADICTED, refutes, con)):
        if side:
            best = side[0]
            return Verdict(
                claim_id,
                label,
                round(min(strength, MAX_CONFIDENCE), 4),
                n_sup,
                n_con,
                best,
                f"{best.outlet}: {explain(best)}",
            )
    closest = max((e.similarity for e in evidence), default=0.0)
    reason = (
        f"no source addresses it (closest similarity {closest:.0f})"
        if evidence
        else "no candidate sentence shares its terms"
    )
    return Verdict(claim_id, NEI, round(1 - closest / 100, 4), 0, 0, None, reason)
