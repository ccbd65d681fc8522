"""Stance of one source sentence toward one claim: fuzzy similarity plus fact-slot agreement."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from claimwatch.extract.slots.base import Slot
from claimwatch.extract.slots.numbers import ABOVE_HEDGES, AROUND_HEDGES, BELOW_HEDGES, UNDER_HEDGES
from claimwatch.extract.slots.polarity import UNREALISED
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
CHECKED_KINDS = ("number", "money", "percent")
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


def compare_quantities(
    claim: Sequence[Slot], sentence: Sequence[Slot]
) -> tuple[list[str], list[str], list[str]]:
    """Return (agreements, conflicts, silences) for numbers, money and percentages of the same unit."""
    agree, conflict, silent = [], [], []
    # A bare number ("voted 9-1") says nothing of what it counts; the sentence must give it.
    for slot in (s for s in claim if s.kind in CHECKED_KINDS and not measures_known(s)):
        if any(s.kind == slot.kind and s.value == slot.value for s in sentence):
            agree.append(f"{slot.kind} {slot.value} = {slot.value}")
        else:
            silent.append(f"source silent on {slot.kind} {slot.value}")
    for slot in (s for s in claim if s.kind in CHECKED_KINDS and measures_known(s)):
        same_unit = [s for s in sentence if s.kind == slot.kind and s.measure == slot.measure]
        # Only a figure of the same kind over the same span can contradict: "core prices
        # rose 0.2% on the month" says nothing against "core prices rose 4% on the year".
        rivals = [s for s in same_unit if (s.scope, s.period) == (slot.scope, slot.period)]
        label = f"{slot.kind} {slot.value}"
        # A sentence figure that does not say what it measures ("a 0.3% gain"), or gives
        # only the goods whose price the claim measures ("the one for used cars, which fell
        # 0.7 percent" for "used car prices fell 0.7%"), may confirm the claim's equal
        # figure, never contradict it.
        unsaid = [
            s
            for s in sentence
            if s.kind == slot.kind and (not measures_known(s) or prices_of(s.measure, slot))
        ]
        if matching := [s for s in same_unit + unsaid if within(s, slot) and fits_scope(slot, s)]:
            agree.append(f"{label} = {matching[0].value} ({measure_label(slot)})")
        elif clashing := [s for s in rivals if apart(s, slot)]:
            conflict.append(f"{label} ≠ {clashing[0].value} ({measure_label(slot)})")
        else:
            silent.append(f"source silent on {label} ({measure_label(slot)})")
    return agree, conflict, silent


# How a hedge widens a figure. A length of time widens by one step of its own unit:
# "nearly four decades" is 30 to 40 years, "more than three years" 3 to 4. Any other
# figure is a bound ("at least 321 ships") or an approximation ("roughly 400 ships"):
# enough to tell that two figures can both be right, never to match one for another.
# The hedges are listed in slots, which keeps them in a count's text. APPROXIMATION is
# how far "about 400" may be from 400, as a share of it.
APPROXIMATION = 0.1


def hedged(text: str, hedges: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{h}\b", text) for h in hedges)


def hedge_range(
    value: float, text: str, below: float, around: float, above: float, under: float | None
) -> tuple[float, float]:
    """Return the range the hedge in text leaves open around value: "nearly" reaches below
    by `below`, "about" both ways by `around`, "more than" above by `above`, "up to" below
    by `under` (None: that hedge keeps the value); no hedge, the value alone."""
    if hedged(text, BELOW_HEDGES):
        return value - below, value
    if hedged(text, AROUND_HEDGES):
        return value - around, value + around
    if hedged(text, ABOVE_HEDGES):
        return value, value + above
    if under is not None and hedged(text, UNDER_HEDGES):
        return value - under, value
    return value, value


def years_range(slot: Slot) -> tuple[float, float] | None:
    """Return the fewest and most years a length of time allows ("nearly four decades": 30
    to 40), or None for any other figure, which must match exactly: "about 161 meters" is
    no match for 160."""
    if slot.kind != "number" or slot.measure != "year":
        return None
    value, text = float(slot.value), slot.text.lower()
    step = 100.0 if "centur" in text else 10.0 if "decade" in text else 1.0
    return hedge_range(value, text, step, step / 2, step, None)


def figure_bounds(slot: Slot) -> tuple[float, float] | None:
    """Return the lowest and highest value a figure's hedge leaves open ("at least 321":
    321 and up; "roughly 400": 360 to 440), or None for a figure that is no single value
    (a tally such as "8-1")."""
    if (years := years_range(slot)) is not None:
        return years
    if not re.fullmatch(r"\d+(?:\.\d+)?", slot.value):
        return None
    value = float(slot.value)
    margin = value * APPROXIMATION
    return hedge_range(value, slot.text.lower(), margin, margin, float("inf"), value)


def within(sentence_slot: Slot, claim_slot: Slot) -> bool:
    """True when the sentence's figure is the claim's, or for lengths of time lies inside
    what the claim's allows: "39 years" or "since 1982" (in 2021) for "nearly four decades"."""
    claim_years, sentence_years = years_range(claim_slot), years_range(sentence_slot)
    if claim_years is None or sentence_years is None:
        return sentence_slot.value == claim_slot.value
    return claim_years[0] <= sentence_years[0] and sentence_years[1] <= claim_years[1]


def apart(sentence_slot: Slot, claim_slot: Slot) -> bool:
    """True when two figures cannot both be right: what their hedges leave open does not
    meet ("at least 100 ships" is not apart from "about 400 ships", nor "39 years" from
    "about four decades")."""
    claim_bounds, sentence_bounds = figure_bounds(claim_slot), figure_bounds(sentence_slot)
    if claim_bounds is None or sentence_bounds is None:
        return sentence_slot.value != claim_slot.value
    return sentence_bounds[1] < claim_bounds[0] or claim_bounds[1] < sentence_bounds[0]


def prices_of(goods: str, claim_slot: Slot) -> bool:
    """True when a claim's figure is the price of the goods a sentence figure names:
    "car" for "used car prices" (kind "car used", measure "inflation", see slots)."""
    return claim_slot.measure == "inflation" and goods in claim_slot.scope.split()


def measures_known(slot: Slot) -> bool:
    """True when a figure says what it measures: "10 agencies", "inflation reached 5.1%",
    not a bare "voted 9-1" or "a 0.3% gain" (of what, the phrase does not say)."""
    return bool(slot.unit) and slot.unit != "percent"


def fits_scope(claim_slot: Slot, sentence_slot: Slot) -> bool:
    """True when two figures may be of the same thing: one names the other's kind of it
    and perhaps more ("main rate" and "main interest rate"), or the thing in general
    ("prices rose 5.4%" for "food prices rose 5.4%")."""
    claim_kinds, sentence_kinds = set(claim_slot.scope.split()), set(sentence_slot.scope.split())
    return claim_kinds <= sentence_kinds or sentence_kinds <= claim_kinds


def measure_label(slot: Slot) -> str:
    """Return what a figure measures, for reasons: "core inflation, over a year"."""
    label = f"{slot.scope} {slot.measure}" if slot.scope else slot.measure
    return f"{label}, over a {slot.period}" if slot.period else label


def figure_clauses(claim: Sequence[Slot], sentence: Sequence[Slot]) -> set[str] | None:
    """Return the clauses (anchors) in which the sentence gives the claim's figures, or None
    when the claim gives no figure the sentence has (every clause may date the claim)."""
    figures = {(s.kind, s.value) for s in claim if s.kind in CHECKED_KINDS}
    anchors = {s.anchor for s in sentence if (s.kind, s.value) in figures}
    return anchors if anchors and "" not in anchors else None


def lede_dates(document_dates: Sequence[str]) -> tuple[str, ...]:
    """Return the first date of each precision (year, month, week, day) a document gives,
    from its dates in reading order: the period its story opens on."""
    first: dict[int, str] = {}
    for value in document_dates:
        first.setdefault(len(value), value)
    return tuple(sorted(first.values()))


DATED_ELSEWHERE = "source dates another event"
# A sentence dated inside the claim's period, more finely ("2005-07-08" for "in 2005").
DATED_INSIDE = "source dates within"


def compare_dates(
    claim: Sequence[Slot],
    sentence: Sequence[Slot],
    anchored: bool = True,
    lede: Sequence[str] = (),
) -> tuple[list[str], list[str], list[str]]:
    """Return (agreements, conflicts, silences) for dates of the same precision (day, month,
    year); a finer date inside the claim's leaves it open (DATED_INSIDE), never conflicts.

    A date only conflicts when the sentence is anchored to the claim's event (see judge):
    unlike a count, a date carries no head noun saying what it dates. When the sentence
    gives the claim's figure, only the dates of that figure's clause count: "rose 0.4% in
    September after rising 0.3% in August" dates 0.4% to September, not to August.
    A sentence that gives no date of the claim's precision is dated by its document's
    opening (lede, see lede_dates), which may confirm the claim's date but never
    contradicts it: the sentence may tell of another time."""
    agree, conflict, silent = [], [], []
    clauses = figure_clauses(claim, sentence)
    sentence_dates = [
        s.value
        for s in sentence
        if s.kind == "date" and (clauses is None or not s.anchor or s.anchor in clauses)
    ]
    for slot in (s for s in claim if s.kind == "date"):
        same_precision = [d for d in sentence_dates if len(d) == len(slot.value)]
        inside = [d for d in sentence_dates if d.startswith(f"{slot.value}-")]
        if slot.value in same_precision:
            agree.append(f"date {slot.value} = {slot.value}")
        elif inside:
            # A finer date inside the claim's ("2005-07-08" for "in 2005") is no other
            # time, so the sentence may tell of the claim's event; but it may date another
            # event of that year ("died on 17 April 1790" for "born in 1790"), so it leaves
            # the claim's date open.
            silent.append(f"{DATED_INSIDE} {slot.value} ({inside[0]})")
        elif same_precision and anchored:
            conflict.append(f"date {slot.value} ≠ {same_precision[0]}")
        elif same_precision:
            silent.append(f"{DATED_ELSEWHERE} ({same_precision[0]}), not {slot.value}")
        elif slot.value in lede:
            agree.append(f"date {slot.value} = {slot.value} (the source's opening)")
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
    claim_names = entity_values(claim)
    # Another actor in the sentence may be the one from the other place: "the American set
    # the world record" beside "Thompson-Herah's Olympic record".
    places_may_be_theirs = bool(other_actors(named, claim_names))
    for slot in claim:
        kind = ENTITY_CLASSES.get(slot.unit)
        if slot.kind != "entity" or kind is None or slot.value in every:
            continue
        if any(is_acronym_pair(o, slot.value) or is_demonym_pair(o, slot.value) for o in every):
            continue  # "DART" spelled out, "Jamaican" for Jamaica
        if kind == "place" and places_may_be_theirs:
            continue
        # Names that share a word may be one body and its part ("Labor Department" and
        # "Bureau of Labor Statistics"), and a name the claim itself uses is no stand-in:
        # only an unrelated name replaces the claim's.
        others = {
            o for o in named.get(kind, set()) - claim_names if not may_be_one_body(o, slot.value)
        }
        if others:
            conflicts.append(f"entity {slot.value} ≠ {min(others)}")
    return conflicts


def other_actors(named: dict[str, set[str]], claim_names: set[str]) -> set[str]:
    """Return the people and organisations a sentence names that the claim does not, in
    no words of its names (the tagger takes "Griffith-Joyner" for an organisation)."""
    claim_words = set().union(*(name_words(n) for n in claim_names)) if claim_names else set()
    actors = named.get("person", set()) | named.get("org", set())
    return {a for a in actors - claim_names if not name_words(a) & claim_words}


def is_acronym_pair(first: str, second: str) -> bool:
    """True when one name is the initials of the other ("DART", "Double Asteroid Redirection
    Test"; "BoE", "Bank of England")."""
    short, long = sorted((first, second), key=len)
    words = re.findall(r"[A-Za-z]+", re.sub(r"'s\b", "", long))
    initials = {
        "".join(w[0] for w in words),
        "".join(w[0] for w in words if w.lower() not in STOP_WORDS),
    }
    return len(short) >= 2 and " " not in short and short.upper() in {i.upper() for i in initials}


def is_demonym_pair(first: str, second: str) -> bool:
    """True when one name is the people of the other, formed from it: "Jamaican" and
    "Jamaica", "Chinese" and "China", "German" and "Germany", "Egyptian" and "Egypt".
    Names not formed this way ("British", "Dutch") are listed in seeds/aliases.csv."""
    return any(
        len(place) >= 4
        and " " not in people
        and 0 < len(people) - len(place) <= 4
        and (people.startswith(place) or (people.startswith(place[:-1]) and place[-1] in "aeiouy"))
        for people, place in ((first.lower(), second.lower()), (second.lower(), first.lower()))
    )


def entity_values(slots: Sequence[Slot]) -> set[str]:
    return {s.value for s in slots if s.kind == "entity"}


def name_words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", name.lower()) if w not in STOP_WORDS}


# Words that say what kind of body a name is, not which one: "Bank of Japan" and "Bank of
# England" share "bank" and are two banks.
INSTITUTION_WORDS = frozenset(
    {
        "bank",
        "central",
        "national",
        "federal",
        "reserve",
        "state",
        "department",
        "ministry",
        "bureau",
        "agency",
        "office",
        "court",
        "council",
        "university",
        "college",
        "commission",
        "committee",
        "authority",
        "association",
        "union",
        "company",
        "corporation",
        "group",
        "party",
        "government",
        "institute",
        "foundation",
        "board",
        "service",
        "international",
        "united",
        "royal",
        "new",
    }
)


def may_be_one_body(name: str, other: str) -> bool:
    """True when two names may be one body or its part: they share a word that tells which
    body it is ("Labor Department", "Bureau of Labor Statistics"), or one has no such word
    ("the Bank" for "Bank of England"), so nothing tells them apart."""
    own, others = name_words(name) - INSTITUTION_WORDS, name_words(other) - INSTITUTION_WORDS
    return not own or not others or bool(own & others)


def names_in_words(claim: Sequence[Slot], sentence_norm: str) -> tuple[Slot, ...]:
    """Return the claim's entities that the sentence names in so many words though its
    tagger did not see the name ("franchises include Warcraft, Diablo, Overwatch, Call of
    Duty and Candy Crush" was tagged as one name): every word of the name that carries
    meaning is among the sentence's terms."""
    terms = set(sentence_norm.split())
    found = []
    for slot in claim:
        words = set(re.findall(r"[a-z0-9]+", slot.value.lower())) - STOP_WORDS
        if slot.kind == "entity" and words and words <= terms:
            found.append(slot)
    return tuple(found)


def unnamed_entities(
    claim: Sequence[Slot], sentence: Sequence[Slot], document_entities: frozenset[str] | None
) -> list[str]:
    """Return silences for claim entities that neither the sentence nor its document names,
    in full, by their initials ("BOJ"), their people ("Japanese") or a short name."""
    if document_entities is None:
        return []
    named = entity_values(sentence) | document_entities
    return [
        f"source never names {s.value}"
        for s in claim
        if s.kind == "entity"
        and s.unit in ENTITY_CLASSES
        and s.value not in named
        and not any(is_demonym_pair(n, s.value) or is_acronym_pair(n, s.value) for n in named)
        and not (s.unit in ACTOR_LABELS and any(is_short_name(n, s.value) for n in named))
    ]


# The tagger takes many hyphenated people's names for organisations.
ACTOR_LABELS = {"PERSON", "ORG"}


def is_short_name(short: str, full: str) -> bool:
    """True when a name is the shorter form news uses after the first mention: the family
    name ("Thompson-Herah" for "Elaine Thompson-Herah", "Griffith Joyner" for "Florence
    Griffith-Joyner"). It must hold the full name's last word and no word of its own; a
    body's name with "of" ("Bank of England") has no such short form."""
    short_words, full_words = name_words(short), name_words(full)
    last = re.findall(r"[a-z]+", full.lower())[-1:]
    if not last or " of " in f" {full.lower()} ":
        return False
    return last[0] in short_words and short_words < full_words


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
    if unnamed and conflicts:
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
