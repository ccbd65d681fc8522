"""Verdicts: one per claim, from the stances of independent outlets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claimwatch.match import REFUTES, SUPPORTS

SUPPORTED, CONTRADICTED, DISPUTED, NEI = "SUPPORTED", "CONTRADICTED", "DISPUTED", "NOT ENOUGH INFO"
VERDICTS = (SUPPORTED, CONTRADICTED, DISPUTED, NEI)
# How much one outlet's agreement counts, by registry tier (1 = wire services and papers of record).
TIER_WEIGHT = {1: 1.0, 2: 0.85, 3: 0.7}
# One outlet at a perfect match gives this much; more outlets add up by noisy-or.
PER_OUTLET_STRENGTH = 0.6
MAX_CONFIDENCE = 0.99


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


@dataclass(frozen=True)
class Verdict:
    claim_id: str
    verdict: str
    confidence: float
    n_supporting_outlets: int
    n_contradicting_outlets: int
    evidence: ScoredEvidence | None
    reason: str


def side_strength(evidence: Sequence[ScoredEvidence]) -> float:
    """Return noisy-or strength of the best evidence per outlet group, in [0, 1)."""
    best: dict[str, float] = {}
    for item in evidence:
        strength = PER_OUTLET_STRENGTH * item.similarity / 100 * TIER_WEIGHT.get(item.tier, 0.7)
        best[item.outlet_group] = max(best.get(item.outlet_group, 0.0), strength)
    remaining = 1.0
    for strength in best.values():
        remaining *= 1 - strength
    return 1 - remaining


def explain(evidence: ScoredEvidence) -> str:
    """Return the reasons of one piece of evidence, slot findings first."""
    return "; ".join(evidence.reasons)


def strongest_first(evidence: ScoredEvidence) -> tuple[float, int, str]:
    """Sort key: the closest match, then the better tier, then the sentence id, so equal
    scores pick the same evidence whatever order the rows came in."""
    return (-evidence.similarity, evidence.tier, evidence.sentence_id)


def decide(claim_id: str, evidence: Sequence[ScoredEvidence]) -> Verdict:
    """Return the verdict for one claim from all its scored evidence."""
    supports = sorted((e for e in evidence if e.stance == SUPPORTS), key=strongest_first)
    refutes = sorted((e for e in evidence if e.stance == REFUTES), key=strongest_first)
    n_sup = len({e.outlet_group for e in supports})
    n_con = len({e.outlet_group for e in refutes})
    sup, con = side_strength(supports), side_strength(refutes)
    if supports and refutes:
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
