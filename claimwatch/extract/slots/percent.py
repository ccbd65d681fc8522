"""Percentage slots: what a percentage measures, its kind and the span a change is over."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Token

from claimwatch.extract.slots.base import (
    FORECAST,
    FROM,
    Slot,
    clause_anchor,
    first_pobj,
    governing_verb,
    preposition_object,
)
from claimwatch.extract.slots.dates import MONTH_NAMES, is_future
from claimwatch.extract.slots.entities import entity_of

PER_CENT = re.compile(r"%|per ?cent", re.IGNORECASE)


# "The increase", "this rise": a change named again, whose figure the sentence before gave.
ANAPHORIC_DETERMINERS = {"the", "this", "that"}


def carried_figures(tokens: Sequence[Token], previous: Sequence[Slot]) -> tuple[Slot, ...]:
    """Return the figures of the sentence before that a sentence speaks of again when its
    subject is that change named once more without a figure ("Benefits will increase 5.9
    percent. The increase is the biggest since 1982." carries 5.9 to the second sentence),
    anchored to the second sentence's clause so its dates and lengths of time go with them."""
    if any(t.ent_type_ == "PERCENT" for t in tokens):
        return ()
    subjects = [
        t
        for t in tokens
        if t.dep_ in {"nsubj", "nsubjpass"}
        and t.lemma_.lower() in CHANGE_NOUNS
        and any(c.dep_ == "det" and c.lower_ in ANAPHORIC_DETERMINERS for c in t.children)
    ]
    if not subjects:
        return ()
    anchor = clause_anchor(subjects[0])
    return tuple(replace(s, anchor=anchor) for s in previous if s.kind == "percent")


# What a percentage measures, in the words news uses for it.
# Company results say sales, revenue or the business for one figure ("Mac sales fell 29%",
# "Mac revenue slumped 29%", "the services business grew 6%").
MEASURE_SYNONYMS = {
    "price": "inflation",
    "cpi": "inflation",
    "sale": "revenue",
    "business": "revenue",
}


LEVEL_PREPOSITIONS = {"to": "", "at": "", "from": FROM}


# "a record low of 0.1%": the noun names a level of the thing, which is further up.
LEVEL_NOUNS = {"low", "high", "level", "record", "peak"}


# "a 5.4% rise": the noun names a change whose subject the phrase does not give.
CHANGE_NOUNS = {"rise", "increase", "fall", "drop", "decline", "gain", "jump", "cut"}


def measured_by(percent: Token) -> tuple[str, str, str]:
    """Return what a percentage measures, which kind of it (see measure_scope), and its
    role: whether it is a forecast, or the level a change started from. "raised its rate
    to 0.25% from 0.1%" gives "rate" for 0.25 and "rate" in the role "from" for 0.1;
    "inflation reached 5.1%" gives "inflation". Percentages of different things never
    conflict ("the rate rose to 0.25%" against "inflation will reach 6%"), and neither do
    a forecast and an outcome ("inflation reached 5.1%" against "is likely to reach 6%")."""
    role = FORECAST if is_future(percent) else ""
    node = percent
    while node.head.i != node.i:
        head = node.head
        if head.pos_ == "ADP" and head.lower_ in LEVEL_PREPOSITIONS and not role:
            role = LEVEL_PREPOSITIONS[head.lower_]
        if head.pos_ in {"VERB", "AUX"}:
            thing = measured_argument(head, node)
            if thing is not None:
                changed = changed_thing(thing)
                if changed is None:
                    return "percent", "", role
                return measure_term(changed), measure_scope(changed), role
        elif head.pos_ == "NOUN" and head.lemma_.lower() in CHANGE_NOUNS:
            break
        elif head.pos_ == "PROPN" and node.dep_ in {"appos", "npadvmod", "nummod"}:
            # "gained 5.5% and the Nasdaq Composite 3.7%": the index listed is what moved.
            return measure_term(head), measure_scope(head), role
        elif node.dep_ in {"conj", "appos"} and is_counted(head):
            pass  # "added 1,201 points, or 3.7%": the same change told twice, not of points
        elif head.pos_ == "NOUN" and head.lemma_.lower() not in LEVEL_NOUNS:
            return measure_term(head), measure_scope(head), role
        node = head
    return "percent", "", role


def is_counted(noun: Token) -> bool:
    """True for a noun a number counts ("1,201 points"): a figure, not what is measured."""
    return noun.pos_ == "NOUN" and any(c.dep_ == "nummod" and c.like_num for c in noun.children)


def changed_thing(noun: Token) -> Token | None:
    """Return the thing a change noun changes ("tax" of "a sales tax increase to 8.5%" or
    of "an increase in the sales tax"), the noun itself when it names no change, or None
    for a change of nothing named ("approved an increase to 8.5%")."""
    if noun.lemma_.lower() not in CHANGE_NOUNS:
        return noun
    compounds = [c for c in noun.children if c.dep_ == "compound" and c.pos_ in {"NOUN", "PROPN"}]
    if compounds:
        return compounds[-1]
    for preposition in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in {"in", "of"}):
        thing = first_pobj(preposition)
        if thing is not None and not thing.like_num and thing.ent_type_ != "PERCENT":
            return thing  # "an increase of 8.5%" names the size, not the thing
    return None


def measure_term(noun: Token) -> str:
    lemma = noun.lemma_.lower()
    return MEASURE_SYNONYMS.get(lemma, lemma)


# Modifiers that name no kind of a price: "consumer prices" are the prices, as is "the CPI".
GENERIC_MEASURE_MODIFIERS = {"consumer", "headline", "overall"}


def measure_scope(noun: Token) -> str:
    """Return the kind of the measured thing its modifiers name ("food" for "food prices",
    "core" for "core CPI"), sorted and space-joined; "" for the thing in general. Names
    ("US consumer prices") say whose, not which kind, so they are left out."""
    kinds = {
        child.lemma_.lower()
        for child in noun.children
        if child.dep_ in {"compound", "amod"}
        and child.pos_ in {"NOUN", "ADJ"}
        and not child.ent_type_
        and child.lemma_.lower() not in GENERIC_MEASURE_MODIFIERS
    }
    # "revenue from services" is services revenue
    source = preposition_object(noun, "from")
    if source is not None and source.pos_ == "NOUN" and not source.ent_type_:
        kinds.add(source.lemma_.lower())
    return " ".join(sorted(kinds))


# The span a change is measured over, in the words data stories use for it.
YEAR_SPAN = re.compile(
    r"\b(?:year|years|annual|annually|annualised|annualized|12 months|twelve months)\b"
)


MONTH_SPAN = re.compile(r"\b(?:month|monthly)\b|\bfrom (?:" + "|".join(MONTH_NAMES) + r")\b")


def change_period(percent: Token, token_ids: set[int]) -> str:
    """Return "year" or "month" when the clause of a percentage says which span the change
    is over ("from a year earlier", "month over month", "from August"), else "". The
    clause is the verb the figure depends on, with the verb it is coordinated with
    ("Month over month, the index gained 0.4% and core prices rose 0.2%"). Only the
    tokens in token_ids count: a claim cut from "rose 4% on the year and 0.2% from August"
    keeps the span of its own figure."""
    verb = governing_verb(percent)
    # A clause below the verb that gives a figure of its own ("taking the annual increase
    # to 4%") speaks of that figure's span, not this one's.
    own_clauses = [
        c
        for c in verb.children
        if not any(t.ent_type_ == "PERCENT" and t.i != percent.i for t in c.subtree)
        or percent in c.subtree
    ]
    words = [verb] + [t for c in own_clauses for t in c.subtree if t.ent_type_ != "PERCENT"]
    if verb.dep_ == "conj":
        words += [t for c in verb.head.children if c.dep_ != "conj" for t in c.subtree]
    words = [t for t in words if t.i in token_ids and not counts_years(t)]
    text = " ".join(t.lower_ for t in sorted(set(words), key=lambda t: t.i))
    year, month = bool(YEAR_SPAN.search(text)), bool(MONTH_SPAN.search(text))
    return "year" if year and not month else "month" if month and not year else ""


def counts_years(token: Token) -> bool:
    """True for a word of a count of years ("the strongest rally in more than two years"):
    how long since, not the span a change is over ("from a year earlier")."""
    if token.ent_type_ != "DATE":
        return False
    ent = entity_of(token)  # walks the IOB tags; doc.ents rebuilds every span per call
    if ent is None or ent[-1].lemma_.lower() != "year":
        return False
    return any(t.like_num for t in ent)


def measured_argument(verb: Token, via: Token) -> Token | None:
    """Return the noun a verb's percentage is about: its object ("raised the rate to 2%"),
    else its subject ("inflation reached 5%"), else the object of the verb it depends on
    ("expects inflation to peak at 6%"). An object comes before its figure: a noun after
    it ("rise 5.9%, the largest adjustment in decades") describes the figure."""
    for deps in ({"dobj"}, {"nsubj", "nsubjpass"}):
        for child in verb.children:
            if (
                child.dep_ in deps
                and child.i != via.i
                and child.pos_ in {"NOUN", "PROPN"}
                and (child.dep_ != "dobj" or child.i < via.i)
                and not is_counted(child)
            ):
                return child
    if verb.dep_ == "xcomp":
        return measured_argument(verb.head, verb)
    return None
