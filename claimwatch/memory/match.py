"""Is a new claim one checked before? The deterministic cascade that decides, pure.

A candidate (a stored claim or an imported fact check, found by BM25 over the stored
texts' terms: sql/queries/memory_candidates.sql) goes through, in order:

1. the same words once normalised: a match;
2. the slots: a figure, date or name of the same kind that differs on the two sides, or
   a negation on one side only, is never a match ("rose 7.4%" is not "rose 6.8%");
3. the word overlap (rapidfuzz on the normalised terms), and the entailment model read
   both ways: each text must entail the other (the same truth conditions), not only one
   ("Kipchoge's fourth win in Berlin equalled the record" says more than "the win was
   his fourth in Berlin").

Above the thresholds a candidate is `matched` and the claim joins its cluster; between
them it is `proposed` to a reviewer. A fact that one side gives and the other leaves out
(a date, a figure) keeps a candidate at `proposed`: the two may be one claim, or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from claimwatch.extract.slots.base import Slot

MATCHED, PROPOSED, NO_MATCH = "matched", "proposed", "none"
CLAIM, FACT_CHECK = "claim", "fact_check"
FIGURE_KINDS = frozenset({"number", "money", "percent"})


@dataclass(frozen=True)
class MemoryThresholds:
    """Where a candidate becomes a match or a proposal. Chosen on the dev half of
    benchmarks/data/claim-memory-pairs.jsonl (benchmarks/claim_memory.py --choose),
    never on its test half."""

    # Below this word overlap (0-100) nothing is read further: another claim.
    min_similarity: float = 20.0
    # The model's weaker reading (of each text entailing the other) at least this, and its
    # stronger at least matched_stronger: matched. The weaker bar is low because the model
    # reads one direction of a paraphrase poorly ("closed his $44 billion acquisition"
    # against "completed his $44 billion takeover": 0.91 one way, 0.04 the other); the
    # slots have already refused every pair whose figure, date, name or polarity differs.
    matched_entails: float = 0.05
    matched_stronger: float = 0.9
    # The weaker reading at least this, or the overlap at least proposed_similarity: proposed.
    proposed_entails: float = 0.02
    proposed_similarity: float = 70.0


THRESHOLDS = MemoryThresholds()


@dataclass(frozen=True)
class MemoryText:
    """A text the memory holds or is asked about: a claim or a fact check's claimReviewed."""

    item_id: str
    kind: str  # CLAIM | FACT_CHECK
    text: str
    terms: tuple[str, ...]
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class MatchOutcome:
    decision: str  # MATCHED | PROPOSED | NO_MATCH
    similarity: float
    entails_forward: float | None  # the stored text entails the new claim
    entails_backward: float | None  # the new claim entails the stored text
    reason: str

    @property
    def score(self) -> float:
        """One number to rank matches by: the weaker of the two readings, or the overlap
        (as a share) where the model was not asked."""
        if self.entails_forward is None or self.entails_backward is None:
            return round(self.similarity / 100, 4)
        return round(min(self.entails_forward, self.entails_backward), 4)


def similarity(new: MemoryText, stored: MemoryText) -> float:
    """Word overlap of the two texts' normalised terms, 0-100, the same both ways: a text
    that says more than the other scores lower ("Parag Agrawal was Twitter's chief
    executive" inside "Musk fired Twitter's chief executive Parag Agrawal")."""
    return round(fuzz.token_sort_ratio(" ".join(new.terms), " ".join(stored.terms)), 2)


def same_words(new: MemoryText, stored: MemoryText) -> bool:
    """The same normalised terms (numbers, dates and negations are slots, not terms)."""
    return bool(new.terms) and new.terms == stored.terms


def figures(slots: Sequence[Slot]) -> set[str]:
    return {s.value for s in slots if s.kind in FIGURE_KINDS}


def figures_by_measure(slots: Sequence[Slot]) -> dict[tuple[str, str], set[str]]:
    by_measure: dict[tuple[str, str], set[str]] = {}
    for slot in slots:
        if slot.kind in FIGURE_KINDS:
            by_measure.setdefault((slot.kind, slot.measure), set()).add(slot.value)
    return by_measure


def dates(slots: Sequence[Slot]) -> set[str]:
    return {s.value for s in slots if s.kind == "date"}


def date_slots(slots: Sequence[Slot]) -> list[Slot]:
    return [s for s in slots if s.kind == "date"]


def is_negated(slots: Sequence[Slot]) -> bool:
    return any(s.kind == "polarity" and s.value == "negated" for s in slots)


YEAR = re.compile(r"\b\d{4}\b")


def same_day(one: Slot, other: Slot) -> bool:
    """True when one date lies inside the other ("2022-09-25" in "2022-09"), or the two
    differ only in a year neither text states ("December 11", read as 2021 beside a past
    verb and as 2022 beside a future one)."""
    if one.value.startswith(other.value) or other.value.startswith(one.value):
        return True
    unstated = not YEAR.search(one.text) and not YEAR.search(other.text)
    return unstated and one.value[4:] == other.value[4:]


def figure_conflict(new: Sequence[Slot], stored: Sequence[Slot]) -> str | None:
    """Figures of the same measure that differ, or, where no measure is shared, two sets
    of figures with none in common ("61%" of voters against a turnout of "60%")."""
    ours, theirs = figures_by_measure(new), figures_by_measure(stored)
    shared = sorted(set(ours) & set(theirs))
    for measure in shared:
        if ours[measure] != theirs[measure]:
            return (
                f"figures differ: {', '.join(sorted(ours[measure]))} ≠ "
                f"{', '.join(sorted(theirs[measure]))}"
            )
    mine, other = figures(new), figures(stored)
    if not shared and mine and other and not mine & other:
        return f"figures differ: {', '.join(sorted(mine))} ≠ {', '.join(sorted(other))}"
    return None


def date_conflict(new: Sequence[Slot], stored: Sequence[Slot]) -> str | None:
    ours, theirs = date_slots(new), date_slots(stored)
    if ours and theirs and not all(any(same_day(d, o) for o in theirs) for d in ours):
        return f"dates differ: {', '.join(sorted(dates(new)))} ≠ {', '.join(sorted(dates(stored)))}"
    return None


def unsaid_names(slots: Sequence[Slot], other: MemoryText) -> dict[str, set[str]]:
    """The names of slots, by kind, that the other text neither tags nor writes: the tagger
    may call "Call of Duty" a product in one text and an organisation in the other, or tag
    "Ethiopia" in "Ethiopia's Tigist Assefa" and not in "Tigist Assefa of Ethiopia"."""
    tagged = {s.value for s in other.slots if s.kind == "entity"}
    written = other.text.lower()
    unsaid: dict[str, set[str]] = {}
    for slot in slots:
        if slot.kind == "entity" and slot.value not in tagged and slot.text.lower() not in written:
            unsaid.setdefault(slot.unit, set()).add(slot.value)
    return unsaid


def name_conflict(new: MemoryText, stored: MemoryText) -> str | None:
    """Names of the same kind on both sides that the other side never gives."""
    ours, theirs = unsaid_names(new.slots, stored), unsaid_names(stored.slots, new)
    for kind, missing in ours.items():
        extra = theirs.get(kind, set())
        if missing and extra:
            return f"names differ: {', '.join(sorted(missing))} ≠ {', '.join(sorted(extra))}"
    return None


def slot_conflict(new: MemoryText, stored: MemoryText) -> str | None:
    """Return why the two cannot be one claim (a differing figure, date, name or polarity),
    or None. A fact only one side gives is no conflict (see slot_gap)."""
    for conflict in (figure_conflict, date_conflict):
        found = conflict(new.slots, stored.slots)
        if found is not None:
            return found
    found = name_conflict(new, stored)
    if found is not None:
        return found
    if is_negated(new.slots) != is_negated(stored.slots):
        return "one of the two is negated"
    return None


def slot_gap(new: MemoryText, stored: MemoryText) -> str | None:
    """Return the kind of fact one side gives and the other leaves out, or None: a
    figure, a date, or a name ("Elon Musk fired Twitter's chief executive Parag Agrawal"
    names who fired him; "Parag Agrawal was Twitter's chief executive" does not)."""
    for kind, read in (("figure", figures), ("date", dates)):
        # A published fact check states its claim without a date: its datePublished dates it.
        if kind == "date" and stored.kind == FACT_CHECK:
            continue
        if bool(read(new.slots)) != bool(read(stored.slots)):
            return kind
    if unsaid_names(new.slots, stored) or unsaid_names(stored.slots, new):
        return "name"
    return None


def settled(
    new: MemoryText, stored: MemoryText, thresholds: MemoryThresholds = THRESHOLDS
) -> MatchOutcome | None:
    """Return the outcome when the slots or the words settle the pair (a conflicting slot,
    the same words, too few words in common), or None when only the model's readings can."""
    overlap = similarity(new, stored)
    conflict = slot_conflict(new, stored)
    if conflict is not None:
        return MatchOutcome(NO_MATCH, overlap, None, None, conflict)
    if same_words(new, stored) and slot_gap(new, stored) is None:
        return MatchOutcome(MATCHED, overlap, None, None, "the same words")
    if overlap < thresholds.min_similarity:
        return MatchOutcome(NO_MATCH, overlap, None, None, f"few words in common ({overlap:.0f})")
    return None


def needs_model(new: MemoryText, stored: MemoryText, thresholds: MemoryThresholds) -> bool:
    """True when the model's readings could decide the pair."""
    return settled(new, stored, thresholds) is None


def read_outcome(
    new: MemoryText,
    stored: MemoryText,
    readings: tuple[float, float] | None,
    thresholds: MemoryThresholds = THRESHOLDS,
) -> MatchOutcome:
    """Decide a pair that settled left open by the model's readings (stored entails new,
    new entails stored), None when the model did not read it."""
    overlap = similarity(new, stored)
    if readings is None:  # the model read only the closest candidates
        return MatchOutcome(NO_MATCH, overlap, None, None, "not among the closest candidates")
    forward, backward = readings
    weaker = min(forward, backward)
    said = f"each says the other (entails {forward:.2f} and {backward:.2f}; words {overlap:.0f})"
    if (
        weaker >= thresholds.matched_entails
        and max(forward, backward) >= thresholds.matched_stronger
    ):
        gap = slot_gap(new, stored)
        if gap is None:
            return MatchOutcome(MATCHED, overlap, forward, backward, said)
        return MatchOutcome(
            PROPOSED, overlap, forward, backward, f"{said}, but only one gives a {gap}"
        )
    if weaker >= thresholds.proposed_entails or overlap >= thresholds.proposed_similarity:
        return MatchOutcome(
            PROPOSED,
            overlap,
            forward,
            backward,
            f"may say the same (entails {forward:.2f} and {backward:.2f}; words {overlap:.0f})",
        )
    return MatchOutcome(
        NO_MATCH,
        overlap,
        forward,
        backward,
        f"says something else (entails {forward:.2f} and {backward:.2f})",
    )


def compare(
    new: MemoryText,
    stored: MemoryText,
    readings: tuple[float, float] | None,
    thresholds: MemoryThresholds = THRESHOLDS,
) -> MatchOutcome:
    """Decide whether new is the stored claim (or fact check). readings are the model's
    entailment probabilities (stored entails new, new entails stored) for pairs that
    needs_model picked, else None."""
    return settled(new, stored, thresholds) or read_outcome(new, stored, readings, thresholds)
