"""Normalised terms: the shared vocabulary that retrieval and fuzzy matching compare."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Token

from claimwatch.extract.slots import extract_slots
from claimwatch.extract.slots.base import Slot, normalise_apostrophes
from claimwatch.extract.slots.entities import alias_table
from claimwatch.extract.slots.numbers import NUMBER_WORDS, SCALE_WORDS, SURPASS_VERBS, UNIT_SYNONYMS
from claimwatch.extract.slots.percent import carried_figures
from claimwatch.extract.slots.polarity import is_negated, is_prohibition

WORD = re.compile(r"[a-z0-9]+")
# Reporting verbs and fillers say nothing about the fact itself.
EXTRA_STOP = {"say", "said", "also", "according", "'s", "s", "include", "including"}
# Hedges say how sure the writer is, not what happened; a forecast is told apart by its
# slots (slots.is_future), so "would probably peak" and "expects it to peak" share terms.
HEDGE_ADVERBS = {"probably", "likely", "possibly", "perhaps"}
# spaCy's stop list holds verbs such as "make" and "give"; as predicates they carry the fact.
LIGHT_VERBS = {"be", "have", "do", "get", "say"}
# spaCy's stop list also holds adjectives that state a fact: "an empty stadium" is not
# "a stadium".
DESCRIPTIVE_WORDS = {"empty", "full", "whole", "serious"}
# Words that news uses interchangeably for the same thing.
TERM_SYNONYMS = {
    "crypto": "cryptocurrency",
    # Offering a service, providing it and serving customers with it are one act.
    "offer": "provide",
    "serve": "provide",
    # Reining something in, in the words news uses for it.
    "crackdown": "restrict",
    "curb": "restrict",
    "clampdown": "restrict",
    "firm": "company",
    "jointly": "joint",
    # Size, in the two words news alternates between ("biggest deal", "largest deal").
    "big": "large",
    # The breadth of a thing: "160 meters wide", "160 meters in diameter", "the width".
    "width": "wide",
    "diameter": "wide",
    # "the maker of Call of Duty" says that it makes Call of Duty.
    "maker": "make",
    "producer": "produce",
    "manufacturer": "manufacture",
    "developer": "develop",
    "publisher": "publish",
    # Buying a company, in the words business news uses for it.
    "buy": "acquire",
    "purchase": "acquire",
    "acquisition": "acquire",
    "takeover": "acquire",
    # The general word news uses to name a thing again ("the Ever Given ... the vessel",
    # "the Suez Canal ... the waterway"); WordNet has each as a hypernym of the first.
    "vessel": "ship",
    "waterway": "canal",
    # One act in two words: WordNet puts "start" with "begin" and "intentionally" with
    # "deliberately" in one synset, and crashing into something is a way of colliding.
    "start": "begin",
    "collide": "crash",
    "intentionally": "deliberately",
}
# Data stories vary the verb of a change from sentence to sentence ("rose", "climbed",
# "advanced", "jumped"); the direction is the fact, so each direction is one term.
RISE, FALL = "increase", "decrease"
CHANGE_TERMS = {
    **dict.fromkeys(
        (
            "rise",
            "climb",
            "advance",
            "jump",
            "gain",
            "grow",
            "growth",
            "soar",
            "surge",
            "raise",
            "hike",
            "accelerate",
        ),
        RISE,
    ),
    **dict.fromkeys(
        (
            "fall",
            "drop",
            "decline",
            "slip",
            "slide",
            "sink",
            "tumble",
            "plunge",
            "dip",
            "lower",
            "shrink",
            "slow",
        ),
        FALL,
    ),
}
# Phrasal verbs of change: "shot up", "edged down", "went up".
CHANGE_PARTICLES = {"up": RISE, "down": FALL}
# ("head up" is left out: it means to lead.)
CHANGE_PARTICLE_VERBS = {"shoot", "edge", "go", "move", "tick", "creep", "inch"}
TERM_SYNONYMS.update(CHANGE_TERMS)
# Abbreviations news uses beside their spelled-out form; each stands for its words.
ABBREVIATIONS = {"cpi": "consumer price index", "gdp": "gross domestic product"}


# Two-word names for one thing, keyed by (modifier lemma, noun lemma): news calls the same
# assets "crypto", "virtual currency" and "digital assets" within one story. The noun takes
# the one term and the modifier drops out, so claims, sentences and topic slots agree.
PHRASE_SYNONYMS = {
    ("digital", "asset"): "cryptocurrency",
    ("virtual", "currency"): "cryptocurrency",
    ("digital", "currency"): "cryptocurrency",
    # Weather news calls the same wind "high" or "strong".
    ("high", "wind"): "wind",
    ("strong", "wind"): "wind",
}
PHRASE_MODIFIER_DEPS = {"amod", "compound"}


def phrase_term(token: Token) -> str | None:
    """Return the folded term when the token is the noun of a PHRASE_SYNONYMS pair, "" when
    it is the modifier, and None otherwise."""
    lemma = token.lemma_.lower()
    for child in token.children:
        if child.dep_ in PHRASE_MODIFIER_DEPS and (child.lemma_.lower(), lemma) in PHRASE_SYNONYMS:
            return PHRASE_SYNONYMS[(child.lemma_.lower(), lemma)]
    if token.dep_ in PHRASE_MODIFIER_DEPS and (lemma, token.head.lemma_.lower()) in PHRASE_SYNONYMS:
        return ""
    return None


PROHIBIT_TERM = "prohibit"
PERMISSION_MODALS = {"may", "can", "ca", "must", "could"}


def is_denied_permission(token: Token) -> bool:
    """True for the "not" of "may not", "cannot", "must not": a prohibition in other words."""
    return token.dep_ == "neg" and any(
        c.dep_ == "aux" and c.lower_ in PERMISSION_MODALS for c in token.head.children
    )


def is_nominal(gerund: Token) -> bool:
    """True for an -ing word used as a noun: "order matching", "trading, order matching"."""
    deps = {c.dep_ for c in gerund.children}
    if deps & {"dobj", "aux", "nsubj", "prt", "advmod"}:
        return False
    return (
        bool(deps & {"compound", "det", "amod", "poss"})
        or (gerund.dep_ == "conj" and gerund.head.pos_ == "NOUN")
        or (gerund.dep_ in {"dobj", "pobj"} and not deps)
    )


def term_of(token: Token) -> str | None:
    """Return the normalised term for a token, or None when it carries no content."""
    if token.is_space or token.is_punct or token.like_url:
        return None
    folded = phrase_term(token)
    if folded is not None:
        return folded or None
    if is_prohibition(token) or is_denied_permission(token):
        # "banned X from offering", "X may not offer" and "offering X is illegal" say one
        # thing, so they share one term.
        return PROHIBIT_TERM
    if token.ent_type_ in {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL"}:
        return None  # compared as fact slots, not as words
    if breaks_a_record(token):
        return BREAK_TERM
    if (change := comparative_change(token)) is not None:
        return change
    if token.lemma_.lower() in CHANGE_PARTICLE_VERBS:
        particle = next(
            (c.lower_ for c in token.children if c.dep_ in {"prt", "advmod"} and c.i > token.i),
            None,
        )
        if particle in CHANGE_PARTICLES:
            return CHANGE_PARTICLES[particle]
    if (
        token.lower_ in CHANGE_PARTICLES
        and token.dep_ in {"prt", "advmod"}
        and token.head.lemma_.lower() in CHANGE_PARTICLE_VERBS
    ):
        return None  # folded into its verb above
    lowered = normalise_apostrophes(token.lower_)
    if lowered in NUMBER_WORDS or lowered in SCALE_WORDS or lowered.replace(",", "").isdigit():
        return None
    # A gerund used as a noun ("order matching") keeps its -ing form, as the noun would.
    nominal_gerund = token.tag_ == "VBG" and is_nominal(token)
    keep_form = token.pos_ == "PROPN" or nominal_gerund
    base = lowered if keep_form else normalise_apostrophes(token.lemma_.lower())
    is_content_verb = token.pos_ == "VERB" and base not in LIGHT_VERBS
    is_content = is_content_verb or base in DESCRIPTIVE_WORDS
    stop = (base in STOP_WORDS or lowered in STOP_WORDS) and not is_content
    if stop or base in EXTRA_STOP or base in HEDGE_ADVERBS or not WORD.fullmatch(base):
        return None
    if base in ABBREVIATIONS:
        return ABBREVIATIONS[base]  # several words: normalise_tokens splits them
    base = TERM_SYNONYMS.get(base, base)
    if base in {RISE, FALL} and reaches_a_level(token):
        return f"{base} {REACH}"  # "jumped to 5.1%" says inflation reached 5.1% too
    return UNIT_SYNONYMS.get(base, base)


REACH = "reach"
BREAK_TERM = "break"
RECORD_NOUNS = {"record", "mark", "best"}


def breaks_a_record(verb: Token) -> bool:
    """True for going past a record in any of the words sport uses: "broke", "lowered",
    "beat", "smashed" the record are one act (not a fall, as "lowered" alone would be)."""
    return verb.lemma_.lower() in SURPASS_VERBS and any(
        child.dep_ in {"dobj", "nsubjpass"} and child.lemma_.lower() in RECORD_NOUNS
        for child in verb.children
    )


# "16% more than a year earlier", "5% lower": a comparative measured by a percentage is
# the change itself, said without a verb of change.
COMPARATIVE_CHANGES = {"more": RISE, "higher": RISE, "less": FALL, "lower": FALL, "fewer": FALL}


def comparative_change(token: Token) -> str | None:
    """The change a comparative says when a percentage measures it ("16% more"), else None."""
    change = COMPARATIVE_CHANGES.get(token.lower_)
    if change is None:
        return None
    measured = any(c.dep_ == "npadvmod" and c.ent_type_ == "PERCENT" for c in token.children)
    return change if measured else None


def reaches_a_level(verb: Token) -> bool:
    """True for a change told with the level it ended at: "rose to 5.1%", "cut to 0.1%"."""
    return any(
        child.dep_ == "prep"
        and child.lower_ == "to"
        and any(t.ent_type_ in {"PERCENT", "MONEY", "CARDINAL", "QUANTITY"} for t in child.subtree)
        for child in verb.children
    )


def normalise_tokens(tokens: Sequence[Token]) -> list[str]:
    """Return the content terms of tokens, with entity aliases rewritten to canonical names."""
    terms = [word for t in (term_of(token) for token in tokens) if t for word in t.split()]
    return apply_aliases(terms)


def plain_terms(text: str) -> list[str]:
    """Return content words of a string without a parser (for alias names)."""
    words = WORD.findall(normalise_apostrophes(text).lower().replace("'s", ""))
    return [w for w in words if w not in STOP_WORDS and w not in EXTRA_STOP]


@lru_cache(maxsize=1)
def alias_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Return (alias terms pattern, canonical terms), longest alias first."""
    pairs = []
    for alias, canonical in alias_table().items():
        alias_terms, canonical_terms = plain_terms(alias), plain_terms(canonical)
        if alias_terms and (alias_terms != canonical_terms or len(alias_terms) > 1):
            pattern = re.compile(r"(?<!\S)" + r"\s+".join(map(re.escape, alias_terms)) + r"(?!\S)")
            # One term per entity: "People's Bank of China" must not count as three shared
            # words, nor share "china" with every sentence about the country.
            pairs.append((len(alias_terms), pattern, "_".join(canonical_terms)))
    pairs.sort(key=lambda p: -p[0])
    return tuple((pattern, canonical) for _, pattern, canonical in pairs)


def apply_aliases(terms: list[str]) -> list[str]:
    joined = " ".join(terms)
    for pattern, canonical in alias_patterns():
        joined = pattern.sub(canonical, joined)
    return joined.split()


# Clauses that state something of their own; relative and participial clauses only
# describe a noun of the clause they sit in, so they stay part of it.
# Coordinated verbs count too: "ordered a crackdown on mining and outlawed trading"
# restricts mining and forbids trading.
CLAUSE_HEAD_DEPS = {"ccomp", "advcl", "csubj", "parataxis", "conj"}


def clause_slots(tokens: Sequence[Token]) -> tuple[Slot, ...]:
    """Return one "clause" slot per clause (its polarity and its terms) when the
    clauses of a sentence differ in polarity: "the bank stressed that transactions are
    illegal" affirms the stressing and forbids the transactions, and a claim about the
    transactions must be judged against the clause that speaks of them."""
    ids = {t.i for t in tokens}
    heads = [
        t
        for t in tokens
        if t.head.i == t.i
        or t.head.i not in ids
        or (
            t.dep_ in CLAUSE_HEAD_DEPS
            and t.pos_ in {"VERB", "AUX", "ADJ"}
            and t.head.pos_ != "NOUN"
        )
    ]
    head_ids = {h.i for h in heads}
    slots = []
    for head in heads:
        nested = set().union(
            *({d.i for d in h.subtree} for h in head.subtree if h.i in head_ids and h != head)
        )
        clause = [t for t in head.subtree if t.i in ids and t.i not in nested]
        terms = sorted(set(normalise_tokens(clause)))
        if terms:
            polarity = "negated" if is_negated(clause) else "affirmed"
            slots.append(Slot("clause", "", "", head.text, polarity=polarity, terms=tuple(terms)))
    if len({s.polarity for s in slots}) < 2:
        return ()
    return tuple(dict.fromkeys(slots))


def sentence_slots(
    tokens: Sequence[Token], reference: date | None, previous: Sequence[Slot] = ()
) -> tuple[Slot, ...]:
    """Return everything a source sentence is judged by: its fact slots, the figures it
    speaks of again from the sentence before (previous: that sentence's slots), and its
    modifier and clause slots."""
    return (
        extract_slots(tokens, reference)
        + carried_figures(tokens, previous)
        + modifier_slots(tokens)
        + clause_slots(tokens)
    )


def modifier_slots(tokens: Sequence[Token]) -> tuple[Slot, ...]:
    """Return a "modifier" slot (value: modifier term, unit: noun term) for every noun the
    sentence qualifies ("illegal financial activity" -> financial/activity, illegal/activity):
    a sentence that names its own kind of a noun is not about the claim's kind of it."""
    slots = []
    for token in tokens:
        if token.pos_ not in {"NOUN", "PROPN"}:
            continue
        head = term_of(token)
        for child in token.children:
            if child.dep_ in {"compound", "amod", "npadvmod"} and child.i < token.i:
                modifier = term_of(child)
                if head and modifier:
                    slots.append(Slot("modifier", modifier, head, child.text))
    return tuple(dict.fromkeys(slots))


# Retrieval-only terms for fact slots: a shared number or entity is strong evidence that
# two sentences talk about the same thing, so the candidate query weighs these double.
NUMBER_TERM, ENTITY_TERM = "#", "@"


def index_terms(terms: Sequence[str], slots: Sequence[Slot]) -> list[str]:
    """Return the terms to index a claim or sentence by: its normalised terms plus one term
    per number ("#11") and entity ("@people_bank_china") slot."""
    extra = [NUMBER_TERM + s.value for s in slots if s.kind in {"number", "money", "percent"}]
    extra += [ENTITY_TERM + "_".join(plain_terms(s.value)) for s in slots if s.kind == "entity"]
    return list(dict.fromkeys([*terms, *(e for e in extra if len(e) > 1)]))
