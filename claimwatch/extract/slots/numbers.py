"""Number and money slots: counts, amounts, measures, tallies, fractions and race times."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from itertools import pairwise

from spacy.tokens import Span, Token

from claimwatch.extract.slots.base import (
    MARGIN,
    SOURCE,
    SURPASSED,
    Slot,
    clause_anchor,
    normalise_apostrophes,
    preposition_object,
)
from claimwatch.extract.slots.dates import MONTHS
from claimwatch.extract.slots.holders import figure_holder, is_source_count, stated_as
from claimwatch.extract.slots.percent import is_counted

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
    "hundred": 100,
}


SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


# "one" is far more often a pronoun than a count, so it only counts before a noun.
AMBIGUOUS_NUMBER_WORDS = {"one"}


# Different words for the same kind of counted thing, so "10 agencies" and
# "eleven departments" are recognised as counts of the same thing.
UNIT_SYNONYMS = {
    "agency": "agency",
    "department": "agency",
    "authority": "agency",
    "entity": "agency",
    "regulator": "agency",
    "ministry": "agency",
    "body": "agency",
    "organ": "agency",
    "percent": "percent",
    "%": "percent",
    # Tonnes and tons are read as one unit: news mixes them for one thing ("a 200,000-tonne
    # vessel", "the 224,000-ton ship"). The cost: a figure and its exact conversion (a
    # tonne is 1.1 short tons) would be read as differing.
    "tonne": "ton",
    # British and American spellings and the symbols sports pages use ("the 100m").
    "metre": "meter",
    "m": "meter",
    "kilometre": "kilometer",
    "km": "kilometer",
}


# Nouns that measure rather than name what is counted: a figure counts them even when they
# modify another noun ("a 75 basis point increase", "a 10 percent rise").
MEASURE_UNITS = frozenset(
    {
        "point",
        "percent",
        "percentage",
        "year",
        "month",
        "week",
        "day",
        "hour",
        "minute",
        "second",
        "ton",
        "tonne",
        "meter",
        "metre",
        "kilometer",
        "kilometre",
        "mile",
        "foot",
        "dollar",
        "euro",
        "pound",
        "yen",
        "barrel",
        "degree",
    }
)


CURRENCY_WORDS = {
    "$": "USD",
    "us$": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "yuan": "CNY",
    "rmb": "CNY",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "yen": "JPY",
    "franc": "CHF",
    "francs": "CHF",
    "rupee": "INR",
    "rupees": "INR",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
}


MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})


def parse_number(text: str) -> float | None:
    """Return the value of "11", "1,200", "eleven", "twenty-one", "600 million", else None."""
    words = normalise_apostrophes(text).lower().replace(",", "").replace("-", " ").split()
    if not words:
        return None
    total, current, seen = 0.0, 0.0, False
    for word in words:
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            current += float(word)
        elif word in NUMBER_WORDS:
            value = NUMBER_WORDS[word]
            current = current * value if value == 100 and current else current + value
        elif word in SCALE_WORDS:
            current = (current or 1) * SCALE_WORDS[word]
            total, current = total + current, 0.0
        elif word == "and":
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


def format_number(value: float) -> str:
    # 4.1 × 10⁹ is 4099999999.9999995 in floating point: round away the error first.
    value = round(float(value), 6)
    # Every digit kept: "33,715.37" is 33715.37, not the 33715.4 six significant digits give.
    return str(int(value)) if value.is_integer() else f"{value:.6f}".rstrip("0")


def unit_of(token: Token) -> str:
    """Return the normalised thing a number token counts (its head noun), or ""."""
    head = token.head
    if token.dep_ in {"nummod", "quantmod"} and head.pos_ == "PROPN" and head.i < token.i:
        return listed_unit(head)
    if token.dep_ in {"nummod", "quantmod"} or (token.dep_ == "compound" and head.pos_ == "NOUN"):
        # "14 million problem reports" counts reports: the parser may hang the number on the
        # noun modifying them. A unit stays what is counted ("a 75 basis point increase"),
        # and a hyphen makes the pair one modifier ("a 10-year note").
        while (
            UNIT_SYNONYMS.get(head.lemma_.lower(), head.lemma_.lower()) not in MEASURE_UNITS
            and head.dep_ == "compound"
            and head.head.pos_ == "NOUN"
            and head.head.i > head.i
            and not any(t.text == "-" for t in token.doc[token.i : head.i])
        ):
            head = head.head
        lemma = head.lemma_.lower()
        if not head.is_alpha:
            return ""  # "No. 3": a rank, not a count of "."
        if any(child.lemma_.lower() == "government" for child in head.children):
            return "agency"  # "government institutions", "government bodies"
        return UNIT_SYNONYMS.get(lemma, lemma)
    return ""


def listed_unit_noun(name: Token) -> Token | None:
    """Return the noun that says what a number after a name counts when the sentence said
    it once for a list: "seats" for "the Conservatives 121" in "Labour had 411 seats, the
    Conservatives 121"; None when it said none ("the S&P 500", a name with a number in it)."""
    node = name
    while node.dep_ in {"appos", "conj", "npadvmod", "dobj"} and node.head.i != node.i:
        node = node.head
    if node.pos_ in {"VERB", "AUX"}:
        node = next((c for c in node.children if c.dep_ == "dobj"), node)
        if node.like_num:  # "won 411 of the 650 seats"
            node = preposition_object(node, "of") or node
    return node if is_counted(node) else None


def listed_unit(name: Token) -> str:
    """Return the unit listed_unit_noun finds, normalised, or ""."""
    noun = listed_unit_noun(name)
    if noun is None:
        return ""
    lemma = noun.lemma_.lower()
    return UNIT_SYNONYMS.get(lemma, lemma)


def counts_one_more(token: Token) -> bool:
    """True for "X and nine other agencies": the count excludes X, so the total is one more."""
    head = token.head
    has_other = any(child.lower_ in {"other", "more"} for child in head.children)
    return has_other and head.dep_ == "conj"


def quantity_slot(ent) -> Slot | None:
    """Return a number slot for a measured amount ("10.61 seconds", "160 meters"), else None."""
    numeric = [t for t in ent if _is_number_token(t)]
    if numeric and numeric[-1].i - numeric[0].i + 1 != len(numeric):
        return None  # "two to three weeks": a range has no one value
    units = [t for t in ent if t.is_alpha and not _is_number_token(t)]
    value = parse_number(" ".join(t.text for t in numeric)) if numeric else None
    if value is None or not units:
        return None
    lemma = units[-1].lemma_.lower()
    if lemma in YEARS_PER_UNIT:
        # "four decades" is 40 years, so it can be set against "39 years" (see match)
        value, lemma = value * YEARS_PER_UNIT[lemma], "year"
    unit = UNIT_SYNONYMS.get(lemma, lemma)
    role = MARGIN if is_margin(ent) else SURPASSED if is_surpassed(ent) else ""
    scope = lasted_scope(units[-1]) if unit in LENGTHS_OF_TIME else ""
    return Slot("number", format_number(value), unit, ent.text, scope=scope, role=role)


# Units of a length of time, which may say what lasted that long.
LENGTHS_OF_TIME = {"year", "month", "week", "day", "hour"}


def names_a_kind(tokens: Sequence[Token]) -> bool:
    """True for a length of time joined to its unit by a hyphen that modifies another noun:
    "the biggest one-day gain", "the 10-year Treasury note" say which gain or note, and
    count nothing a source could contradict ("for the first time in 17 years")."""
    for number, hyphen in pairwise(tokens):
        if hyphen.text != "-" or not _is_number_token(number) or hyphen.i + 1 >= len(hyphen.doc):
            continue
        unit = hyphen.doc[hyphen.i + 1]
        modifies = unit.dep_ in {"compound", "amod", "nmod"} and unit.head.i > unit.i
        if unit.lemma_.lower() in LENGTHS_OF_TIME and modifies:
            return True
    return False


def lasted_scope(unit: Token) -> str:
    """Return what a length of time is the length of: "negative rate" for "eight years of
    negative rates", "" for a bare "17 years". It is the figure's scope, so it is never
    set against another span ("the first rise in 17 years") as a rival, while a bare
    "eight years" in a source may still confirm it (stance.compare.fits_scope)."""
    thing = preposition_object(unit, "of")
    if thing is None or not thing.is_alpha:
        return ""
    modifiers = [
        c.lemma_.lower() for c in thing.children if c.dep_ in {"amod", "compound"} and c.is_alpha
    ]
    return " ".join([*modifiers, thing.lemma_.lower()])


YEARS_PER_UNIT = {"decade": 10, "century": 100}


# Words a gap between two things hangs from: "0.13 seconds ahead of her rival".
MARGIN_WORDS = {"ahead", "behind", "clear", "short"}


# Verbs of going past a mark: "broke the record of 10.62 seconds" gives the old mark.
SURPASS_VERBS = {"break", "beat", "lower", "surpass", "eclipse", "better", "smash", "top"}


def is_surpassed(ent: Span) -> bool:
    """True for an amount in the object of a verb of going past it ("broke the Olympic
    record of 10.62 seconds"): it is the old mark, so it is set only against old marks,
    never against the new one ("running 10.61 seconds, an Olympic record")."""
    node = ent.root
    while node.head.i != node.i and node.pos_ != "VERB":
        if node.dep_ in {"dobj", "nsubjpass"} and node.head.lemma_.lower() in SURPASS_VERBS:
            return True
        node = node.head
    return False


def is_margin(ent: Span) -> bool:
    """True for an amount that is the gap between two things, not a thing's measure:
    "finished 0.13 seconds ahead", "won by 0.13 seconds", "lowered by 0.01 seconds". Its
    unit is marked so that "10.74 seconds" is never set against it."""
    head = ent.root.head
    if head.lower_ in MARGIN_WORDS:
        return True
    return head.lower_ == "by" and head.dep_ in {"prep", "agent"} and head.head.pos_ == "VERB"


# Hedges before a figure, by what they leave open ("at least 321 ships": 321 and up);
# stance.compare.figure_bounds reads them from a slot's text.
BELOW_HEDGES = ("nearly", "almost")


AROUND_HEDGES = ("about", "around", "roughly", "approximately", "some", "close to")


ABOVE_HEDGES = ("more than", "over", "at least", "above", "upwards of")


UNDER_HEDGES = ("up to", "at most", "fewer than", "less than", "under", "below")


# Two-word hedges first, so "more than" is found whole.
COUNT_HEDGES = tuple(
    sorted(
        BELOW_HEDGES + AROUND_HEDGES + ABOVE_HEDGES + UNDER_HEDGES, key=lambda h: -len(h.split())
    )
)


# Their words, stripped from an amount ("around 6%", "more than $1 billion") before it is
# read; the slot's text keeps them.
HEDGE_WORDS = {word for hedge in COUNT_HEDGES for word in hedge.split()}


def strip_hedges(text: str) -> str:
    return " ".join(w for w in text.split() if w.lower() not in HEDGE_WORDS)


def money_slot(text: str) -> Slot | None:
    """Return a money slot for "$600 million" or "600 million yuan", else None."""
    lowered = normalise_apostrophes(text).lower()
    currency = next((code for word, code in CURRENCY_WORDS.items() if word in lowered), "")
    amount = re.sub(r"[^\d.,a-z\s-]", " ", lowered)
    amount = " ".join(w for w in amount.split() if w not in CURRENCY_WORDS and w != "us")
    amount = strip_hedges(amount)
    value = parse_number(amount)
    if value is None:
        value = leading_amount(amount)
    if value is None:
        return None
    return Slot("money", format_number(value), currency, text)


def leading_amount(words: str) -> float | None:
    """Return the value of the longest run of words that reads as a number, from the
    first: "4 billion swiss" (of "4 billion Swiss francs") is 4 billion."""
    found = None
    run: list[str] = []
    for word in words.split():
        value = parse_number(" ".join([*run, word]))
        if value is None:
            break
        run.append(word)
        found = value
    return found


SECONDS_PER_UNIT = {"hour": 3600, "minute": 60, "second": 1}


CLOCK = re.compile(r"(\d{1,2}):([0-5]\d):([0-5]\d(?:\.\d+)?)")


def clock_seconds(text: str) -> str | None:
    """Return the seconds an h:mm:ss time stands for ("2:01:39" -> "7299"), else None."""
    match = CLOCK.fullmatch(text.strip())
    if match is None:
        return None
    hours, minutes, seconds = match.groups()
    return format_number(int(hours) * 3600 + int(minutes) * 60 + float(seconds))


def duration_slots(tokens: Sequence[Token]) -> list[tuple[Slot, list[Token]]]:
    """Return each race-clock time of the tokens as one number of seconds: "2:01:09" and
    "2 hours, 1 minute and 9 seconds" are both 7269, so they can be compared; the NER splits
    the spelled-out form in pieces and would give "2 hours" alone."""
    found: list[tuple[Slot, list[Token]]] = []
    tokens = [t for t in tokens if not t.is_space]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        clock = clock_seconds(token.text)
        if clock is not None:
            found.append((Slot("number", clock, "second", token.text), [token]))
            index += 1
            continue
        parts: list[Token] = []
        units: list[int] = []
        cursor = index
        while cursor + 1 < len(tokens):
            value = parse_number(tokens[cursor].text)
            unit = SECONDS_PER_UNIT.get(tokens[cursor + 1].lemma_.lower())
            if value is None or unit is None or (units and unit >= units[-1]):
                break
            units.append(unit)
            parts += [tokens[cursor], tokens[cursor + 1]]
            cursor += 2
            while cursor < len(tokens) and tokens[cursor].lower_ in {",", "and"}:
                cursor += 1
        if len(units) >= 2:
            total = sum(
                (parse_number(parts[k].text) or 0.0) * units[k // 2]
                for k in range(0, len(parts), 2)
            )
            text = " ".join(
                t.text for t in tokens[index : parts[-1].i - tokens[index].i + index + 1]
            )
            found.append((Slot("number", format_number(total), "second", text), parts))
            index = cursor
        else:
            index += 1
    return found


def tally_slots(tokens: Sequence[Token], token_ids: set[int]) -> tuple[list[Slot], set[int]]:
    """Return one slot per vote tally or score ("8-1", "eight to one"), and the token ids it
    used: the pair is one fact, and its halves are not counts of anything."""
    slots, used = [], set()
    doc = tokens[0].doc if tokens else None
    for token in tokens:
        if doc is None or token.i + 2 >= len(doc) or token.i in used:
            continue
        joiner, second = doc[token.i + 1], doc[token.i + 2]
        if not {joiner.i, second.i} <= token_ids or joiner.text not in {"-", "–", "to"}:
            continue
        if not (_is_number_token(token) and _is_number_token(second)):
            continue
        if token.ent_type_ in {"DATE", "TIME"} or second.ent_type_ in {"DATE", "TIME"}:
            continue  # "2021-09-23" and "9-5" o'clock are read as dates and times
        first_value, second_value = parse_number(token.text), parse_number(second.text)
        if first_value is None or second_value is None or first_value < second_value:
            continue  # "two to three weeks" is a range, not a tally
        tally = f"{format_number(first_value)}-{format_number(second_value)}"
        slots.append(Slot("number", tally, "tally", f"{token.text} {joiner.text} {second.text}"))
        used |= {token.i, joiner.i, second.i}
    return slots, used


# "a quarter of a percentage point", "half a point": a fraction the NER counts as a number.
FRACTION_WORDS = {"half": 0.5, "quarter": 0.25}


def fraction_slot(token: Token) -> Slot | None:
    """Return the number of "a quarter of a point" or "half a point", else None."""
    value = FRACTION_WORDS.get(token.lower_)
    if value is None or token.ent_type_ != "CARDINAL":
        return None
    counted = token.head if token.dep_ == "predet" else None
    if counted is None:
        counted = preposition_object(token, "of")
    if counted is None:
        return None
    unit = UNIT_SYNONYMS.get(counted.lemma_.lower(), counted.lemma_.lower())
    return Slot("number", format_number(value), unit, token.text, anchor=clause_anchor(token))


def _number_slots(tokens: Sequence[Token], token_ids: set[int], skip: set[int]) -> list[Slot]:
    slots, used = tally_slots(tokens, token_ids)
    slots += [f for t in tokens if t.i not in skip and (f := fraction_slot(t)) is not None]
    for token in tokens:
        if token.i in skip or token.i in used or not _is_number_token(token):
            continue
        # Gather a multi-word number ("600 million", "twenty one") as one value.
        group = [token]
        nxt = token.i + 1
        while nxt < len(token.doc) and nxt in token_ids and _is_number_token(token.doc[nxt]):
            group.append(token.doc[nxt])
            nxt += 1
        used.update(t.i for t in group)
        value = parse_number(" ".join(t.text for t in group))
        if value is None:
            continue
        last = group[-1]
        if last.lower_ in AMBIGUOUS_NUMBER_WORDS and last.dep_ != "nummod":
            continue
        if names_a_kind([last, *last.doc[last.i + 1 : last.i + 2]]):
            continue
        if counts_one_more(last):
            value += 1
        text = " ".join(t.text for t in group)
        if hedge := hedge_before(group[0], token_ids):
            text = f"{hedge} {text}"  # "at least 321": a bound, told apart in match
        unit = unit_of(last)
        scope = lasted_scope(last.head) if unit in LENGTHS_OF_TIME else stated_as(last)
        # "two people familiar with the talks said": who is quoted, not what is counted.
        role = SOURCE if is_source_count(last) else ""
        slots.append(
            Slot(
                "number",
                format_number(value),
                unit,
                text,
                scope,
                anchor=clause_anchor(last),
                role=role,
                holder=figure_holder(last, group),
            )
        )
    return slots


def hedge_before(first: Token, token_ids: set[int]) -> str:
    """Return the hedge just before a count, lower-cased ("at least"), or ""."""
    doc = first.doc
    for hedge in COUNT_HEDGES:
        words = hedge.split()
        start = first.i - len(words)
        inside = start >= 0 and all(i in token_ids for i in range(start, first.i))
        if inside and [t.lower_ for t in doc[start : first.i]] == words:
            return hedge
    return ""


def _is_number_token(token: Token) -> bool:
    lowered = token.lower_.replace(",", "")
    return (
        bool(re.fullmatch(r"\d+(?:\.\d+)?", lowered))
        or lowered in NUMBER_WORDS
        or lowered in SCALE_WORDS
    ) and token.pos_ in {"NUM", "NOUN", "ADJ", "PROPN", "X"} | (
        {"PRON"} if lowered != "one" else set()
    )
