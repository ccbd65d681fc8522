"""The precedence table: how the findings on one (claim, sentence) pair become its stance.

claimwatch.stance.judge.judge reads a pair with the slots and the word overlap. A figure or date
conflict settles it as REFUTES and an off-topic sentence as NEUTRAL: numbers are the
slots' to compare, and a sentence without the claim's terms is not read further. Every
other pair comes here with what judge found (its overlap stance, the facts it left
open, the word-level signs of a contradiction) and the entailment model's probabilities,
and the first rule of PRECEDENCE that applies decides. The evidence row's first reason
names that rule ("model.contradicts: model: contradicts 0.94").

Adding a rule is one Rule in the table and its cases in tests/test_stance_rules.py.
The thresholds were chosen on the FEVER dev split and the labelled news stories; the
FEVER test split is held out (models/stance/MODEL_CARD.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from claimwatch.entailment import Entailment, load_model
from claimwatch.stance.decision import decide_learned, load_decision
from claimwatch.stance.judge import NEUTRAL, REFUTES, SUPPORTS, Stance

# The model contradicts a claim alone when it is this sure; more sure when a fact of the
# claim is missing from the sentence (it reads "reached 5.1% in November" against "had
# jumped to 5.1 per cent" as a contradiction for the month it does not find).
MODEL_REFUTES = 0.95
OPEN_REFUTES = 0.97
# Numbers and dates are the slots' to compare: when they confirmed the claim's figure or
# date, the model's contradiction is about something they already checked ("food prices
# jumped 0.9% in September" against "food prices shot up 0.9%" read as contradicts 0.92),
# so it may only keep the pair from supporting (model.vetoes), never refute it alone.
AGREED_REFUTES = 1.01
# An antonym qualifying the same thing stands unless the model reads the pair as entailed
# at least this surely. A name the sentence replaces is a contradiction only when the
# model leans that way too (MODEL_VETO): "the euro fell against the US dollar" beside "the
# European Central Bank" is no clash of roles; and when the model is this sure of
# entailment the names are one ("2 Hearts is a song by Minogue" against Kylie Minogue).
MODEL_OVERRULES = 0.9
# The word overlap's SUPPORTS needs the model not to lean against it.
MODEL_VETO = 0.5
# The model supports a claim the overlap left open when it is this sure and no fact of the
# claim stays unconfirmed; a loosely related sentence needs more.
MODEL_SUPPORTS = 0.7
LOOSE_SUPPORTS = 0.97
# A sentence only loosely on topic never contradicts on the model's word (above 1).
LOOSE_REFUTES = 1.01


@dataclass(frozen=True)
class Rule:
    """One line of the table: when it applies, the stance it gives, and what it says."""

    id: str
    gives: str
    applies: Callable[[Stance, Entailment | None], bool]
    says: Callable[[Stance, Entailment | None], str]


def refutes_bar(reading: Stance) -> float:
    if reading.loose_topic:
        return LOOSE_REFUTES
    if reading.facts_agree:
        return AGREED_REFUTES
    return OPEN_REFUTES if reading.facts_open else MODEL_REFUTES


def model_says(_: Stance, model: Entailment | None) -> str:
    return model.describe() if model else "no model"


def in_brackets(model: Entailment | None) -> str:
    """The model's reading after a rule's own words: " (model: entails 0.97)", or nothing."""
    return f" ({model.describe()})" if model else ""


def entails(model: Entailment | None, at_least: float) -> bool:
    return model is not None and model.entails >= at_least


def contradicts(model: Entailment | None, at_least: float) -> bool:
    return model is not None and model.contradicts >= at_least


PRECEDENCE: tuple[Rule, ...] = (
    Rule(
        "model.contradicts",
        REFUTES,
        lambda p, m: contradicts(m, refutes_bar(p)),
        model_says,
    ),
    Rule(
        "lexical.contradicts",
        REFUTES,
        lambda p, m: bool(p.contested) and not entails(m, MODEL_OVERRULES),
        lambda p, m: "; ".join(p.contested) + in_brackets(m),
    ),
    Rule(
        "entity.clash",
        REFUTES,
        lambda p, m: bool(p.entity_clash) and (m is None or contradicts(m, MODEL_VETO)),
        lambda p, m: "; ".join(p.entity_clash) + (f", the same role ({m.describe()})" if m else ""),
    ),
    Rule(
        "entity.unconfirmed",
        NEUTRAL,
        lambda p, m: bool(p.entity_clash) and not entails(m, MODEL_OVERRULES),
        lambda p, m: (
            "; ".join(p.entity_clash)
            + f": another name, not shown to fill the claim's role ({model_says(p, m)})"
        ),
    ),
    Rule(
        "model.vetoes",
        NEUTRAL,
        lambda p, m: p.stance == SUPPORTS and contradicts(m, MODEL_VETO),
        lambda p, m: f"{model_says(p, m)}: the shared words do not make it support the claim",
    ),
    Rule(
        "polarity.differs",
        NEUTRAL,
        lambda p, m: p.polarity_differs,
        lambda p, m: "one of the two is negated, so it cannot support the claim" + in_brackets(m),
    ),
    Rule(
        "facts.open",
        NEUTRAL,
        lambda p, m: p.facts_open,
        lambda p, m: "a fact of the claim is unconfirmed" + in_brackets(m),
    ),
    Rule(
        "model.entails",
        SUPPORTS,
        lambda p, m: entails(m, LOOSE_SUPPORTS if p.loose_topic else MODEL_SUPPORTS),
        model_says,
    ),
    Rule(
        "overlap.supports",
        SUPPORTS,
        lambda p, m: p.stance == SUPPORTS,
        lambda p, m: "the sentence restates the claim" + in_brackets(m),
    ),
    Rule(
        "undecided",
        NEUTRAL,
        lambda p, m: True,
        lambda p, m: "nothing decides" + in_brackets(m),
    ),
)


# The rules read the model only as "entails (or contradicts) at least some threshold", so
# the rule that applies is the same anywhere in a cell of the grid these thresholds draw
# over the model's probabilities; one corner per cell stands for all of it. A new
# threshold in the table belongs here too (tests/test_stance_rules.py checks the corners
# against random readings).
ENTAILS_CUTS = (0.0, MODEL_SUPPORTS, MODEL_OVERRULES, LOOSE_SUPPORTS)
CONTRADICTS_CUTS = (0.0, MODEL_VETO, MODEL_REFUTES, OPEN_REFUTES, AGREED_REFUTES, LOOSE_REFUTES)
CORNERS: tuple[Entailment, ...] = tuple(
    Entailment(entails, contradicts, round(1 - entails - contradicts, 6))
    for entails in ENTAILS_CUTS
    for contradicts in CONTRADICTS_CUTS
    if entails + contradicts <= 1
)


def rule_without_model(reading: Stance) -> Rule | None:
    """Return the rule that decides an open pair whatever the model would say, or None
    when the model's reading could change which rule applies (then it must be read)."""
    for rule in PRECEDENCE:
        applies = {rule.applies(reading, corner) for corner in CORNERS}
        if applies == {False}:
            continue
        return rule if applies == {True} else None
    return None


def decide(reading: Stance, model: Entailment | None) -> Stance:
    """Return the stance the first applicable rule gives; a settled reading stands. model
    is None when the pair is judged without the entailment model (a baseline)."""
    if reading.settled:
        return reading
    rule = next(r for r in PRECEDENCE if r.applies(reading, model))
    return decided_by(rule, reading, model)


def decided_by(rule: Rule, reading: Stance, model: Entailment | None) -> Stance:
    reason = f"{rule.id}: {rule.says(reading, model)}"
    return replace(reading, stance=rule.gives, reasons=(reason, *reading.reasons), settled=True)


def model_readings(
    texts: Sequence[tuple[str, str]], known: Mapping[tuple[str, str], Entailment]
) -> dict[tuple[str, str], Entailment]:
    """Return the model's reading of every distinct (claim, sentence) in texts: those in
    known as given, the others scored once each however often they recur."""
    todo = [pair for pair in dict.fromkeys(texts) if pair not in known]
    scored = dict(zip(todo, load_model().score(todo))) if todo else {}
    return {pair: known[pair] if pair in known else scored[pair] for pair in dict.fromkeys(texts)}


@dataclass(frozen=True)
class Decided:
    """Every pair's decided stance, and the model readings it took, by (claim, sentence)."""

    stances: list[Stance]
    readings: dict[tuple[str, str], Entailment]


def decide_pairs(
    texts: Sequence[tuple[str, str]],
    readings: Sequence[Stance],
    use_model: bool = True,
    known: Mapping[tuple[str, str], Entailment] | None = None,
    learned: bool = False,
) -> Decided:
    """Decide every pair. texts are each pair's (claim, sentence) as written; the model
    reads only the pairs judge left open whose stance its reading could change (so it
    runs on each claim's shortlist alone), and not those whose reading known holds.
    use_model=False decides without it (the word-overlap baseline). learned=True decides
    every open pair with the learned decision (claimwatch.stance.decision) instead of the
    table: measured in `claimwatch eval stance --decision learned`, not yet what a run
    uses (docs/stance.md says why)."""
    if learned and use_model:
        return decide_learned_pairs(texts, readings, known or {})
    decided = list(readings)
    open_pairs = []
    for i, reading in enumerate(readings):
        if reading.settled:
            continue
        rule = rule_without_model(reading) if use_model else None
        if rule is not None:
            decided[i] = decided_by(rule, reading, None)
        else:
            open_pairs.append(i)
    by_text: dict[tuple[str, str], Entailment] = {}
    if use_model and open_pairs:
        by_text = model_readings([texts[i] for i in open_pairs], known or {})
    for i in open_pairs:
        decided[i] = decide(readings[i], by_text.get(texts[i]))
    return Decided(decided, by_text)


def decide_learned_pairs(
    texts: Sequence[tuple[str, str]],
    readings: Sequence[Stance],
    known: Mapping[tuple[str, str], Entailment],
) -> Decided:
    """Decide every open pair with the learned decision; the model reads only the pairs
    whose label its reading could change (Decision.could_say)."""
    decision = load_decision()
    decided = list(readings)
    open_pairs = [i for i, reading in enumerate(readings) if not reading.settled]
    to_read = [texts[i] for i in open_pairs if decision.could_say(readings[i])]
    by_text = model_readings(to_read, known) if to_read else {}
    for i in open_pairs:
        decided[i] = decide_learned(readings[i], by_text.get(texts[i]))
    return Decided(decided, by_text)


def read_open_pairs(
    texts: Sequence[tuple[str, str]],
    readings: Sequence[Stance],
    use_model: bool = True,
    known: Mapping[tuple[str, str], Entailment] | None = None,
    learned: bool = False,
) -> list[Stance]:
    """Return every pair's decided stance (decide_pairs)."""
    return decide_pairs(texts, readings, use_model, known, learned).stances
