"""A deterministic synthetic corpus for the scale benchmark: claims and source sentences as
normalised terms, with planted supporting and contradicting sentences for a known subset
of claims.

Terms follow what claimwatch stores after normalisation (stop words out, lemmas in):
content words drawn from a Zipf-Mandelbrot law over real English words (the spaCy
model's vocabulary, stop words out, in a seeded random order of frequency), entities as
"@name" terms drawn from their own, numbers as "#value" terms. The offset flattens the
head as removing stop words does: the commonest content word is in about 5% of the
sentences, the commonest entity in about 6% (a country in a feed about it). A planted supporting sentence
restates its claim (most of its words, reordered, with the same entity and number) among
other words; a planted contradicting sentence says the same with another number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VOCABULARY = 40_000
ENTITIES = 5_000
WORD_ZIPF = (1.1, 50)  # exponent, offset: p(rank r) ~ 1 / (r + offset) ** exponent
ENTITY_ZIPF = (1.1, 20)
SYLLABLES = [
    "ba",
    "ce",
    "di",
    "fo",
    "gu",
    "ha",
    "ke",
    "li",
    "mo",
    "nu",
    "pa",
    "re",
    "si",
    "to",
    "vu",
    "wa",
    "ze",
    "ri",
    "lo",
    "ne",
    "ta",
    "mi",
    "ko",
    "su",
    "ve",
    "da",
]


@dataclass(frozen=True)
class Corpus:
    claims: list[str]  # normalised claim texts (space-separated terms)
    sentences: list[str]  # normalised sentence texts
    planted_support: dict[int, int]  # claim index -> index of its planted supporting sentence
    planted_contradiction: dict[int, int]  # claim index -> index of its contradicting one


def english_words(rng: np.random.Generator) -> list[str]:
    """Return the model's lower-case English words of three letters or more, stop words
    out, in a seeded random order (the order is their frequency rank)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from claimwatch.config import Settings
    from claimwatch.nlp import load_nlp

    strings = load_nlp(Settings().spacy_model).vocab.strings
    words = sorted({s for s in strings if s.isalpha() and s.islower() and len(s) >= 3} - STOP_WORDS)
    return [words[i] for i in rng.permutation(len(words))]


def zipf_weights(n: int, law: tuple[float, int]) -> np.ndarray:
    exponent, offset = law
    weights = 1.0 / (np.arange(1, n + 1) + offset) ** exponent
    return weights / weights.sum()


class TermSampler:
    """Draws words, entities and numbers with the frequencies news text shows."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        words = english_words(rng)
        self.words = words[:VOCABULARY]
        self.entities = np.array([f"@{w}" for w in words[VOCABULARY : VOCABULARY + ENTITIES]])
        self.word_p = zipf_weights(VOCABULARY, WORD_ZIPF)
        self.entity_p = zipf_weights(ENTITIES, ENTITY_ZIPF)

    def words_batch(self, n: int) -> list[str]:
        # Draw ranks, not strings: a million sentences' words as strings would be gigabytes.
        return [self.words[i] for i in self.rng.choice(len(self.words), size=n, p=self.word_p)]

    def entity(self) -> str:
        return str(self.rng.choice(self.entities, p=self.entity_p))

    def number(self) -> str:
        # Years, small counts and percentages, as news gives them.
        kind = self.rng.integers(0, 3)
        if kind == 0:
            return f"#{int(self.rng.integers(1990, 2026))}"
        if kind == 1:
            return f"#{int(self.rng.integers(1, 100))}"
        return f"#{int(self.rng.integers(1, 500)) / 10:g}%"

    def text(self, n_words: int, n_entities: int, n_numbers: int) -> list[str]:
        terms = list(self.words_batch(n_words))
        terms += [self.entity() for _ in range(n_entities)]
        terms += [self.number() for _ in range(n_numbers)]
        return terms


def other_number(number: str, rng: np.random.Generator) -> str:
    """Return a different number of the same kind: the contradiction."""
    percent = number.endswith("%")
    value = float(number.strip("#%"))
    shifted = value + float(rng.integers(1, 9)) * (0.1 if percent and value % 1 else 1)
    return f"#{shifted:g}%" if percent else f"#{int(shifted)}"


def restate(claim: list[str], sampler: TermSampler, rng: np.random.Generator) -> list[str]:
    """Return a sentence restating the claim: all but at most one of its words, in another
    order, among four to eight other words."""
    kept = list(claim)
    words = [i for i, t in enumerate(kept) if t[0] not in "@#"]
    if len(words) > 3 and rng.random() < 0.5:
        kept.pop(int(rng.choice(words)))
    extra = list(sampler.words_batch(int(rng.integers(4, 9))))
    terms = kept + extra
    rng.shuffle(terms)
    return terms


def generate(
    n_claims: int, n_sentences: int, n_planted: int = 1_000, seed: int = 20211924
) -> Corpus:
    """Return the corpus for these sizes; the same arguments always give the same corpus."""
    rng = np.random.default_rng(seed)
    sampler = TermSampler(rng)
    claims = []
    for _ in range(n_claims):
        claims.append(sampler.text(int(rng.integers(4, 8)), 1, int(rng.random() < 0.6)))
    planted_claims = [
        int(i) for i in rng.choice(n_claims, size=min(n_planted, n_claims), replace=False)
    ]
    planted: list[tuple[int, str, list[str]]] = []
    for claim_index in planted_claims:
        claim = claims[claim_index]
        planted.append((claim_index, "support", restate(claim, sampler, rng)))
        numbers = [t for t in claim if t.startswith("#")]
        entity = next(t for t in claim if t.startswith("@"))
        changed = (
            [other_number(numbers[0], rng) if t == numbers[0] else t for t in claim]
            if numbers
            else [t if t != entity else sampler.entity() for t in claim]
        )
        planted.append((claim_index, "contradiction", restate(changed, sampler, rng)))
    n_random = max(0, n_sentences - len(planted))
    lengths = rng.integers(8, 17, n_random)
    ranks = rng.choice(len(sampler.words), size=int(lengths.sum()), p=sampler.word_p)
    sentences: list[str] = []
    start = 0
    for length in lengths:
        terms = [sampler.words[i] for i in ranks[start : start + length]]
        start += length
        terms += [sampler.entity() for _ in range(int(rng.integers(1, 3)))]
        terms += [sampler.number() for _ in range(int(rng.integers(0, 3)))]
        sentences.append(" ".join(terms))
    positions = rng.choice(len(sentences) + len(planted), size=len(planted), replace=False)
    support: dict[int, int] = {}
    contradiction: dict[int, int] = {}
    slots: list[str | None] = [None] * (len(sentences) + len(planted))
    for position, (claim_index, kind, terms) in zip(sorted(positions), planted):
        slots[position] = " ".join(terms)
        (support if kind == "support" else contradiction)[claim_index] = int(position)
    filler = iter(sentences)
    corpus_sentences = [s if s is not None else next(filler) for s in slots]
    return Corpus([" ".join(c) for c in claims], corpus_sentences, support, contradiction)
