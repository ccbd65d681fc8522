"""What one source sentence says toward one claim, read without the model: fuzzy
similarity and coverage, the slots' comparisons (claimwatch.stance.compare), polarity,
modality and antonyms. judge settles a pair only where that is certain (a figure or date
of the claim's event differs: REFUTES; nothing of the claim is there: NEUTRAL) and
records its Findings; the learned decision (claimwatch.stance.decision) reads the rest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from claimwatch.extract.slots.base import Slot
from claimwatch.extract.slots.holders import holders_differ
from claimwatch.extract.slots.polarity import UNREALISED
from claimwatch.stance.compare import (
    CHECKED_KINDS,
    DATED_ELSEWHERE,
    DATED_INSIDE,
    compare_dates,
    compare_entities,
    compare_quantities,
    entity_values,
    holder_bound_conflict,
    names_in_words,
    unnamed_entities,
)
from claimwatch.stance.lexicon import opposed_terms

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
ANCHOR_COVERAGE = 0.75


@dataclass(frozen=True)
class Findings:
    """What judge counted on a pair, for the learned decision (claimwatch.stance.decision):
    figures and dates agreeing, conflicting or missing, names swapped or unnamed, the
    polarity, modality and antonyms, and how much of the claim's wording is shared."""

    shared_terms: int = 0
    claim_terms: int = 0
    names_subject: bool = False
    anchored: bool = False
    quantities_agree: int = 0
    quantities_conflict: int = 0
    quantities_silent: int = 0
    dates_agree: int = 0
    dates_conflict: int = 0
    dates_silent: int = 0
    other_event: int = 0
    entity_clash: int = 0
    entity_gap: int = 0
    unnamed: int = 0
    polarity_conflict: bool = False
    polarity_gap: bool = False
    modality_gap: int = 0
    antonyms: int = 0
    off_subject: bool = False


@dataclass(frozen=True)
class Stance:
    stance: str
    similarity: float
    coverage: float
    reasons: tuple[str, ...]
    # False when the slots and the overlap left the pair for the precedence table of
    # claimwatch.stance.rules to decide with the entailment model: on topic, no figure or
    # date conflict. facts_open: a fact of the claim stays unconfirmed; facts_agree: the
    # slots confirmed a figure or date of the claim in the sentence; polarity_differs: one
    # of the two is negated in a looser paraphrase, so it never supports. contested: the
    # word-level signs of a contradiction found (WordNet antonyms qualifying the same
    # thing), which the table weighs against the model. entity_clash: a name of the claim
    # that the sentence replaces with another of the same kind, a contradiction only when
    # both fill the same role of the same event. loose_topic: the sentence shares the
    # claim's terms but too few of them to be close.
    settled: bool = True
    facts_open: bool = False
    facts_agree: bool = False
    polarity_differs: bool = False
    contested: tuple[str, ...] = ()
    entity_clash: tuple[str, ...] = ()
    loose_topic: bool = False
    findings: Findings = Findings()
    # The learned decision's probability of the stance it gave (None: a rule decided).
    probability: float | None = None


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


def predicate_opposed(claim: Sequence[Slot], claim_norm: str, sentence_norm: str) -> list[str]:
    """Return "opened ↔ shut" when the sentence says the opposite of the claim's own act
    (its predicate's WordNet antonym), else []."""
    acts = {s.value for s in claim if s.kind == "predicate"}
    return [
        f"{word} ↔ {other}"
        for word, other in opposed_terms(claim_norm.split(), sentence_norm.split())
        if word in acts
    ]


def figures_of_other_holders(claim: Sequence[Slot], sentence: Sequence[Slot]) -> bool:
    """True when the claim's figures have holders and every figure of the sentence is
    another holder's (extract.slots.holders): then what the sentence says of its figures
    (rose, fell) is said of other things than the claim's."""
    held = [s for s in claim if s.kind in CHECKED_KINDS and s.holder]
    theirs = [s for s in sentence if s.kind in CHECKED_KINDS]
    return bool(held and theirs) and all(
        s.holder and all(holders_differ(c.holder, s.holder) for c in held) for s in theirs
    )


def one_fact_differs(
    q_conflict: list[str],
    q_silent: list[str],
    d_conflict: list[str],
    d_silent: Sequence[str] = (),
) -> tuple[list[str], list[str], list[str]]:
    """Return (figure conflicts, date conflicts, other-event notes): a contradiction is the
    claim's fact told differently, one slot apart. A sentence whose figures and date both
    differ ("rose 0.4% in September" against "rose 0.3% in August"; "rose 2% on Tuesday"
    against "closed 4.9% lower on Monday", though that sentence is too loose a paraphrase
    for its date to conflict), or that dates an event without giving the claim's figures,
    tells of another figure, not against this one."""
    dated_elsewhere = [d for d in d_silent if d.startswith(DATED_ELSEWHERE)]
    if q_conflict and dated_elsewhere:
        return [], d_conflict, [f"{c} (another figure, another date)" for c in q_conflict]
    if d_conflict and (q_conflict or q_silent):
        notes = [f"{c} (another figure, another date)" for c in q_conflict + d_conflict]
        return [], [], notes
    return q_conflict, d_conflict, []


def coverage_key(cov: float | None) -> str:
    """Return all that judge decides on from a coverage: the side of each threshold it is
    on. Coverages with equal keys give equal stances (the figure in the reasons aside, see
    restate_coverage), so a pair whose corpus weighting moved need not be judged again."""
    if cov is None:
        return "unweighted"
    return f"{cov >= SUPPORT_COVERAGE:d}|{cov >= ANCHOR_COVERAGE:d}"


COVERAGE_IN_REASON = re.compile(r"coverage \d+\.\d\d")


def restate_coverage(stance: Stance, cov: float | None) -> Stance:
    """Return a stance with this run's coverage in its figures and reasons: a stance reused
    from pair_scores was judged at a coverage on the same side of every threshold."""
    if cov is None:
        return stance
    reasons = tuple(COVERAGE_IN_REASON.sub(f"coverage {cov:.2f}", r) for r in stance.reasons)
    return Stance(stance.stance, stance.similarity, cov, reasons, probability=stance.probability)


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
        elif slot.kind == "object" and not {slot.value, *slot.terms} & sentence_terms:
            gaps.append(f"source does not mention {slot.text}")
    return gaps


def is_unrealised(slots: Sequence[Slot]) -> bool:
    return any(s.kind == "modality" and s.value == UNREALISED for s in slots)


def modality_gap(claim: Sequence[Slot], sentence: Sequence[Slot]) -> list[str]:
    """Return why the sentence cannot support the claim: one tells what happened, the other
    what could have ("has run faster" and "could have run faster")."""
    if is_unrealised(claim) == is_unrealised(sentence):
        return []
    side = "claim" if is_unrealised(claim) else "source"
    return [f"the {side} tells only what could have happened"]


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
        terms = set(clause.terms)
        return bool(predicates & terms), len(claim_terms & terms)

    best = max(clauses, key=fit)
    return best.polarity == "negated", fit(best)[0]


# Two sentences read together must cover nearly all of the claim's terms: each alone fell
# short, and a loose pair could stitch a claim together from two different stories.
JOINT_COVERAGE = ANCHOR_COVERAGE


def shared_facts(claim: Sequence[Slot], sentence: Sequence[Slot]) -> set[tuple[str, str]]:
    """Return the claim's figures and dates, (kind, value), that the sentence also gives."""
    kinds = (*CHECKED_KINDS, "date")
    given = {(s.kind, s.value) for s in sentence if s.kind in kinds}
    return {(s.kind, s.value) for s in claim if s.kind in kinds} & given


def judge_jointly(
    claim_norm: str,
    claim_slots: Sequence[Slot],
    first: tuple[str, Sequence[Slot]],
    second: tuple[str, Sequence[Slot]],
    document_entities: frozenset[str] | None = None,
    document_lede: Sequence[str] = (),
) -> Stance | None:
    """Return SUPPORTS when two sentences of one document, (terms, slots) each, confirm
    together what neither does alone: "The CPI advanced 5.4% in the 12 months through
    September." and "..., the Labor Department said on Wednesday." for "US consumer prices
    rose 5.4% in September, the Labor Department said Wednesday". Together they must
    cover JOINT_COVERAGE of the claim's terms and confirm every slot, with no conflict;
    otherwise None (each sentence's own stance stands)."""
    together = judge(
        claim_norm,
        claim_slots,
        f"{first[0]} {second[0]}",
        (*first[1], *second[1]),
        None,
        document_entities,
        document_lede,
    )
    if together.stance == SUPPORTS and together.coverage >= JOINT_COVERAGE:
        return together
    return None


def judge(
    claim_norm: str,
    claim_slots: Sequence[Slot],
    sentence_norm: str,
    sentence_slots: Sequence[Slot],
    weighted_coverage: float | None = None,
    document_entities: frozenset[str] | None = None,
    document_lede: Sequence[str] = (),
) -> Stance:
    """Return SUPPORTS, REFUTES or NEUTRAL with scores and human-readable reasons.

    weighted_coverage, when the corpus is known, is the IDF-weighted share of the claim's
    terms the sentence contains: missing "mining" from "mining activities are illegal"
    costs more than missing "activities". document_entities, when known, are the entities
    the sentence's whole document names: a claim entity that neither the sentence nor its
    document names is unconfirmed, so the sentence cannot support the claim.
    document_lede, the first dates of the document (lede_dates), dates a sentence that
    gives none. Figure and date conflicts settle a pair as REFUTES and an off-topic one as
    NEUTRAL; what else is left open, claimwatch.stance.rules decides with the model."""
    sim = similarity(claim_norm, sentence_norm)
    cov = coverage(claim_norm, sentence_norm) if weighted_coverage is None else weighted_coverage
    sentence_slots = (*sentence_slots, *names_in_words(claim_slots, sentence_norm))
    anchored = is_anchored(claim_slots, sentence_norm, cov)
    q_agree, q_conflict, q_silent = compare_quantities(claim_slots, sentence_slots)
    d_agree, d_conflict, d_silent = compare_dates(
        claim_slots, sentence_slots, anchored, document_lede
    )
    q_conflict, d_conflict, other_event = one_fact_differs(
        q_conflict, q_silent, d_conflict, d_silent
    )
    opposite_acts = predicate_opposed(claim_slots, claim_norm, sentence_norm)
    opposite_dated_apart = bool(d_conflict and opposite_acts)
    if opposite_dated_apart:
        # "The plant opened in 1962" against "the plant will be shut next year": the date
        # is the opposite act's, so neither the date nor the opposition is a conflict.
        other_event += [f"{c} (the date of {opposite_acts[0]})" for c in d_conflict]
        d_conflict = []
    # Figures, dates and the polarity of a close paraphrase: the slots settle these.
    conflicts = q_conflict + d_conflict
    e_conflict = compare_entities(claim_slots, sentence_slots)
    entity_gap = []
    # The swapped name itself lowers the similarity, so the bar is the support bar. A
    # sentence silent on the claim's date or figures, or giving others, may tell of another
    # event with another actor ("the Bank of England raised rates" in 2021 beside "the Bank
    # of Japan raised rates on Tuesday" in 2024): only the same event can be told of the
    # wrong name.
    entity_conflicts = []
    dated_apart = [d for d in d_silent if not d.startswith(DATED_INSIDE)]
    same_event = not (q_silent or dated_apart or other_event or q_conflict or d_conflict)
    if e_conflict and sim >= SUPPORT_SIMILARITY and anchored and same_event:
        entity_conflicts = e_conflict  # the same event told of someone else
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
    unnamed = unnamed_entities(claim_slots, sentence_slots, document_entities)
    if unnamed and conflicts and not holder_bound_conflict(claim_slots, sentence_slots):
        # A source that never names the claim's subject tells of someone else's figures
        # and dates: it can no more contradict the claim than support it.
        other_event += [f"{c} (of another subject?)" for c in conflicts]
        conflicts = []
    score = f"similarity {sim:.0f}, coverage {cov:.2f}"
    off_subject = topic_gaps(claim_slots, set(sentence_norm.split()), sentence_slots)
    n_needed = min(MIN_SHARED_TERMS, len(set(claim_norm.split())))
    names_subject = bool(entity_values(claim_slots) & entity_values(sentence_slots))
    n_shared = len(shared_terms(claim_norm, sentence_norm))
    modality = modality_gap(claim_slots, sentence_slots)
    antonyms = [
        f"antonym: {word} ↔ {other}"
        for word, other in opposed_terms(claim_norm.split(), sentence_norm.split())
    ]
    if antonyms and opposite_acts and (dated_apart or opposite_dated_apart):
        # the opposite act at another time ("opened in 1962" against "shut next year")
        other_event += [f"{a} (at another time)" for a in antonyms]
        antonyms = []
    if antonyms and figures_of_other_holders(claim_slots, sentence_slots):
        # "Revenue from services rose 8%" against "iPhone sales fell 8% and iPad revenue
        # climbed 30%": the sentence's changes are other holders'; its "fell" is theirs.
        other_event += [f"{a} (of another holder)" for a in antonyms]
        antonyms = []
    findings = Findings(
        shared_terms=n_shared,
        claim_terms=len(set(claim_norm.split())),
        names_subject=names_subject,
        anchored=anchored,
        quantities_agree=len(q_agree),
        quantities_conflict=len(q_conflict),
        quantities_silent=len(q_silent),
        dates_agree=len(d_agree),
        dates_conflict=len(d_conflict),
        dates_silent=len(d_silent),
        other_event=len(other_event),
        entity_clash=len(entity_conflicts),
        entity_gap=len(entity_gap),
        unnamed=len(unnamed),
        polarity_conflict=any(c.startswith("polarity:") for c in conflicts),
        polarity_gap=bool(polarity_gap),
        modality_gap=len(modality),
        antonyms=len(antonyms),
        off_subject=bool(off_subject),
    )
    if off_subject and sim >= ON_TOPIC:
        return Stance(NEUTRAL, sim, cov, (*off_subject, score), findings=findings)
    if n_shared == 0 and not names_subject:
        return Stance(NEUTRAL, sim, cov, (f"off topic ({score})",), findings=findings)
    # What the sentence leaves unconfirmed of the claim's facts.
    facts_open = q_silent + d_silent + other_event + entity_gap + unnamed
    facts_open += modality
    figure_conflicts = [c for c in conflicts if not c.startswith("polarity:")]
    if figure_conflicts and holder_bound_conflict(claim_slots, sentence_slots):
        # The same holder's figure of the same measure, another value ("the Greens took nine
        # seats" against a long tally ending "and the Green Party 4"): certain, however few
        # of the claim's words the sentence shares.
        return Stance(REFUTES, sim, cov, (*figure_conflicts, score), findings=findings)
    if sim < ON_TOPIC or n_shared < n_needed:
        # Loosely on topic (few words in common, or only the claim's subject named): the
        # model may still read a paraphrase in other words, but a figure or date that
        # differs here may be another event's, so it only stays open.
        loose = (f"off topic ({score})", *conflicts)
        return Stance(
            NEUTRAL,
            sim,
            cov,
            loose,
            settled=False,
            facts_open=bool(facts_open or conflicts),
            loose_topic=True,
            findings=findings,
        )
    if conflicts:
        return Stance(REFUTES, sim, cov, (*conflicts, score), findings=findings)
    contested = tuple(antonyms)
    silences = facts_open + polarity_gap
    if contested or entity_conflicts:
        found, reasons = NEUTRAL, (*silences, score)
    elif sim >= SUPPORT_SIMILARITY and cov >= SUPPORT_COVERAGE and not silences:
        found, reasons = SUPPORTS, (*(q_agree + d_agree), score)
    elif silences:
        found, reasons = NEUTRAL, (*silences, score)
    else:
        found, reasons = NEUTRAL, (f"on topic but not close enough ({score})",)
    return Stance(
        found,
        sim,
        cov,
        reasons,
        settled=False,
        facts_open=bool(facts_open),
        facts_agree=bool(q_agree or d_agree),
        polarity_differs=bool(polarity_gap),
        contested=contested,
        entity_clash=tuple(entity_conflicts),
        findings=findings,
    )
