"""Normalised terms: the shared vocabulary that retrieval and fuzzy matching compare."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Token

from claimwatch.slots import (
    NUMBER_WORDS,
    SCALE_WORDS,
    UNIT_SYNONYMS,
    Slot,
    alias_table,
    normalise_apostrophes,
)

WORD = re.compile(r"[a-z0-9]+")
# Reporting verbs and fillers say nothing about the fact itself.
EXTRA_STOP = {"say", "said", "also", "according", "'s", "s"}
# spaCy's stop list holds verbs such as "make" and "give"; as predicates they carry the fact.
LIGHT_VERBS = {"be", "have", "do", "get", "say"}
# Words that news uses interchangeably for the same thing.
TERM_SYNONYMS = {
    "crypto": "cryptocurrency",
    # Offering a service, providing it and serving customers with it are one act.
    "offer": "provide",
    "serve": "provide",
}


def term_of(token: Token) -> str | None:
    """Return the normalised term for a token, or None when it carries no content."""
    if token.is_space or token.is_punct or token.like_url:
        return None
    if token.ent_type_ in {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL"}:
        return None  # compared as fact slots, not as words
    lowered = normalise_apostrophes(token.lower_)
    if lowered in NUMBER_WORDS or lowered in SCALE_WORDS or lowered.replace(",", "").isdigit():
        return None
    base = lowered if token.pos_ == "PROPN" else normalise_apostrophes(token.lemma_.lower())
    is_content_verb = token.pos_ == "VERB" and base not in LIGHT_VERBS
    stop = (base in STOP_WORDS or lowered in STOP_WORDS) and not is_content_verb
    if stop or base in EXTRA_STOP or not WORD.fullmatch(base):
        return None
    base = TERM_SYNONYMS.get(base, base)
    return UNIT_SYNONYMS.get(base, base)


def normalise_tokens(tokens: Sequence[Token]) -> list[str]:
    """Return the content terms of tokens, with entity aliases rewritten to canonical names."""
    terms = [t for t in (term_of(token) for token in tokens) if t]
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
