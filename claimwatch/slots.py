"""Fact slots: the numbers, amounts, dates, entities and polarity a sentence asserts."""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from claimwatch.config import PROJECT_ROOT

ALIASES_CSV = PROJECT_ROOT / "seeds" / "aliases.csv"

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
}
NEGATORS = {"not", "n't", "never", "no", "cannot", "neither", "nor", "without"}
PROHIBITING_VERBS = {"ban", "bar", "prohibit", "forbid", "outlaw"}
PROHIBITING_NOUNS = {"ban", "prohibition"}
PROHIBITING_ADJECTIVES = {"illegal", "unlawful", "illicit", "forbidden", "prohibited", "banned"}
ENTITY_LABELS = {"ORG", "GPE", "PERSON", "NORP", "LOC", "FAC"}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTH_NAMES = tuple(name.lower() for name in calendar.month_name if name)


@dataclass(frozen=True)
class Slot:
    """One checkable fact inside a claim or sentence."""

    kind: str  # number | money | percent | date | entity | polarity
    value: str  # normalised: "11", "600000000", "2021-09-24", "People's Bank of China", "negated"
    unit: str = ""  # what a number counts ("agency") or a money currency ("USD")
    text: str = ""  # the words it came from
    # For a percentage: which kind of the measured thing ("core" of "core prices") and the
    # span a change is over ("year", "month"); figures of another kind or span never conflict.
    scope: str = ""
    period: str = ""
    # For a figure or date in a source sentence: the clause it belongs to (its verb's
    # position), so "rose 0.4% in September after 0.3% in August" dates each figure.
    anchor: str = ""


def normalise_apostrophes(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


@lru_cache(maxsize=1)
def alias_table(path: Path = ALIASES_CSV) -> dict[str, str]:
    """Return lower-cased alias -> canonical entity name, read from seeds/aliases.csv."""
    with path.open(encoding="utf-8") as handle:
        return {
            normalise_apostrophes(row["alias"]).lower(): row["canonical"]
            for row in csv.DictReader(handle)
        }


CORPORATE_SUFFIX = re.compile(
    r",?\s+(?:Corp|Corporation|Inc|Incorporated|Ltd|Limited|LLC|plc|PLC|Co|AG|SA|NV)\.?$"
)


def canonical_entity(name: str) -> str:
    """Return the canonical name of an entity mention ("the PBOC" -> "People's Bank of China")."""
    cleaned = normalise_apostrophes(name).strip(' ,."“”()')
    cleaned = re.sub(r"^(?:the|a|an)\s+", "", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"'s$", "", cleaned)
    # "Microsoft Corp." and "Activision Blizzard Inc" are Microsoft and Activision Blizzard.
    cleaned = CORPORATE_SUFFIX.sub("", cleaned)
    table = alias_table()
    # The strip above took the last dot of "U.S."; the table spells it out.
    for key in (cleaned, f"{cleaned}.", f"the {cleaned}"):
        if key.lower() in table:
            return table[key.lower()]
    return cleaned


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
    return str(int(value)) if value.is_integer() else f"{value:g}"


def unit_of(token: Token) -> str:
    """Return the normalised thing a number token counts (its head noun), or ""."""
    head = token.head
    if token.dep_ in {"nummod", "quantmod"} or (token.dep_ == "compound" and head.pos_ == "NOUN"):
        lemma = head.lemma_.lower()
        if not head.is_alpha:
            return ""  # "No. 3": a rank, not a count of "."
        if any(child.lemma_.lower() == "government" for child in head.children):
            return "agency"  # "government institutions", "government bodies"
        return UNIT_SYNONYMS.get(lemma, lemma)
    return ""


def counts_one_more(token: Token) -> bool:
    """True for "X and nine other agencies": the count excludes X, so the total is one more."""
    head = token.head
    has_other = any(child.lower_ in {"other", "more"} for child in head.children)
    return has_other and head.dep_ == "conj"


# A year, from 1000 to 2099.
YEAR = re.compile(r"(?:1\d|20)\d{2}")


def resolve_date(text: str, reference: date | None, future: bool = False) -> str | None:
    """Return an ISO date ("2021-09-24"), month ("2021-08") or year for a date phrase; a
    bare weekday or month means the latest one on or before the reference date, or with
    future set ("will peak in April"), the next one on or after it."""
    phrase = normalise_apostrophes(text).lower().strip(" ,.")
    if reference is not None and (relative := resolve_relative(phrase, reference)):
        return relative
    phrase = re.sub(r"^(?:on|in|last|this|since|by)\s+", "", phrase)
    if match := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", phrase):
        return "-".join(match.groups())
    if reference is not None:
        for name, weekday in WEEKDAYS.items():
            if re.search(rf"\b{name}\b", phrase):
                if future:
                    ahead = (weekday - reference.weekday()) % 7
                    return (reference + timedelta(days=ahead)).isoformat()
                back = (reference.weekday() - weekday) % 7
                return (reference - timedelta(days=back)).isoformat()
        if re.search(r"\btoday\b", phrase):
            return reference.isoformat()
        if re.search(r"\byesterday\b", phrase):
            return (reference - timedelta(days=1)).isoformat()
    # "1500 days" and "2000 years ago" are lengths of time, not years.
    year_match = re.search(
        rf"\b{YEAR.pattern}\b(?!\s+(?:days?|weeks?|months?|years?|decades?|centur))", phrase
    )
    year = int(year_match.group(0)) if year_match else None
    for name, month in MONTHS.items():
        if not re.search(rf"\b{name}\b\.?", phrase):
            continue
        # "the 12 months through September" counts months; it names no day.
        undated = re.sub(r"\b\d+\s+(?:days?|weeks?|months?|years?)\b", "", phrase)
        day_match = re.search(
            r"\b(\d{1,2})(?:st|nd|rd|th)?\b", undated.replace(str(year or ""), "")
        )
        if year is None and reference is not None and future:
            year = reference.year if month >= reference.month else reference.year + 1
        elif year is None and reference is not None:
            year = reference.year if month <= reference.month else reference.year - 1
        if year is None:
            return None
        if day_match and 1 <= int(day_match.group(1)) <= calendar.monthrange(year, month)[1]:
            return date(year, month, int(day_match.group(1))).isoformat()
        return f"{year:04d}-{month:02d}"
    return str(year) if year else None


RELATIVE_SHIFT = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}


def resolve_relative(phrase: str, reference: date) -> str | None:
    """Return the year ("2020"), month ("2021-08") or ISO week ("2021-W37") of "last year",
    "this month", "next week" and the like, counted from the reference date."""
    match = re.search(r"\b(last|previous|this|current|next|coming)\s+(year|month|week)\b", phrase)
    if not match:
        return None
    shift, unit = RELATIVE_SHIFT[match.group(1)], match.group(2)
    if unit == "year":
        return str(reference.year + shift)
    if unit == "month":
        months = reference.year * 12 + reference.month - 1 + shift
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    year, week, _ = (reference + timedelta(weeks=shift)).isocalendar()
    return f"{year:04d}-W{week:02d}"


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
    if is_margin(ent):
        unit = f"{unit} (margin)"
    elif is_surpassed(ent):
        unit = f"{unit} (surpassed)"
    return Slot("number", format_number(value), unit, ent.text)


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


def years_since(ent: Span, resolved: str, reference: date | None) -> Slot | None:
    """Return the years from "since 1982" to the reference date (39 in 2021) as a length
    of time, so "the largest since 1982" can be set against "the largest in 39 years"."""
    since = ent.root.head.lower_ == "since" or ent.text.lower().startswith("since ")
    if not since or reference is None or not re.fullmatch(r"\d{4}", resolved):
        return None
    return Slot("number", str(reference.year - int(resolved)), "year", f"since {resolved}")


# Hedges before a figure, by what they leave open ("at least 321 ships": 321 and up);
# match.figure_bounds reads them from a slot's text.
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
        return None
    return Slot("money", format_number(value), currency, text)


def is_negator_word(token: Token) -> bool:
    """True for "not", "never", "no"..., but not the "No." of "the world's No. 3"."""
    if token.lower_ not in NEGATORS:
        return False
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    numero = following is not None and (following.text == "." or following.like_num)
    return not (token.lower_ == "no" and numero)


def is_negated(tokens: Sequence[Token]) -> bool:
    """True when the tokens assert the negation of their predicate: "cannot", "no longer",
    and predicates that mean "not allowed" ("illegal", "banned", "prohibits")."""
    restricting = membership_restriction(tokens)
    if restricting is not None:
        return is_negated(restricting)
    main = main_clause(tokens)
    negations = sum(1 for t in main if t.dep_ == "neg" or is_negator_word(t))
    # Prohibitions do not cancel each other ("illegal and must be banned"); a negator does.
    prohibited = any(is_prohibition(t) for t in main)
    return (negations % 2 == 1) != prohibited


# "The services banks cannot offer include X" says banks cannot offer X: the verb only
# places X in a set, and the set's defining clause carries the polarity.
MEMBERSHIP_LEMMAS = {"include", "comprise"}


def membership_restriction(tokens: Sequence[Token]) -> list[Token] | None:
    """Return the relative clause that defines the subject of a membership claim, or None."""
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i == t.i or t.head.i not in ids]
    if len(roots) != 1 or roots[0].lemma_.lower() not in MEMBERSHIP_LEMMAS:
        return None
    for subject in (c for c in roots[0].children if c.dep_ in {"nsubj", "nsubjpass"}):
        for clause in (c for c in subject.children if c.dep_ == "relcl" and c.i in ids):
            return [t for t in clause.subtree if t.i in ids]
    return None


# Subordinate clauses; coordinated verbs ("ordered a crackdown and outlawed trading") stay
# in the main clause.
CLAUSAL_DEPS = {"ccomp", "advcl", "relcl", "acl", "csubj", "parataxis"}
# Verbs that report what someone said or decided; what they report is the claim.
SAY_LEMMAS = {
    "say",
    "announce",
    "state",
    "tell",
    "add",
    "report",
    "declare",
    "claim",
    "confirm",
    "write",
    "rule",
    "find",
    "conclude",
    "argue",
    "note",
    "estimate",
    "warn",
    "predict",
    "acknowledge",
    "admit",
    "allege",
    "insist",
}


def main_clause(tokens: Sequence[Token]) -> list[Token]:
    """Return the tokens of the outermost clause: what a subordinate or coordinated clause
    negates ("…, stressing that transactions are illegal") is not the sentence's polarity.
    Reporting verbs are transparent: in "the bank said X is illegal" the clause is X."""
    ids = {t.i for t in tokens}
    kept = []
    for token in tokens:
        node, inside = token, True
        while node.head.i != node.i and node.head.i in ids:
            reported = node.dep_ in {"ccomp", "xcomp", "oprd"} and (
                node.head.lemma_.lower() in SAY_LEMMAS
            )
            if node.dep_ in CLAUSAL_DEPS and node.pos_ in {"VERB", "AUX", "ADJ"} and not reported:
                inside = False
                break
            node = node.head
        if inside:
            kept.append(token)
    return kept


def is_prohibition(token: Token) -> bool:
    """True for a word that forbids: "ban", "bar", "outlaw", "illegal", "a ban on"."""
    if token.pos_ == "VERB":
        return token.lemma_.lower() in PROHIBITING_VERBS
    if token.pos_ == "NOUN":
        # "imposed a ban on mining" forbids; "the ban was motivated by" talks about one.
        return token.lemma_.lower() in PROHIBITING_NOUNS and token.dep_ not in {
            "nsubj",
            "nsubjpass",
        }
    return token.pos_ == "ADJ" and token.lower_ in PROHIBITING_ADJECTIVES


def extract_slots(tokens: Sequence[Token], reference: date | None) -> tuple[Slot, ...]:
    """Return the fact slots found in the tokens (a sentence, or the tokens of a claim)."""
    token_ids = {t.i for t in tokens}
    slots: list[Slot] = []
    seen_ents: set[tuple[int, int]] = set()
    in_special_ent: set[int] = set()
    for duration, duration_tokens in duration_slots(tokens):
        slots.append(duration)
        in_special_ent.update(t.i for t in duration_tokens)
    for token in tokens:
        if token.i in in_special_ent and token.ent_type_ in {"TIME", "QUANTITY", "CARDINAL"}:
            continue  # read whole above ("2 hours, 1 minute and 9 seconds")
        ent = entity_of(token)
        if ent is not None and ent.label_ in ENTITY_LABELS:
            ent = clipped(ent, token_ids)
        if not ent or (ent.start, ent.end) in seen_ents:
            continue
        seen_ents.add((ent.start, ent.end))
        if ent.label_ in {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}:
            in_special_ent.update(range(ent.start, ent.end))
        anchor = clause_anchor(ent.root)
        if ent.label_ == "DATE":
            resolved = resolve_date(ent.text, reference, is_future(ent.root))
            if resolved and is_comparison_base(ent.root):
                resolved = period_after(resolved)
            if resolved:
                slots.append(Slot("date", resolved, "", ent.text, anchor=anchor))
            if resolved and (elapsed := years_since(ent, resolved, reference)):
                slots.append(replace(elapsed, anchor=anchor))
            elif not resolved and (duration := quantity_slot(ent)):
                # "in 90 days": a length of time, not a date
                slots.append(replace(duration, anchor=anchor))
        elif ent.label_ == "PERCENT" or (ent.label_ == "MONEY" and PER_CENT.search(ent.text)):
            # "5.1 per cent" is a percentage, whatever the NER says about "cent".
            value = parse_number(strip_hedges(PER_CENT.sub("", ent.text.lower())))
            if value is not None:
                unit, scope = measured_by(ent.root)
                period = change_period(ent.root, token_ids)
                slots.append(
                    Slot("percent", format_number(value), unit, ent.text, scope, period, anchor)
                )
        elif ent.label_ == "MONEY":
            money = money_slot(ent.text)
            if money:
                slots.append(replace(money, anchor=anchor))
        elif ent.label_ in {"QUANTITY", "TIME"}:
            quantity = quantity_slot(ent)
            if quantity:
                slots.append(replace(quantity, anchor=anchor, scope=aside_of(ent.root)))
        elif ent.label_ == "EVENT":
            # "the 1988 Games", "the 2016 Olympics": the year dates the event; it counts
            # nothing.
            for year in (t for t in ent if YEAR.fullmatch(t.text) and t.i in token_ids):
                slots.append(Slot("date", year.text, "", year.text, anchor=anchor))
                in_special_ent.add(year.i)
        elif ent.label_ in ENTITY_LABELS:
            slots.append(Slot("entity", canonical_entity(ent.text), ent.label_, ent.text))
    slots.extend(_number_slots(tokens, token_ids, in_special_ent))
    if is_negated(tokens):
        slots.append(Slot("polarity", "negated", "", ""))
    if is_unrealised(tokens):
        slots.append(Slot("modality", UNREALISED, "", ""))
    return tuple(dict.fromkeys(slots))


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


UNREALISED = "unrealised"
UNREALISED_MODALS = {"could", "might", "would", "should"}


def is_unrealised(tokens: Sequence[Token]) -> bool:
    """True when the main clause tells what could, might or would have happened, not what
    did: "she could have run faster if she had not celebrated"."""
    return any(
        {c.lower_ for c in t.children if c.dep_ == "aux"} & {"have", "'ve"}
        and any(c.dep_ == "aux" and c.lower_ in UNREALISED_MODALS for c in t.children)
        for t in main_clause(tokens)
        if t.tag_ == "VBN"
    )


PER_CENT = re.compile(r"%|per ?cent", re.IGNORECASE)
FUTURE_AUX = {"will", "would", "shall", "'ll"}
# "expects inflation to peak in April", "is likely to close in June": the act is ahead.
FORWARD_LOOKING = {
    "expect",
    "forecast",
    "project",
    "predict",
    "plan",
    "intend",
    "likely",
    "due",
    "set",
}


def is_comparison_base(date_root: Token) -> bool:
    """True for the date a change is measured from ("core prices rose 0.2% from August"):
    it names the period before the one the figure is for, not when the change happened."""
    preposition = date_root.head
    if preposition.lower_ != "from" or preposition.dep_ != "prep":
        return False
    verb = preposition.head
    return verb.pos_ == "VERB" and any(
        t.ent_type_ == "PERCENT" for child in verb.children for t in child.subtree
    )


def period_after(resolved: str) -> str:
    """Return the month after "2021-08" ("2021-09") or the year after "2020"; a day or an
    ISO week is returned as it is, since "from Monday" compares no whole period."""
    if re.fullmatch(r"\d{4}", resolved):
        return str(int(resolved) + 1)
    if match := re.fullmatch(r"(\d{4})-(\d{2})", resolved):
        months = int(match.group(1)) * 12 + int(match.group(2))
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    return resolved


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


ASIDE = "aside"


def aside_of(token: Token) -> str:
    """Return ASIDE for a figure told in a relative clause about someone named ("Shericka
    Jackson, who had moved down from the 400 meters, took bronze"): it describes that
    person, so it may confirm a claim's figure (match.fits_scope) but never contradict
    one (its scope differs from the claim's)."""
    verb = governing_verb(token)
    return ASIDE if verb.dep_ == "relcl" and verb.head.pos_ == "PROPN" else ""


def governing_verb(token: Token) -> Token:
    """Return the verb (or auxiliary) a token hangs from, or the sentence root if none."""
    verb = token
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    return verb


def clause_anchor(token: Token) -> str:
    """Return the position of the verb whose clause a figure or date belongs to, with
    coordinated verbs counted as one clause ("rose 0.9% in September, and ... climbed")."""
    verb = governing_verb(token)
    while verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"}:
        verb = verb.head
    return str(verb.i)


def phrase_context(token: Token) -> list[Token]:
    """Return the date phrase's own words and those of the noun it qualifies: for "in July"
    in "at the next meeting in July", the meeting's modifiers ("the", "next") as well."""
    words = list(token.subtree)
    head = token.head
    if head.dep_ == "prep" and head.head.pos_ == "NOUN":
        words += [c for c in head.head.children if c.dep_ in {"amod", "det"}]
    return words


def is_future(token: Token) -> bool:
    """True when the verb a date phrase modifies is in the future ("will close in June",
    "would peak in April", "expects inflation to peak in April")."""
    if any(t.lower_ in {"next", "coming", "upcoming"} for t in phrase_context(token)):
        return True  # "at the next meeting in July", "in the coming months"
    verb = governing_verb(token)
    if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in verb.children):
        return True
    return verb.dep_ in {"xcomp", "ccomp"} and verb.head.lemma_.lower() in FORWARD_LOOKING


# What a percentage measures, in the words news uses for it.
MEASURE_SYNONYMS = {"price": "inflation", "cpi": "inflation"}
LEVEL_PREPOSITIONS = {"to": "", "at": "", "from": " (from)"}
# "a record low of 0.1%": the noun names a level of the thing, which is further up.
LEVEL_NOUNS = {"low", "high", "level", "record", "peak"}
# "a 5.4% rise": the noun names a change whose subject the phrase does not give.
CHANGE_NOUNS = {"rise", "increase", "fall", "drop", "decline", "gain", "jump", "cut"}


def measured_by(percent: Token) -> tuple[str, str]:
    """Return what a percentage measures and which kind of it (see measure_scope), and
    whether it is the level a change started from: "raised its rate to 0.25% from 0.1%"
    gives "rate" for 0.25 and "rate (from)" for 0.1; "inflation reached 5.1%" gives
    "inflation". Percentages of different things never conflict ("the rate rose to 0.25%"
    against "inflation will reach 6%"), and neither do a forecast and an outcome
    ("inflation reached 5.1%" against "is likely to reach 6%")."""
    role = " (forecast)" if is_future(percent) else ""
    node = percent
    while node.head.i != node.i:
        head = node.head
        if head.pos_ == "ADP" and head.lower_ in LEVEL_PREPOSITIONS and not role.strip():
            role += LEVEL_PREPOSITIONS[head.lower_]
        if head.pos_ in {"VERB", "AUX"}:
            thing = measured_argument(head, node)
            if thing is not None:
                return measure_term(thing) + role, measure_scope(thing)
        elif head.pos_ == "NOUN" and head.lemma_.lower() in CHANGE_NOUNS:
            break
        elif head.pos_ == "NOUN" and head.lemma_.lower() not in LEVEL_NOUNS:
            return measure_term(head) + role, measure_scope(head)
        node = head
    return "percent" + role, ""


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
    words = [t for t in words if t.i in token_ids]
    text = " ".join(t.lower_ for t in sorted(set(words), key=lambda t: t.i))
    year, month = bool(YEAR_SPAN.search(text)), bool(MONTH_SPAN.search(text))
    return "year" if year and not month else "month" if month and not year else ""


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
            ):
                return child
    if verb.dep_ == "xcomp":
        return measured_argument(verb.head, verb)
    return None


def clipped(ent: Span, token_ids: set[int]) -> Span:
    """Return the part of a name inside the tokens: a claim cut from "games including Call
    of Duty and Candy Crush" names "Call of Duty", though the tagger saw one long name."""
    inside = [t.i for t in ent if t.i in token_ids]
    if len(inside) == len(ent) or not inside:
        return ent
    start = end = inside[0]
    while end + 1 in token_ids and end + 1 < ent.end:
        end += 1
    while ent.doc[end].is_punct or ent.doc[end].lower_ in {"and", "or", "&"}:
        end -= 1
    return Span(ent.doc, start, end + 1, label=ent.label_)


def entity_of(token: Token) -> Span | None:
    """Return the named-entity span a token is part of, or None; walks the token's IOB tags
    instead of scanning every entity of the document."""
    if not token.ent_type_:
        return None
    doc, start, end = token.doc, token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


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
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        counted = first_pobj(of) if of is not None else None
    if counted is None:
        return None
    unit = UNIT_SYNONYMS.get(counted.lemma_.lower(), counted.lemma_.lower())
    return Slot("number", format_number(value), unit, token.text, anchor=clause_anchor(token))


def first_pobj(preposition: Token) -> Token | None:
    return next((c for c in preposition.children if c.dep_ == "pobj"), None)


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
        if counts_one_more(last):
            value += 1
        text = " ".join(t.text for t in group)
        if hedge := hedge_before(group[0], token_ids):
            text = f"{hedge} {text}"  # "at least 321": a bound, told apart in match
        slots.append(
            Slot("number", format_number(value), unit_of(last), text, anchor=clause_anchor(last))
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
