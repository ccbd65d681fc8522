"""The reasons a reviewer reads: a verdict's reason in words ("gives 10, not 11
(agency)", "says the same in other words (entails 0.97)"), never a rule id. The evidence
table and the JSON keep each reason as judge and the table wrote it ("number 11 ≠ 10
(agency)", "overlap.supports: …"), so what decided stays traceable; only the verdict's
reason, which the tables, listings and dashboard show, is reworded here.

Each wording is a pattern and what it becomes, as data; a reason no pattern matches is
kept as it is (it is words already: "source silent on date 2021-09")."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# How a figure of each kind is written back ("percent 5.4" -> "5.4%").
FIGURE_FORMS: dict[str, Callable[[str], str]] = {
    "percent": lambda value: f"{value}%",
    "points": lambda value: f"{value} points",
}


def figure(kind: str, value: str) -> str:
    return FIGURE_FORMS.get(kind, lambda v: v)(value)


def figure_conflict(match: re.Match) -> str:
    kind, claimed, given, measure = match.groups()
    return f"gives {figure(kind, given)}, not {figure(kind, claimed)} ({measure})"


def figure_agrees(match: re.Match) -> str:
    kind, _, given, measure = match.groups()
    return f"gives the same {figure(kind, given)}" + (f" ({measure})" if measure else "")


# The ids of the precedence table's rules (claimwatch.stance.rules.PRECEDENCE).
TABLE_RULES = (
    "model.contradicts",
    "lexical.contradicts",
    "entity.clash",
    "entity.unconfirmed",
    "model.vetoes",
    "polarity.differs",
    "facts.open",
    "model.entails",
    "overlap.supports",
    "undecided",
)

FIGURE_KINDS = r"(number|money|percent|points|level|rank)"

# The table's rules (claimwatch.stance.rules), each reason its id first.
RULE_WORDINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^model\.entails: model: entails (\S+)$"),
        r"says the same in other words (entails \1)",
    ),
    (
        re.compile(r"^model\.contradicts: model: contradicts (\S+)$"),
        r"says otherwise (contradicts \1)",
    ),
    # A SUPPORTS the model read as a contradiction says what outweighed it.
    (
        re.compile(
            r"^overlap\.supports: the sentence restates the claim \(model: contradicts (\S+)\)$"
        ),
        (
            r"restates the claim: its words and figures outweigh the model's weaker "
            r"contradiction reading (\1)"
        ),
    ),
    (re.compile(r"^overlap\.supports: the sentence restates the claim"), "restates the claim"),
    # Any other rule of the table: its own words after its id (tests/test_wording.py holds
    # this list to claimwatch.stance.rules.PRECEDENCE; importing the table here would load
    # the model's code into every listing command).
    (re.compile("^(?:" + "|".join(re.escape(rule) for rule in TABLE_RULES) + "): "), ""),
)

# What judge compared (claimwatch.stance.compare, judge), one finding each.
FINDING_WORDINGS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match], str]], ...] = (
    (re.compile(rf"^{FIGURE_KINDS} (\S+) ≠ (\S+) \((.+)\)$"), figure_conflict),
    (re.compile(rf"^{FIGURE_KINDS} (\S+) = (\S+)(?: \((.+)\))?$"), figure_agrees),
    (re.compile(r"^date (\S+) ≠ (\S+)$"), r"dates it \2, not \1"),
    (re.compile(r"^date (\S+) = \S+(.*)$"), r"the same date, \1\2"),
    (re.compile(r"^entity (.+?) ≠ (.+?), the same role$"), r"names \2 in the same role, not \1"),
    (re.compile(r"^entity (.+?) ≠ (.+)$"), r"names \2, not \1"),
    (re.compile(r"^antonym: (.+?) ↔ (.+)$"), r"says \2, not \1"),
    (re.compile(r"^polarity: claim negated, source affirms$"), "affirms what the claim denies"),
    (re.compile(r"^polarity: claim affirms, source negates$"), "denies what the claim affirms"),
)
# The model's reading after a rule's own words (" (model: entails 0.97)"), kept as it is.
MODEL_NOTE = re.compile(r"( \(model: [^)]*\))$")


def in_words(reason: str) -> str:
    """One reason as a reviewer reads it: the rule id gone, each finding reworded."""
    for pattern, wording in RULE_WORDINGS:
        if pattern.search(reason):
            reason = pattern.sub(wording, reason, count=1)
            break
    return "; ".join(finding_in_words(part) for part in reason.split("; "))


def finding_in_words(finding: str) -> str:
    note = MODEL_NOTE.search(finding)
    bare = finding[: note.start()] if note else finding
    for pattern, wording in FINDING_WORDINGS:
        if pattern.search(bare):
            return pattern.sub(wording, bare, count=1) + (note.group(1) if note else "")
    return finding


def reasons_in_words(reasons: Sequence[str]) -> str:
    """A piece of evidence's reasons, slot findings first, in words, one string."""
    return "; ".join(in_words(reason) for reason in reasons)
