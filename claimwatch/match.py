"""Stance of one source sentence toward one claim: fuzzy similarity plus fact-slot agreement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from claimwatch.slots import Slot

SUPPORTS, REFUTES, NEUTRAL = "SUPPORTS", "REFUTES", "NEUTRAL"
# token_set_ratio scores how much of the (short) claim's vocabulary the (longer) sentence
# contains, ignoring the sentence's extra words; that is the question a checker asks.
ON_TOPIC = 60.0
SUPPORT_SIMILARITY = 65.0
SUPPORT_COVERAGE = 0.5
# A single shared word ("China") is not a topic; a one-term claim must share that term.
MIN_SHARED_TERMS = 2
# "not" in an unrelated clause must not flip a match, so polarity needs a close paraphrase.
POLARITY_SIMILARITY = 80.0
CHECKED_KINDS = ("number", "money", "percent")
ANCHOR_COVERAGE = 0.75


@dataclass(frozen=True)
class Stance:
    stance: str
    similarity: float
    coverage: float
    reasons: tuple[str, ...]


def similarity(claim_norm: str, sentence_norm: str) -> float:
    """Return 0-100: how fully the sentence's terms cover the claim's (rapidfuzz token_set_ratio)."""
    if not claim_norm or not sentence_norm:
        return 0.0
    return float(fuzz.token_set_ratio(claim_norm, sentence_norm))


def shared_terms(claim_norm: str, sentence_norm: str) -> set[str]:
    return set(claim_norm.split()) & set(sentence_norm.split())


def coverage(claim_norm: str, sentence_norm: str) -> float:
    """Return the share of distinct claim terms that occur in the sentence."""
    claim_terms = set(claim_norm.split())
    if not claim_terms:
        return 0.0
    return len(shared_terms(claim_norm, sentence_norm)) / len(claim_terms)


def compare_quantities(
    claim: Sequence[Slot], sentence: Sequence[Slot]
) -> tuple[list[str], list[str], list[str]]:
    """Return (agreements, conflicts, silences) for numbers, money and percentages of the same unit."""
    agree, conflict, silent = [], [], []
    # A bare number ("voted 9-1") says nothing of what it counts; the sentence must give it.
    for slot in (s for s in claim if s.kind in CHECKED_KINDS and not s.unit):
        if any(s.kind == slot.kind and s.value == slot.value for s in sentence):
            agree.append(f"{slot.kind} {slot.value} = {slot.value}")
        else:
            silent.append(f"source silent on {slot.kind} {slot.value}")
    for slot in (s for s in claim if s.kind in CHECKED_KINDS and s.unit):
        same_unit = [s for s in sentence if s.kind == slot.kind and s.unit == slot.unit]
        label = f"{slot.kind} {slot.value}"
        if any(s.value == slot.value for s in same_unit):
            agree.append(f"{label} = {slot.value} ({slot.unit})")
        elif same_unit:
            conflict.append(f"{label} ≠ {same_unit[0].value} ({slot.unit})")
        else:
            silent.append(f"source silent on {label} ({slot.unit})")
    return agree, conflict, silent


def compare_dates(
    claim: Sequence[Slot], sentence: Sequence[Slot], anchored: bool = True
) -> tuple[list[str], list[str], list[str]]:
    """Return (agreements, conflicts, silences) for dates of the same precision (day, month, year).

    A date only conflicts when the sentence is anchored to the claim's event (see judge):
    unlike a count, a date carries no head noun saying what it dates."""
    agree, conflict, silent = [], [], []
    sentence_dates = [s.value for s in sentence if s.kind == "date"]
    for slot in (s for s in claim if s.kind == "date"):
        same_precision = [d for d in sentence_dates if len(d) == len(slot.value)]
        if slot.value in same_precision:
            agree.append(f"date {slot.value} = {slot.value}")
        elif same_precision and anchored:
            conflict.append(f"date {slot.value} ≠ {same_precision[0]}")
        elif same_precision:
            silent.append(f"source dates another event ({same_precision[0]}), not {slot.value}")
        else:
            silent.append(f"source silent on date {slot.value}")
    return agree, conflict, silent


# Entity types that can stand in for each other in a sentence ("Chinese" and "China").
ENTITY_CLASSES = {"GPE": "place", "NORP": "place", "LOC": "place", "ORG": "org", "PERSON": "person"}


def compare_entities(claim: Sequence[Slot], sentence: Sequence[Slot]) -> list[str]:
    """Return conflicts: a claim entity the sentence replaces with another entity of the
    same kind ("Japan banned mining" against "China banned mining")."""
    conflicts = []
    named: dict[str, set[str]] = {}
    for slot in sentence:
        if slot.kind == "entity" and slot.unit in ENTITY_CLASSES:
            named.setdefault(ENTITY_CLASSES[slot.unit], set()).add(slot.value)
    every = set().union(*named.values()) if named else set()
    for slot in claim:
        kind = ENTITY_CLASSES.get(slot.unit)
        if slot.kind != "entity" or kind is None or slot.value in every:
            continue
        others = named.get(kind)
        if others:
            conflicts.append(f"entity {slot.value} ≠ {min(others)}")
    return conflicts


def unnamed_entities(
    claim: Sequence[Slot], sentence: Sequence[Slot], document_entities: frozenset[str] | None
) -> list[str]:
    """Return silences for claim entities that neither the sentence nor its document names."""
    if document_entities is None:
        return []
    named = {s.value for s in sentence if s.kind == "entity"} | document_entities
    return [
        f"source never names {s.value}"
        for s in claim
        if s.kind == "entity" and s.unit in ENTITY_CLASSES and s.value not in named
    ]


def coverage_key(cov: float | None) -> str:
    """Return all that judge reads of a coverage: its two-decimal form (in the reasons) and
    the side of each threshold it is on. Coverages with equal keys give equal stances, so a
    pair whose corpus weighting moved a little need not be judged again."""
    if cov is None:
        return "unweighted"
    return f"{cov:.2f}|{cov >= SUPPORT_COVERAGE:d}|{cov >= ANCHOR_COVERAGE:d}"


def is_anchored(claim_slots: Sequence[Slot], sentence_norm: str, cov: float) -> bool:
    """True when the sentence describes the claim's event: it uses the claim's predicate
    (its main verb), or covers nearly all of the claim's terms."""
    predicates = {s.value for s in claim_slots if s.kind == "predicate"}
    return bool(predicates & set(sentence_norm.split())) or cov >= ANCHOR_COVERAGE


def topic_gaps(
    claim_slots: Sequence[Slot], sentence_terms: set[str], sentence_slots: Sequence[Slot] = ()
) -> list[str]:
    """Return why the sentence is about another kind of thing: it names its own kind of the
    claim's head noun ("illegal financial activity" where the claim says "mining
    activities"), or it never names the claim's compound object ("derivatives trading").
    A bare head noun ("services") leaves the kind open and is no gap."""
    qualified = {s.unit for s in sentence_slots if s.kind == "modifier"}
    gaps = []
    for slot in claim_slots:
        if (
            slot.kind == "qualifier"
            and slot.unit in sentence_terms
            and slot.value not in sentence_terms
            and slot.unit in qualified
        ):
            gaps.append(f"source speaks of another {slot.unit}, not {slot.value} {slot.unit}")
        elif slot.kind == "object" and not {slot.value, *slot.unit.split(";")} & sentence_terms:
            gaps.append(f"source does not mention {slot.text}")
    return gaps


def is_negated(slots: Sequence[Slot]) -> bool:
    return any(s.kind == "polarity" and s.value == "negated" for s in slots)


def sentence_polarity(
    claim_norm: str, claim_slots: Sequence[Slot], sentence_norm: str, sentence_slots: Sequence[Slot]
) -> tuple[bool, bool]:
    """Return (negated, states the predicate) for the part of the sentence that speaks to the
    claim: the clause that uses the claim's predicate and shares most terms with it (the
    main clause wins ties), or the whole sentence when its clauses agree in polarity."""
    predicates = {s.value for s in claim_slots if s.kind == "predicate"}
    clauses = [s for s in sentence_slots if s.kind == "clause"]
    if not clauses:
        return is_negated(sentence_slots), bool(predicates & set(sentence_norm.split()))
    claim_terms = set(claim_norm.split())

    def fit(clause: Slot) -> tuple[bool, int]:
        terms = set(clause.unit.split())
        return bool(predicates & terms), len(claim_terms & terms)

    best = max(clauses, key=fit)
    return best.value == "negated", fit(best)[0]


def judge(
    claim_norm: str,
    claim_slots: Sequence[Slot],
    sentence_norm: str,
    sentence_slots: Sequence[Slot],
    weighted_coverage: float | None = None,
    document_entities: frozenset[str] | None = None,
) -> Stance:
    """Return SUPPORTS, REFUTES or NEUTRAL with scores and human-readable reasons.

    weighted_coverage, when the corpus is known, is the IDF-weighted share of the claim's
    terms the sentence contains: missing "mining" from "mining activities are illegal"
    costs more than missing "activities". document_entities, when known, are the entities
    the sentence's whole document names: a claim entity that neither the sentence nor its
    document names is unconfirmed, so the sentence cannot support the claim."""
    sim = similarity(claim_norm, sentence_norm)
    cov = coverage(claim_norm, sentence_norm) if weighted_coverage is None else weighted_coverage
    anchored = is_anchored(claim_slots, sentence_norm, cov)
    q_agree, q_conflict, q_silent = compare_quantities(claim_slots, sentence_slots)
    d_agree, d_conflict, d_silent = compare_dates(claim_slots, sentence_slots, anchored)
    conflicts = q_conflict + d_conflict
    e_conflict = compare_entities(claim_slots, sentence_slots)
    entity_gap = []
    # The swapped name itself lowers the similarity, so the bar is the support bar.
    if e_conflict and sim >= SUPPORT_SIMILARITY and anchored:
        conflicts += e_conflict  # the same event told of someone else
    elif e_conflict:
        entity_gap = [f"{c} (another event?)" for c in e_conflict]
    polarity_gap = []
    source_negated, states_predicate = sentence_polarity(
        claim_norm, claim_slots, sentence_norm, sentence_slots
    )
    if is_negated(claim_slots) != source_negated:
        side = (
            "claim negated, source affirms"
            if is_negated(claim_slots)
            else "claim affirms, source negates"
        )
        # A close paraphrase of the same predicate with the opposite polarity contradicts;
        # a looser one may negate something else, but it can never support the claim.
        # "ordered a crackdown on mining" restricts without forbidding: only the claim's own
        # predicate, negated or not, can contradict it.
        if sim >= POLARITY_SIMILARITY and anchored and states_predicate:
            conflicts.append(f"polarity: {side}")
        else:
            polarity_gap.append(f"polarity differs ({side})")
    score = f"similarity {sim:.0f}, coverage {cov:.2f}"
    off_subject = topic_gaps(claim_slots, set(sentence_norm.split()), sentence_slots)
    if off_subject and sim >= ON_TOPIC:
        return Stance(NEUTRAL, sim, cov, (*off_subject, score))
    n_needed = min(MIN_SHARED_TERMS, len(set(claim_norm.split())))
    if sim < ON_TOPIC or len(shared_terms(claim_norm, sentence_norm)) < n_needed:
        return Stance(NEUTRAL, sim, cov, (f"off topic ({score})",))
    if conflicts:
        return Stance(REFUTES, sim, cov, (*conflicts, score))
    unnamed = unnamed_entities(claim_slots, sentence_slots, document_entities)
    silences = q_silent + d_silent + polarity_gap + entity_gap + unnamed
    if sim >= SUPPORT_SIMILARITY and cov >= SUPPORT_COVERAGE and not silences:
        return Stance(SUPPORTS, sim, cov, (*(q_agree + d_agree), score))
    if silences:
        return Stance(NEUTRAL, sim, cov, (*silences, score))
    return Stance(NEUTRAL, sim, cov, (f"on topic but not close enough ({score})",))
