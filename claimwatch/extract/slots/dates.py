"""Date slots: weekdays, months, years and relative times resolved against the article date."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from spacy.tokens import Span, Token

from claimwatch.extract.slots.base import Slot, governing_verb, normalise_apostrophes, said_when

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}


MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}


MONTH_NAMES = tuple(name.lower() for name in calendar.month_name if name)


# A year, from 1000 to 2099.
YEAR = re.compile(r"(?:1\d|20)\d{2}")


# Which way a bare weekday or month points from the reference date (date_direction).
BACK, FORWARD, NEAREST = "back", "forward", "nearest"


def resolve_date(text: str, reference: date | None, direction: str = BACK) -> str | None:
    """Return an ISO date ("2021-09-24"), month ("2021-08") or year for a date phrase; a
    bare weekday or month means the latest one on or before the reference date, or going
    FORWARD ("will peak in April"), the next one on or after it. A bare month in a present
    tense clause (NEAREST: "the rise takes effect in July", "prices are 3% higher in
    February") is whichever of the two is closer, the latest one on a tie."""
    future = direction == FORWARD
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
        if year is None and reference is not None and direction == NEAREST:
            ahead = (month - reference.month) % 12  # months to the next one; 0: this month
            if 0 < ahead < 6:
                year = reference.year + (month < reference.month)
            else:
                year = reference.year - (month > reference.month)
        elif year is None and reference is not None and future:
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


def years_since(ent: Span, resolved: str, reference: date | None) -> Slot | None:
    """Return the years from "since 1982" to the reference date (39 in 2021) as a length
    of time, so "the largest since 1982" can be set against "the largest in 39 years"."""
    since = ent.root.head.lower_ == "since" or ent.text.lower().startswith("since ")
    if not since or reference is None or not re.fullmatch(r"\d{4}", resolved):
        return None
    return Slot("number", str(reference.year - int(resolved)), "year", f"since {resolved}")


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


def phrase_context(token: Token) -> list[Token]:
    """Return the date phrase's own words and those of the noun it qualifies: for "in July"
    in "at the next meeting in July", the meeting's modifiers ("the", "next") as well."""
    words = list(token.subtree)
    head = token.head
    if head.dep_ == "prep" and head.head.pos_ == "NOUN":
        words += [c for c in head.head.children if c.dep_ in {"amod", "det"}]
    return words


def date_direction(token: Token) -> str:
    """Return which way a bare weekday or month in the phrase at token points: FORWARD
    in the future (is_future), NEAREST in the simple present or present progressive
    ("takes effect in July", "is rising in May"; resolve_date applies it to months, a
    weekday still points back), else BACK. The present perfect ("has risen since May")
    and any past tense point back."""
    if is_future(token):
        return FORWARD
    verb = dated_verb(token)
    if verb.tag_ in {"VBZ", "VBP"}:
        return NEAREST
    auxiliaries = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if verb.tag_ == "VBG" and any(
        a.lemma_ == "be" and a.tag_ in {"VBZ", "VBP"} for a in auxiliaries
    ):
        return NEAREST
    return BACK


def dated_verb(token: Token) -> Token:
    """Return the verb a date phrase dates: the one it hangs from, or the reporting verb
    before the clause when the parser hung "said on Tuesday it will …" on the clause."""
    phrase = token
    while phrase.head.i != phrase.i and phrase.head.pos_ not in {"VERB", "AUX"}:
        phrase = phrase.head
    return said_when(phrase) or governing_verb(token)


def is_future(token: Token) -> bool:
    """True when the verb a date phrase modifies is in the future ("will close in June",
    "would peak in April", "expects inflation to peak in April")."""
    if any(t.lower_ in {"next", "coming", "upcoming"} for t in phrase_context(token)):
        return True  # "at the next meeting in July", "in the coming months"
    verb = dated_verb(token)
    if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in verb.children):
        return True
    return verb.dep_ in {"xcomp", "ccomp"} and verb.head.lemma_.lower() in FORWARD_LOOKING
