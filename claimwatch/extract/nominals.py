"""Nouns that name an act, and the verb each comes from: "the PBOC's development of its own
virtual currency" says that the PBOC is developing one."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

NOMINALS_FILE = Path(__file__).parent / "data" / "nominalisations.tsv"


@lru_cache(maxsize=1)
def nominal_verbs() -> dict[str, str]:
    lines = NOMINALS_FILE.read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.split("\t") for line in lines if line)


def verb_of(noun_lemma: str) -> str | None:
    """Return the verb an act noun comes from ("development" -> "develop"), else None."""
    return nominal_verbs().get(noun_lemma.lower())
