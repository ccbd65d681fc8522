"""Comparing what the slots read in a claim and in a source sentence: figures (with
their hedges, ranges and measures), dates (anchored to the claim's event or the document's
opening) and names (acronyms, demonyms, one body under several names). Each comparison
returns what agrees, what conflicts and what the sentence is silent on; judge
(claimwatch.stance.judge) weighs them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from claimwatch.extract.slots.base import SOURCE, Slot
from claimwatch.extract.slots.holders import acronyms_of, holders_differ, words_of
from claimwatch.extract.slots.numbers import ABOVE_HEDGES, AROUND_HEDGES, BELOW_HEDGES, UNDER_HEDGES

CHECKED_KINDS = ("number", "money", "percent")


def compare_quantities(
    claim: Sequence[Slot], sentence: Sequence[Slot]
) -> tuple[list[str], list[str], list[str]]:
    """Return (agreements, conflicts, silences) for numbers, money and percentages of the
    same unit and holder: another holder's figure ("the Conservatives 121" for a claim
    about Labour's seats) neither confirms nor contradicts, and a count of who is quoted
    never counts the claim's thing."""
    agree, conflict, silent = [], [], []
    # A bare number ("voted 9-1") says nothing of what it counts; the sentence must give it.
    for slot in (s for s in claim if s.kind in CHECKED_KINDS and not measures_known(s)):
        if any(s.kind == slot.kind and within(s, slot) for s in same_holder(slot, sentence)):
            agree.append(f"{slot.kind} {slot.value} = {slot.value}")
        else:
            silent.append(f"source silent on {slot.kind} {slot.value}")
    for slot in (s for s in claim if s.kind in CHECKED_KINDS and measures_known(s)):
        held = same_holder(slot, sentence)
        same_unit = [s for s in held if s.kind == slot.kind and s.measure == slot.measure]
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
            for s in held
            if s.kind == slot.kind
            and (not measures_known(s) or prices_of(s.measure, slot) or names_its_holder(s))
        ]
        if matching := [s for s in same_unit + unsaid if within(s, slot) and fits_scope(slot, s)]:
            agree.append(f"{label} = {matching[0].value} ({measure_label(slot)})")
        elif clashing := [s for s in rivals if apart(s, slot)]:
            conflict.append(f"{label} ≠ {clashing[0].value} ({measure_label(slot)})")
        else:
            silent.append(f"source silent on {label} ({measure_label(slot)})")
    return agree, conflict, silent


def holder_bound_conflict(claim: Sequence[Slot], sentence: Sequence[Slot]) -> bool:
    """True when a figure of the claim conflicts with one the sentence gives of the same
    named holder ("the Greens took nine seats" against "the Green Party 4"): the sentence
    names the claim's subject through the figure's holder, whatever its other names."""
    for slot in (s for s in claim if s.kind in CHECKED_KINDS and s.holder and measures_known(s)):
        for other in same_holder(slot, sentence):
            if (
                other.holder
                and other.kind == slot.kind
                and other.measure == slot.measure
                and (other.scope, other.period) == (slot.scope, slot.period)
                and apart(other, slot)
            ):
                return True
    return False


def same_holder(claim_slot: Slot, sentence: Sequence[Slot]) -> list[Slot]:
    """Return the sentence's slots that may describe the claim figure's holder: not a
    count of sources, and no holder known to be another (extract.slots.holders)."""
    return [
        s for s in sentence if s.role != SOURCE and not holders_differ(claim_slot.holder, s.holder)
    ]


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
        return sentence_slot.value == claim_slot.value or rounds_to(sentence_slot, claim_slot)
    return claim_years[0] <= sentence_years[0] and sentence_years[1] <= claim_years[1]


WRITTEN_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def written_step(slot: Slot) -> float | None:
    """Return the place of the last digit the figure was written with, in its value's
    terms ("$65.8 billion": 100 million; "1,201 points": 1), or None for a figure of one
    significant digit ("2 million", "$30 billion"), which is no rounding of anything. A
    figure said to be approximate rounds at its last non-zero digit: "about 60%" is any
    figure from 55 to 65."""
    found = WRITTEN_NUMBER.search(slot.text)
    if not found or not re.fullmatch(r"\d+(?:\.\d+)?", slot.value):
        return None
    written = found.group().replace(",", "")
    if float(written) == 0:
        return None
    whole, _, decimals = written.partition(".")
    approximate = hedged(slot.text.lower(), AROUND_HEDGES + BELOW_HEDGES)
    if decimals:
        place = 10.0 ** -len(decimals)
    elif approximate:
        place = 10.0 ** (len(whole) - len(whole.rstrip("0")))
    else:
        place = 1.0  # "rose 1,200 points" is a count, not "about 1,200"
    significant = written.replace(".", "").strip("0") if not decimals else whole + decimals
    if len(significant.lstrip("0")) < 2 and not approximate:
        return None
    return place * float(slot.value) / float(written)


def rounds_to(sentence_slot: Slot, claim_slot: Slot) -> bool:
    """True when the claim's figure is the sentence's rounded to the digits the claim was
    written with: "rose 1,201 points" for "1,201.43 points", "$65.8 billion" for "$65.78
    billion", "about 60%" for "59.8%". A figure of one significant digit rounds nothing
    ("2 million" is not "2.4 million"), and a rounder or approximate sentence cannot
    confirm a more precise claim ("about 160 meters" does not say "161 meters")."""
    step = written_step(claim_slot)
    if step is None or not re.fullmatch(r"\d+(?:\.\d+)?", sentence_slot.value):
        return False
    if hedged(sentence_slot.text.lower(), AROUND_HEDGES + BELOW_HEDGES) and is_whole(sentence_slot):
        # "some 420 ships" is itself a rounding: it confirms no other one. A hedge on a
        # figure written to its decimals ("roughly 3.82%") hedges only its last digit.
        return False
    return abs(float(sentence_slot.value) - float(claim_slot.value)) <= step / 2 * (1 + 1e-9)


def is_whole(slot: Slot) -> bool:
    return "." not in slot.value


def one_rounds_other(sentence_slot: Slot, claim_slot: Slot) -> bool:
    """True when either figure may be the other rounded ("$117.2 billion" and "$117.15
    billion"): then they cannot be told apart, though only rounds_to confirms."""
    return rounds_to(sentence_slot, claim_slot) or rounds_to(claim_slot, sentence_slot)


def apart(sentence_slot: Slot, claim_slot: Slot) -> bool:
    """True when two figures cannot both be right: what their hedges leave open does not
    meet ("at least 100 ships" is not apart from "about 400 ships", nor "39 years" from
    "about four decades")."""
    claim_bounds, sentence_bounds = figure_bounds(claim_slot), figure_bounds(sentence_slot)
    if claim_bounds is None or sentence_bounds is None:
        return sentence_slot.value != claim_slot.value
    if one_rounds_other(sentence_slot, claim_slot):
        return False
    return sentence_bounds[1] < claim_bounds[0] or claim_bounds[1] < sentence_bounds[0]


def prices_of(goods: str, claim_slot: Slot) -> bool:
    """True when a claim's figure is the price of the goods a sentence figure names:
    "car" for "used car prices" (kind "car used", measure "inflation", see slots)."""
    return claim_slot.measure == "inflation" and goods in claim_slot.scope.split()


def measures_known(slot: Slot) -> bool:
    """True when a figure says what it measures: "10 agencies", "inflation reached 5.1%",
    not a bare "voted 9-1" or "a 0.3% gain" (of what, the phrase does not say)."""
    return bool(slot.unit) and slot.unit != "percent"


def names_its_holder(slot: Slot) -> bool:
    """True when what a figure is read to measure is a word of its holder's name: "Reform
    UK won 14.3%" gives the party, not what its 14.3% is of (the vote, the seats). Such a
    sentence figure may confirm the same holder's equal figure, never contradict one."""
    names = words_of(slot.holder) | acronyms_of(slot.holder)
    # a proper name is kept in a holder without its plural s (holders.holder_terms)
    return bool(slot.unit) and (slot.unit in names or slot.unit.removesuffix("s") in names)


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
